#pragma once
// Loading a sweep file: bind it through the sweep schema, load the base design, turn axes
// into levels and derived values into expressions, and check everything that can be checked
// before any point is evaluated. Every problem is collected with its location.
#include <memory>
#include <string>
#include <vector>

#include "dse/config/diagnostics.h"
#include "dse/sweep/design_space.h"
#include "dse/sweep/hooks.h"
#include "dse/sweep/sweep_spec.h"

namespace chipdse::sweep {

struct LoadedSweep {
    std::string path;           // the sweep file as given
    SweepSpec spec;
    std::string spec_yaml;      // the sweep file with its includes resolved (saved in the store)
    DesignSpace space;
    std::string base_resolved;  // resolved YAML of the base design (store_config: delta is relative to it)
    std::string fingerprint;    // hash of spec and base: ranks of one MPI run must agree on it

    // Functions named by objectives and constraints (`python:`): each computes one metric of
    // every feasible point after the model, stored like the model's metrics.
    struct MetricHook {
        std::string name;
        std::shared_ptr<const PointFunction> function;
    };
    std::vector<MetricHook> metric_hooks;
    std::shared_ptr<const CandidateGenerator> generator;  // search.python
    std::string key_salt;  // non-empty with metric hooks: part of every point key (see hooks.h)
};

// Returns false when `diag` holds errors (nothing to run).
bool load_sweep(const std::string& path, LoadedSweep& out, config::Diagnostics& diag);

// Checks that a dotted path names a key of the design schema; on failure records a located
// error with a did-you-mean.
bool check_design_path(const std::string& path, const config::SourceLoc& loc, const std::string& key_path,
                       config::Diagnostics& diag);

}  // namespace chipdse::sweep
