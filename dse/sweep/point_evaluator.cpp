#include "dse/sweep/point_evaluator.h"

#include <exception>

#include "dse/model/training_model.h"
#include "dse/spec/design_loader.h"
#include "dse/spec/spec_schemas.h"
#include "dse/sweep/point_hash.h"

namespace chipdse::sweep {
namespace {

bool same(const config::ConfigNode& a, const config::ConfigNode& b) {
    if (a.kind() != b.kind()) return false;
    if (a.is_scalar()) return a.text() == b.text();
    return config::to_yaml(a) == config::to_yaml(b);
}

}  // namespace

config::ConfigNode config_delta(const config::ConfigNode& point, const config::ConfigNode& base) {
    config::ConfigNode out = config::ConfigNode::map({});
    for (const auto& [k, v] : point.entries()) {
        const config::ConfigNode* b = base.is_map() ? base.find(k) : nullptr;
        if (b && v.is_map() && b->is_map()) {
            config::ConfigNode d = config_delta(v, *b);
            if (!d.entries().empty()) out.set(k, std::move(d));
        } else if (!b || !same(v, *b)) {
            out.set(k, v);
        }
    }
    return out;
}

PointEvaluator::PointEvaluator(const LoadedSweep& sweep) : m_sweep(sweep) {
    m_resolved_base = sweep.space.resolved_base;
}

std::string PointEvaluator::axes_json(const config::ConfigNode& from) const {
    std::string s = "{";
    bool first = true;
    for (const auto& p : m_sweep.space.value_paths) {
        const config::ConfigNode* n = from.at_path(p);
        std::string v = n && n->is_scalar() ? n->text() : (n ? config::to_yaml(*n) : "");
        s += (first ? "" : ",") + json_quote(p) + ":" + json_quote(v);
        first = false;
    }
    return s + "}";
}

void PointEvaluator::prepare(const Levels& levels, PreparedPoint& out) const {
    out.reason.clear();
    out.spec = spec::DesignSpec{};
    std::string derived_error;
    out.tree = m_sweep.space.build(levels, derived_error);
    config::Diagnostics diag;
    if (derived_error.empty()) spec::bind_design(out.tree, out.spec, diag);
    out.valid = derived_error.empty() && diag.empty();
    if (!out.valid) {
        out.reason = "invalid design: " + (derived_error.empty() ? diag.items().front().format() : derived_error);
        if (diag.size() > 1) out.reason += " (and " + std::to_string(diag.size() - 1) + " more)";
        out.resolved_yaml = config::to_yaml(out.tree);
        out.key = hash_hex(std::string("chipdse-invalid-point v1\n") + out.resolved_yaml);
        return;
    }
    out.resolved = spec::design_schema().dump(out.spec);
    out.resolved_yaml = config::to_yaml(out.resolved);
    out.key = hash_hex(kPointKeyPrefix + out.resolved_yaml);
}

PointRow PointEvaluator::evaluate(PreparedPoint& p) const {
    PointRow row;
    row.key = p.key;
    row.sweep = m_sweep.spec.name;
    row.valid = p.valid;
    const bool delta = m_sweep.spec.store_config == StoreConfig::kDelta;
    if (!p.valid) {
        row.axes = axes_json(p.tree);
        row.config = std::move(p.resolved_yaml);
        row.infeasible_reason = p.reason;
        row.metrics = {{"feasible", 0.0}};
        return row;
    }
    row.axes = axes_json(p.resolved);
    row.config = delta ? config::to_yaml(config_delta(p.resolved, m_resolved_base)) : std::move(p.resolved_yaml);
    model::EvalResult r;
    try {
        r = model::evaluate(p.spec);
    } catch (const std::exception& e) {
        // the model promises not to throw for a bound design; if it does, the point records why
        r = model::EvalResult{};
        r.feasible = false;
        r.infeasible_reason = std::string("model error: ") + e.what();
    }
    row.infeasible_reason = r.feasible ? "" : r.infeasible_reason;
    row.mapping = r.mapping;
    row.metrics = r.metrics();
    return row;
}

}  // namespace chipdse::sweep
