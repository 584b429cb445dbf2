#pragma once
// What a sweep file says (sweeps/*.yaml): a base design, the axes to vary, derived values,
// the search method, constraints and objectives over metric names. The schema below is the
// one place its keys live; bad files get located errors like every other config.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "dse/config/diagnostics.h"
#include "dse/config/schema.h"

namespace chipdse::sweep {

// A scalar in a list (axis value, file name, assignment) with where it was written.
struct TextItem {
    std::string text;
    config::SourceLoc loc;
};

enum class RangeScale { kLinear, kLog };

// from .. to in `steps` points (or by `step` for a linear range); values may carry units.
struct RangeSpec {
    std::string from, to, step;
    std::int64_t steps = 0;  // 0: not given
    RangeScale scale = RangeScale::kLinear;
};

// One axis: a config path and its values, or a group of zipped axes that advance together.
struct AxisSpec {
    std::string path;
    std::vector<TextItem> values;
    std::optional<RangeSpec> range;
    std::vector<AxisSpec> zip;
};

// A value computed for every point from other values of the point: an expression, or a
// function named by reference (python: FILE.py:FUNCTION, see hooks.h).
struct DerivedSpec {
    std::string path, expr, unit, python;
};

enum class SearchMethod { kGrid, kRandom, kLhs, kNsga2 };

struct SearchSpec {
    SearchMethod method = SearchMethod::kGrid;
    std::int64_t samples = 100;    // random and lhs
    std::int64_t seed = 1;
    std::int64_t population = 32;  // nsga2
    std::int64_t generations = 20;
    double crossover = 0.9;        // probability that two parents recombine
    double mutation = 0.0;         // per-gene probability; 0: 1 / number of dimensions
    std::string python;            // a candidate generator (FILE.py:FUNCTION) instead of method
};

// metric op value, e.g. die_area_mm2 <= 858; `truthy` for a bare name (feasible).
struct ConstraintSpec {
    std::string metric;
    double min = -std::numeric_limits<double>::infinity();  // no bound
    double max = std::numeric_limits<double>::infinity();
    bool min_strict = false, max_strict = false;
    bool truthy = false;
    std::string text;  // as written, for messages
    std::string python;  // the metric is computed per point by this function (FILE.py:FUNCTION)

    bool satisfied(double v) const;
    // The constraint as rules parse_constraint reads back ("m >= 1", "m < 5", "m").
    std::vector<std::string> rules() const;
};

struct ObjectiveSpec {
    std::string maximize, minimize;  // exactly one is set
    std::string python;              // the metric is computed per point by this function
    const std::string& metric() const { return maximize.empty() ? minimize : maximize; }
    bool is_max() const { return !maximize.empty(); }
};

struct BaseSpec {
    std::string system, workload;     // paths relative to the sweep file
    std::vector<TextItem> files;      // more config files merged after them
    std::vector<TextItem> set;        // path=value assignments applied last
};

enum class MappingMode { kFixed, kAuto };
// What each point is evaluated with: the analytical model alone, or with its array utilisation,
// HBM efficiency and scale-up collectives characterised by the cycle-level models (docs/fidelity.md).
enum class Fidelity { kAnalytical, kSystemc };
// "analytical", "systemc": the name of the characteriser, the fidelity column and the key prefix.
const char* fidelity_name(Fidelity f);
enum class StoreConfig { kFull, kDelta };

struct SweepSpec {
    std::string name, description;
    BaseSpec base;
    MappingMode mapping = MappingMode::kFixed;
    Fidelity fidelity = Fidelity::kAnalytical;
    std::vector<AxisSpec> axes;
    std::vector<DerivedSpec> derived;
    SearchSpec search;
    std::vector<ConstraintSpec> constraints;
    std::vector<ObjectiveSpec> objectives;
    StoreConfig store_config = StoreConfig::kFull;
};

const config::ObjectSchema<SweepSpec>& sweep_schema();

// Metric names the model reports (read from model::EvalResult::metrics(), so new metrics
// appear without changes here).
const std::vector<std::string>& known_metric_names();

// Parses "metric <= 858", "feasible", "maximize tokens_per_s" (used by the CLI too).
bool parse_constraint(const std::string& text, ConstraintSpec& out, std::string& error);
bool parse_objective(const std::string& text, ObjectiveSpec& out, std::string& error);

}  // namespace chipdse::sweep
