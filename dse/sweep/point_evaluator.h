#pragma once
// Turns a point (one level per dimension) into a row: build the config tree, bind it, key it
// by the hash of its fidelity and resolved config, and (unless the store already has it) evaluate
// it with the analytical model, at `fidelity: systemc` fed by one characteriser that every worker
// shares (each kernel simulated once; values are pure functions of their keys, so rows do not
// depend on the thread count). Thread-safe: one evaluator serves every worker.
//
// Speed: binding and printing a whole design costs far more than evaluating it with a fixed
// mapping, yet a sweep changes only a few sections (say chip and system) and each takes few
// distinct values (the chip's axes only). So sections the sweep never writes are bound once
// (from the base), and each section it writes is bound once per distinct content and cached.
// Keys and rows are the same as binding everything: checked on sample points at start-up,
// falling back to the plain path if they ever differ (e.g. a rule across sections).
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "dse/model/characteriser.h"
#include "dse/spec/design_spec.h"
#include "dse/sweep/point_row.h"
#include "dse/sweep/sweep_loader.h"

namespace chipdse::sweep {

// A point built and keyed but not yet evaluated.
struct PreparedPoint {
    std::string key;
    bool valid = false;
    std::string reason;  // why it is invalid
    spec::DesignSpec spec;
    config::ConfigNode tree;      // as built (invalid points keep this as their config)
    config::ConfigNode resolved;  // the schema's dump of the sections the sweep writes (valid points)
    std::string resolved_yaml;    // the whole resolved design
};

class PointEvaluator {
public:
    // Throws std::runtime_error when the sweep's fidelity has no characteriser in this program.
    explicit PointEvaluator(const LoadedSweep& sweep);
    ~PointEvaluator();

    void prepare(const Levels& levels, PreparedPoint& out) const;
    // Evaluates a prepared point into a row (consumes it).
    PointRow evaluate(PreparedPoint& p) const;

    const LoadedSweep& sweep() const { return m_sweep; }
    // Whether the cached-section path is in use (see above).
    bool cached_sections() const { return m_fast; }
    // The characteriser of a sweep at a fidelity above analytical (nullptr at analytical): the
    // runner preloads it from the store and writes back what it simulated.
    model::Characteriser* characteriser() const { return m_characteriser.get(); }

    // The plain path: bind the whole design every time (the reference the fast path matches).
    void prepare_plain(const Levels& levels, PreparedPoint& out) const;

private:
    struct Section;
    struct Cached;
    std::string axes_json(const config::ConfigNode& from) const;
    void prepare_fast(const Levels& levels, PreparedPoint& out) const;
    std::shared_ptr<const Cached> bind_section(const Section& s, const config::ConfigNode& input) const;
    void add_hook_metrics(const PreparedPoint& p, PointRow& row) const;

    const LoadedSweep& m_sweep;
    std::string m_key_prefix, m_invalid_prefix;  // by fidelity
    std::unique_ptr<model::Characteriser> m_characteriser;
    config::ConfigNode m_resolved_base;
    bool m_fast = false;
    std::vector<Section> m_sections;         // every section of the design schema, in order
    std::vector<std::string> m_written;      // sections the axes and derived values write
    spec::DesignSpec m_base_spec;
    mutable std::mutex m_mu;
    mutable std::vector<std::unordered_map<std::string, std::shared_ptr<const Cached>>> m_cache;  // per section
};

// Entries of `point` that differ from `base` (maps compared key by key, anything else whole).
config::ConfigNode config_delta(const config::ConfigNode& point, const config::ConfigNode& base);

// The key text version: bump when the meaning of a stored row changes.
inline constexpr const char* kPointKeyPrefix = "chipdse-point v1 fidelity=analytical\n";
// The prefix of the keys of points evaluated at `fidelity` (kPointKeyPrefix at analytical): the
// same design at two fidelities is two rows.
std::string point_key_prefix(const std::string& fidelity);

}  // namespace chipdse::sweep
