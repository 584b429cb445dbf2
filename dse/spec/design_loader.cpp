#include "dse/spec/design_loader.h"

#include "dse/config/config_loader.h"
#include "dse/spec/spec_schemas.h"

namespace chipdse::spec {

LoadedDesign load_design(const std::vector<std::string>& files, const std::vector<std::string>& assignments) {
    LoadedDesign out;
    out.tree = config::ConfigNode::map({});
    for (const auto& f : files) {
        config::ConfigNode n = config::load_config_file(f, out.diag);
        config::merge_into(out.tree, n);
    }
    for (const auto& a : assignments) config::apply_assignment(out.tree, a, "--set " + a, out.diag);
    if (!out.diag.empty()) return out;
    bind_design(out.tree, out.spec, out.diag);
    return out;
}

LoadedDesign load_design_text(const std::string& yaml, const std::string& label) {
    LoadedDesign out;
    out.tree = config::load_config_text(yaml, label, out.diag);
    if (out.diag.empty()) bind_design(out.tree, out.spec, out.diag);
    return out;
}

void bind_design(const config::ConfigNode& tree, DesignSpec& out, config::Diagnostics& diag) {
    design_schema().bind_root(tree, out, diag);
}

std::string resolved_yaml(const DesignSpec& spec) { return config::to_yaml(design_schema().dump(spec)); }

void require_sections_for_evaluation(const LoadedDesign& design, config::Diagnostics& diag) {
    struct Need {
        bool present;
        const char* key;
        const char* where;
    };
    const Need needs[] = {
        {design.spec.chip.has_value(), "chip", "the system file (usually by including a chip file)"},
        {design.spec.system.has_value(), "system", "the system file"},
        {design.spec.model.has_value(), "model", "the workload file"},
        {design.spec.training.has_value(), "training", "the workload file"},
    };
    for (const auto& n : needs)
        if (!n.present)
            diag.error(design.tree.loc(), n.key, "section missing for evaluation", "nothing",
                       std::string("a '") + n.key + ":' section in " + n.where);
}

}  // namespace chipdse::spec
