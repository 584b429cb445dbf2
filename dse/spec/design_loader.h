#pragma once
// From files and command-line assignments to a typed design: load each file (with includes),
// merge them in order, apply `path=value` assignments, bind through the design schema.
#include <string>
#include <vector>

#include "dse/config/config_node.h"
#include "dse/config/diagnostics.h"
#include "dse/spec/design_spec.h"

namespace chipdse::spec {

struct LoadedDesign {
    DesignSpec spec;
    config::ConfigNode tree;  // merged tree before binding (what the user wrote, located)
    config::Diagnostics diag;

    bool ok() const { return diag.empty(); }
};

LoadedDesign load_design(const std::vector<std::string>& files, const std::vector<std::string>& assignments);

// The same for YAML text located as `label` (tests, benchmarks, scripts). Includes resolve
// relative to the directory part of `label`.
LoadedDesign load_design_text(const std::string& yaml, const std::string& label);

// Binds an already merged tree (sweeps use this after changing axis values).
void bind_design(const config::ConfigNode& tree, DesignSpec& out, config::Diagnostics& diag);

// The resolved design as YAML: every key, defaults filled in, units in canonical form.
std::string resolved_yaml(const DesignSpec& spec);

// Checks that the sections needed to evaluate a training run are all present.
void require_sections_for_evaluation(const LoadedDesign& design, config::Diagnostics& diag);

}  // namespace chipdse::spec
