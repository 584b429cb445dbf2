#pragma once
// Turns a point (one level per dimension) into a row: build the config tree, bind it, key it
// by the hash of its resolved config, and (unless the store already has it) evaluate it with
// the analytical model. Thread-safe: one evaluator serves every worker.
#include <string>

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
    config::ConfigNode resolved;  // the design schema's dump of `spec` (valid points)
    std::string resolved_yaml;
};

class PointEvaluator {
public:
    explicit PointEvaluator(const LoadedSweep& sweep);

    void prepare(const Levels& levels, PreparedPoint& out) const;
    // Evaluates a prepared point into a row (consumes it).
    PointRow evaluate(PreparedPoint& p) const;

    const LoadedSweep& sweep() const { return m_sweep; }

private:
    std::string axes_json(const config::ConfigNode& from) const;

    const LoadedSweep& m_sweep;
    config::ConfigNode m_resolved_base;
};

// Entries of `point` that differ from `base` (maps compared key by key, anything else whole).
config::ConfigNode config_delta(const config::ConfigNode& point, const config::ConfigNode& base);

// The key text version: bump when the meaning of a stored row changes.
inline constexpr const char* kPointKeyPrefix = "chipdse-point v1 fidelity=analytical\n";

}  // namespace chipdse::sweep
