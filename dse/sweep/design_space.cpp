#include "dse/sweep/design_space.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "dse/config/config_loader.h"
#include "dse/sweep/hooks.h"
#include "dse/units/unit_parser.h"

namespace chipdse::sweep {

std::uint64_t DesignSpace::grid_size() const {
    std::uint64_t n = 1;
    for (const auto& d : dims) {
        std::uint64_t s = d.size();
        if (s == 0) return 0;
        if (n > std::numeric_limits<std::uint64_t>::max() / s) return std::numeric_limits<std::uint64_t>::max();
        n *= s;
    }
    return n;
}

std::string DesignSpace::format_derived(double si, const std::string& unit, double unit_si) {
    double v = si / unit_si;
    char buf[64];
    if (std::fabs(v) < 9e15 && v == std::round(v)) std::snprintf(buf, sizeof buf, "%.0f", v);
    else std::snprintf(buf, sizeof buf, "%.9g", v);  // 9 significant digits: plenty for a design value
    return unit.empty() ? std::string(buf) : std::string(buf) + " " + unit;
}

config::ConfigNode DesignSpace::build(const Levels& levels, std::string& error,
                                      const std::vector<std::string>* sections) const {
    config::ConfigNode tree;
    if (!sections) {
        tree = base;
    } else {
        tree = config::ConfigNode::map(base.loc());
        for (const auto& name : *sections)
            if (const config::ConfigNode* n = base.find(name)) tree.set(name, *n);
    }
    for (size_t d = 0; d < dims.size(); ++d)
        for (const auto& axis : dims[d].axes) config::set_at_path(tree, axis.path, axis.levels[levels[d]]);
    for (const auto& dv : derived) {
        if (dv.function) {
            HookPoint hp;
            hp.tree = &tree;
            hp.fallback = &resolved_base;
            hp.value_paths = &axis_paths;
            HookValue hv = dv.function->call(hp);
            if (!hv.ok) {
                if (error.empty()) error = dv.loc.text() + ": derived " + dv.path + ": " + hv.error;
                continue;
            }
            config::set_at_path(tree, dv.path,
                                config::ConfigNode::scalar(hv.is_text ? hv.text : format_derived(hv.number, dv.unit, dv.unit_si),
                                                           dv.loc));
            continue;
        }
        std::string why;
        auto v = dv.expr.evaluate(
            [&](const std::string& path) -> std::optional<double> {
                const config::ConfigNode* n = tree.at_path(path);
                if (!n) n = resolved_base.at_path(path);
                if (!n || !n->is_scalar()) return std::nullopt;
                auto r = units::parse_value(n->text());
                if (!r.value) return std::nullopt;
                return r.value->si;
            },
            why);
        if (!v) {
            if (error.empty()) error = dv.loc.text() + ": derived " + dv.path + ": " + why;
            continue;
        }
        config::set_at_path(tree, dv.path, config::ConfigNode::scalar(format_derived(*v, dv.unit, dv.unit_si), dv.loc));
    }
    return tree;
}

}  // namespace chipdse::sweep
