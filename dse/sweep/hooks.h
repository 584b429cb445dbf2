#pragma once
// Functions a sweep file names by reference instead of writing an expression, e.g.
// `python: sweeps/my_objectives.py:score`: derived values, per-point metrics (objectives and
// constraints the model does not compute) and candidate generators. The sweeper knows no
// language: a provider registered at start-up resolves references (dse/python registers the
// embedded Python under "python").
//
// Contract for providers: callables are called from several threads at once and serialise
// what they must themselves (Python: the GIL, taken only around the call); they report a
// user's error (exception, wrong return type) in HookValue::error, with the point and the
// traceback, and never throw. A point whose hook fails is recorded as failed with that
// reason and the sweep goes on.
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "dse/config/config_node.h"
#include "dse/sweep/design_space.h"
#include "dse/sweep/sweep_spec.h"

namespace chipdse::sweep {

// What a hook sees of one point. Pointers stay valid for the duration of the call only.
struct HookPoint {
    const config::ConfigNode* tree = nullptr;      // the point's config as built (may lack sections)
    const config::ConfigNode* fallback = nullptr;  // the resolved base: values the tree lacks
    const std::vector<std::string>* value_paths = nullptr;  // axis and derived paths of the sweep
    const std::vector<std::pair<std::string, double>>* metrics = nullptr;  // the model's; null before evaluation
    const std::string* key = nullptr;               // the point's key (null before it is known)

    // The config value at a dotted path (tree first, then fallback), or null.
    const config::ConfigNode* value(const std::string& path) const;
    // "{chip.clock: 1.2 GHz, system.chips: 512}": the point in error messages.
    std::string describe() const;
};

// A function's result: a number (SI units), or a text written into the config as is
// ("700 W", "bf16"), or an error.
struct HookValue {
    bool ok = false;
    bool is_text = false;
    double number = 0;
    std::string text;
    std::string error;  // when !ok: what went wrong, with the point and the traceback
};

class PointFunction {
public:
    virtual ~PointFunction() = default;
    virtual HookValue call(const HookPoint& point) const = 0;
    virtual const std::string& ref() const = 0;  // as written in the sweep file
};

// A candidate generator proposes batches of points (one level index per dimension) and sees
// their results before proposing more (adaptive search).
struct CandidateOutcome {
    Levels levels;
    std::string key;
    bool valid = false, feasible = false;
    std::string reason;  // why invalid or infeasible
    std::string axes;    // JSON object as stored
    std::vector<std::pair<std::string, double>> metrics;  // every metric column of the row
};

struct GeneratorContext {
    const DesignSpace* space = nullptr;
    const SweepSpec* spec = nullptr;      // objectives and constraints, to judge the outcomes
    std::uint64_t samples = 0, seed = 1;  // the sweep's search.samples and search.seed (hints)
    // Evaluates a batch (stored points are read back, not evaluated again); false when the
    // sweep was stopped (Ctrl-C). Throws StoreError when the store fails.
    std::function<bool(const std::vector<Levels>& batch, std::vector<CandidateOutcome>& out)> evaluate;
};

class CandidateGenerator {
public:
    virtual ~CandidateGenerator() = default;
    // Runs the generator to its end; false with `error` when the user's code failed.
    virtual bool run(const GeneratorContext& ctx, std::string& error) const = 0;
    virtual const std::string& ref() const = 0;
};

class HookProvider {
public:
    virtual ~HookProvider() = default;
    // Resolves a reference ("file.py:function"; the file relative to `sweep_dir`, else to the
    // working directory). Null with `error` when it cannot (missing file, no such function).
    virtual std::shared_ptr<const PointFunction> point_function(const std::string& ref, const std::string& sweep_dir,
                                                                std::string& error) = 0;
    virtual std::shared_ptr<const CandidateGenerator> generator(const std::string& ref, const std::string& sweep_dir,
                                                                std::string& error) = 0;
    // Changes whenever what `ref` computes may change (the file's contents): part of the key
    // of rows whose metrics a hook computed, so editing the function re-evaluates them.
    virtual std::string signature(const std::string& ref, const std::string& sweep_dir) = 0;
};

// Providers by language ("python"). Registration is not thread-safe: do it at start-up.
void register_hook_provider(const std::string& language, HookProvider* provider);
void unregister_hook_provider(const std::string& language);
HookProvider* hook_provider(const std::string& language);

// A failure of a user's generator: the sweep stops (rows so far are kept).
class HookError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace chipdse::sweep
