#include "dse/sweep/point_evaluator.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <stdexcept>

#include "dse/model/training_model.h"
#include "dse/spec/design_loader.h"
#include "dse/spec/spec_schemas.h"
#include "dse/sweep/hooks.h"
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

namespace {

using CopyFn = void (*)(const spec::DesignSpec& from, spec::DesignSpec& to);
#define CHIPDSE_SECTION(name) \
    { #name, [](const spec::DesignSpec& f, spec::DesignSpec& t) { t.name = f.name; } }
// The sections of spec::DesignSpec. A section missing here is never cached (plain path).
const std::pair<const char*, CopyFn> kSectionCopy[] = {
    CHIPDSE_SECTION(chip),     CHIPDSE_SECTION(system),      CHIPDSE_SECTION(model), CHIPDSE_SECTION(training),
    CHIPDSE_SECTION(parallelism), CHIPDSE_SECTION(hbm),      CHIPDSE_SECTION(link),
};
#undef CHIPDSE_SECTION

// Unambiguous serialisation of a tree's content (locations left out): the cache key.
void serialize(const config::ConfigNode& n, std::string& out) {
    auto put = [&](char tag, const std::string& s) {
        out += tag;
        out += std::to_string(s.size());
        out += ':';
        out += s;
    };
    switch (n.kind()) {
        case config::ConfigNode::Kind::kNull: out += 'n'; break;
        case config::ConfigNode::Kind::kScalar: put('s', n.text()); break;
        case config::ConfigNode::Kind::kMap:
            out += '{';
            for (const auto& [k, v] : n.entries()) {
                put('k', k);
                serialize(v, out);
            }
            out += '}';
            break;
        case config::ConfigNode::Kind::kList:
            out += '[';
            for (const auto& v : n.items()) serialize(v, out);
            out += ']';
            break;
    }
}

constexpr size_t kMaxCachedPerSection = 4096;  // a few MB per section at most

}  // namespace

struct PointEvaluator::Section {
    std::string name;
    CopyFn copy = nullptr;
    std::string base_text;  // to_yaml of {name: resolved base section}, empty when absent
    bool written = false;
    size_t written_index = 0;
};

struct PointEvaluator::Cached {
    spec::DesignSpec value;       // only this section set
    config::ConfigNode resolved;  // the section's dump
    std::string text;             // to_yaml of {name: resolved}
};

PointEvaluator::~PointEvaluator() = default;

std::string point_key_prefix(const std::string& fidelity) {
    if (fidelity == "analytical") return kPointKeyPrefix;
    return "chipdse-point v1 fidelity=" + fidelity + "\n";
}

PointEvaluator::PointEvaluator(const LoadedSweep& sweep) : m_sweep(sweep) {
    const Fidelity fidelity = sweep.spec.fidelity;
    m_key_prefix = point_key_prefix(fidelity_name(fidelity));
    m_invalid_prefix = fidelity == Fidelity::kAnalytical
                           ? std::string("chipdse-invalid-point v1\n")
                           : std::string("chipdse-invalid-point v1 fidelity=") + fidelity_name(fidelity) + "\n";
    if (fidelity != Fidelity::kAnalytical) {
        m_characteriser = model::make_characteriser(fidelity_name(fidelity));
        if (!m_characteriser)
            throw std::runtime_error(m_sweep.path + ": fidelity " + fidelity_name(fidelity) +
                                     ": no characteriser in this build (configure with CHIPDSE_WITH_SYSTEMC=ON)");
    }
    m_resolved_base = sweep.space.resolved_base;

    // sections the sweep writes
    std::vector<std::string> paths;
    for (const auto& d : sweep.space.dims)
        for (const auto& a : d.axes) paths.push_back(a.path);
    for (const auto& dv : sweep.space.derived) paths.push_back(dv.path);
    for (const auto& p : paths) {
        std::string top = p.substr(0, p.find('.'));
        if (std::find(m_written.begin(), m_written.end(), top) == m_written.end()) m_written.push_back(top);
    }

    config::Diagnostics diag;
    spec::bind_design(sweep.space.base, m_base_spec, diag);
    bool usable = diag.empty();
    for (const auto& f : spec::design_schema().fields()) {
        Section s;
        s.name = f.key;
        for (const auto& [name, fn] : kSectionCopy)
            if (s.name == name) s.copy = fn;
        if (const config::ConfigNode* n = m_resolved_base.find(s.name)) {
            config::ConfigNode one = config::ConfigNode::map({});
            one.set(s.name, *n);
            s.base_text = config::to_yaml(one);
        }
        auto it = std::find(m_written.begin(), m_written.end(), s.name);
        s.written = it != m_written.end();
        s.written_index = static_cast<size_t>(it - m_written.begin());
        if (s.written && !s.copy) usable = false;
        m_sections.push_back(std::move(s));
    }
    for (const auto& w : m_written) {
        bool known = false;
        for (const auto& s : m_sections) known = known || s.name == w;
        usable = usable && known;
    }
    m_cache.resize(m_sections.size());
    if (!usable) return;

    // the fast path must give what the plain path gives: compare on sample points
    m_fast = true;
    std::vector<std::uint32_t> sizes;
    for (const auto& d : sweep.space.dims) sizes.push_back(d.size());
    for (std::uint64_t k = 0; k < 8 && m_fast; ++k) {
        Levels l(sizes.size());
        for (size_t d = 0; d < sizes.size(); ++d)
            l[d] = k == 0 ? 0 : k == 1 ? sizes[d] - 1 : static_cast<std::uint32_t>(splitmix64(k * 131 + d) % sizes[d]);
        PreparedPoint a, b;
        prepare_plain(l, a);
        prepare_fast(l, b);
        m_fast = a.key == b.key && a.valid == b.valid && a.resolved_yaml == b.resolved_yaml;
    }
    if (!m_fast)
        for (auto& c : m_cache) c.clear();
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
    if (m_fast) prepare_fast(levels, out);
    else prepare_plain(levels, out);
}

void PointEvaluator::prepare_plain(const Levels& levels, PreparedPoint& out) const {
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
        out.key = hash_hex(m_invalid_prefix + out.resolved_yaml);
        return;
    }
    out.resolved = spec::design_schema().dump(out.spec);
    out.resolved_yaml = config::to_yaml(out.resolved);
    out.key = hash_hex(m_key_prefix + m_sweep.key_salt + out.resolved_yaml);
}

std::shared_ptr<const PointEvaluator::Cached> PointEvaluator::bind_section(const Section& s,
                                                                           const config::ConfigNode& input) const {
    const size_t idx = static_cast<size_t>(&s - m_sections.data());
    std::string key;
    serialize(input, key);
    {
        std::lock_guard<std::mutex> lock(m_mu);
        auto it = m_cache[idx].find(key);
        if (it != m_cache[idx].end()) return it->second;
    }
    config::ConfigNode one = config::ConfigNode::map({});
    one.set(s.name, input);
    auto c = std::make_shared<Cached>();
    config::Diagnostics diag;
    spec::bind_design(one, c->value, diag);
    if (!diag.empty()) return nullptr;  // invalid: the plain path reports it
    config::ConfigNode dumped = spec::design_schema().dump(c->value);
    const config::ConfigNode* sec = dumped.find(s.name);
    if (!sec) return nullptr;
    c->resolved = *sec;
    c->text = config::to_yaml(dumped);
    std::lock_guard<std::mutex> lock(m_mu);
    if (m_cache[idx].size() >= kMaxCachedPerSection) m_cache[idx].clear();  // bounded memory
    m_cache[idx].emplace(std::move(key), c);
    return c;
}

void PointEvaluator::prepare_fast(const Levels& levels, PreparedPoint& out) const {
    std::string derived_error;
    config::ConfigNode tree = m_sweep.space.build(levels, derived_error, &m_written);
    if (!derived_error.empty()) return prepare_plain(levels, out);
    out.reason.clear();
    out.spec = m_base_spec;
    out.resolved = config::ConfigNode::map({});
    std::string text;
    for (const auto& s : m_sections) {
        if (!s.written) {
            text += s.base_text;
            continue;
        }
        const config::ConfigNode* input = tree.find(s.name);
        std::shared_ptr<const Cached> c = input ? bind_section(s, *input) : nullptr;
        if (!c) return prepare_plain(levels, out);
        s.copy(c->value, out.spec);
        out.resolved.set(s.name, c->resolved);
        text += c->text;
    }
    out.tree = std::move(tree);
    out.valid = true;
    out.resolved_yaml = std::move(text);
    out.key = hash_hex(m_key_prefix + m_sweep.key_salt + out.resolved_yaml);
}

// Metrics computed by the sweep's functions: for feasible designs (NaN for the others, whose
// metrics are not meaningful). A function that fails makes the point infeasible with its error.
void PointEvaluator::add_hook_metrics(const PreparedPoint& p, PointRow& row) const {
    const auto& hooks = m_sweep.metric_hooks;
    if (hooks.empty()) return;
    const size_t model_count = row.metrics.size();
    const bool feasible = row.metric("feasible") == 1.0;
    HookPoint hp;
    hp.tree = &p.resolved;
    hp.fallback = &m_resolved_base;
    hp.value_paths = &m_sweep.space.value_paths;
    hp.metrics = &row.metrics;
    hp.key = &row.key;
    std::vector<double> values(hooks.size(), std::numeric_limits<double>::quiet_NaN());
    std::string failed;
    for (size_t i = 0; i < hooks.size() && feasible && failed.empty(); ++i) {
        HookValue v = hooks[i].function->call(hp);
        if (!v.ok) failed = v.error;
        else if (v.is_text) failed = hooks[i].function->ref() + ": returned text \"" + v.text + "\"; expected a number";
        else values[i] = v.number;
        row.metrics.resize(model_count);  // the function saw the model's metrics only
    }
    for (size_t i = 0; i < hooks.size(); ++i) row.metrics.emplace_back(hooks[i].name, failed.empty() ? values[i] : NAN);
    if (!failed.empty()) {
        for (auto& [name, value] : row.metrics)
            if (name == "feasible") value = 0.0;
        row.infeasible_reason = failed;
    }
}

PointRow PointEvaluator::evaluate(PreparedPoint& p) const {
    PointRow row;
    row.key = p.key;
    row.sweep = m_sweep.spec.name;
    row.fidelity = fidelity_name(m_sweep.spec.fidelity);
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
        r = model::evaluate(p.spec, m_characteriser.get());
    } catch (const std::exception& e) {
        // the model promises not to throw for a bound design; if it does, the point records why
        r = model::EvalResult{};
        r.feasible = false;
        r.infeasible_reason = std::string("model error: ") + e.what();
    }
    row.infeasible_reason = r.feasible ? "" : r.infeasible_reason;
    row.mapping = r.mapping;
    row.metrics = r.metrics();
    add_hook_metrics(p, row);
    return row;
}

}  // namespace chipdse::sweep
