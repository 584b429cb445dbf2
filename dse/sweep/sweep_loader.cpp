#include "dse/sweep/sweep_loader.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>

#include "dse/config/config_loader.h"
#include "dse/spec/design_loader.h"
#include "dse/spec/spec_schemas.h"
#include "dse/sweep/point_hash.h"
#include "dse/sweep/results_store.h"
#include "dse/units/unit_parser.h"

namespace chipdse::sweep {
namespace {

namespace fs = std::filesystem;
using config::ConfigNode;
using config::Diagnostics;
using config::SourceLoc;

const ConfigNode* item(const ConfigNode* list, size_t i) {
    if (!list || !list->is_list() || i >= list->items().size()) return nullptr;
    return &list->items()[i];
}
const ConfigNode* child(const ConfigNode* map, const char* key) { return map && map->is_map() ? map->find(key) : nullptr; }
SourceLoc loc_of(const ConfigNode* n, const SourceLoc& fallback) { return n ? n->loc() : fallback; }

// Lists whose items must be scalars: report maps and lists there before binding.
void require_scalar_items(const ConfigNode* list, const std::string& path, const char* expected, Diagnostics& diag) {
    if (!list || !list->is_list()) return;
    for (size_t i = 0; i < list->items().size(); ++i) {
        const ConfigNode& it = list->items()[i];
        if (it.is_map() || it.is_list())
            diag.error(it.loc(), path + "[" + std::to_string(i) + "]", "must be a single value", it.describe(), expected);
    }
}

void prewalk(const ConfigNode& root, Diagnostics& diag) {
    const char* value_expected = "a scalar such as 8 or 1.8 GHz (for a map, zip one axis per key)";
    if (const ConfigNode* axes = child(&root, "axes"); axes && axes->is_list()) {
        for (size_t i = 0; i < axes->items().size(); ++i) {
            const ConfigNode* a = item(axes, i);
            std::string p = "axes[" + std::to_string(i) + "]";
            require_scalar_items(child(a, "values"), p + ".values", value_expected, diag);
            if (const ConfigNode* zip = child(a, "zip"); zip && zip->is_list())
                for (size_t j = 0; j < zip->items().size(); ++j)
                    require_scalar_items(child(item(zip, j), "values"), p + ".zip[" + std::to_string(j) + "].values",
                                         value_expected, diag);
        }
    }
    const ConfigNode* base = child(&root, "base");
    require_scalar_items(child(base, "files"), "base.files", "a file path", diag);
    require_scalar_items(child(base, "set"), "base.set", "path=value", diag);
}

std::string round12(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.12g", v);
    return buf;
}

// Levels of a range: values with units are written canonically; bare integer ranges stay integers.
bool range_levels(const RangeSpec& r, const std::string& path, const SourceLoc& loc, std::vector<ConfigNode>& out,
                  Diagnostics& diag) {
    auto from = units::parse_value(r.from), to = units::parse_value(r.to);
    bool ok = true;
    if (!from.value) {
        diag.error(loc, path + ".range.from", from.error, "\"" + r.from + "\"", "a number, with a unit when the key has one");
        ok = false;
    }
    if (!to.value) {
        diag.error(loc, path + ".range.to", to.error, "\"" + r.to + "\"", "a number, with a unit when the key has one");
        ok = false;
    }
    if (!ok) return false;
    const auto& f = *from.value;
    const auto& t = *to.value;
    if (f.has_unit != t.has_unit || (f.has_unit && !(f.dim == t.dim))) {
        diag.error(loc, path + ".range", "from and to are different kinds of value", "\"" + r.from + "\" .. \"" + r.to + "\"",
                   "the same unit kind at both ends");
        return false;
    }
    const bool integral = !f.has_unit && f.si == std::round(f.si) && t.si == std::round(t.si);
    std::vector<double> vals;
    if (r.scale == RangeScale::kLog) {
        if (r.steps < 2 || !r.step.empty()) {
            diag.error(loc, path + ".range.steps", "a log range needs steps", r.steps ? std::to_string(r.steps) : "nothing",
                       "steps >= 2 (and no step)");
            return false;
        }
        if (!(f.si > 0 && t.si > 0)) {
            diag.error(loc, path + ".range", "a log range needs positive ends", "\"" + r.from + "\" .. \"" + r.to + "\"",
                       "from > 0 and to > 0");
            return false;
        }
        for (std::int64_t i = 0; i < r.steps; ++i)
            vals.push_back(f.si * std::pow(t.si / f.si, static_cast<double>(i) / static_cast<double>(r.steps - 1)));
    } else if (!r.step.empty()) {
        if (r.steps) {
            diag.error(loc, path + ".range", "give steps or step, not both", "both", "one of them");
            return false;
        }
        auto s = units::parse_value(r.step);
        if (!s.value || s.value->has_unit != f.has_unit || (f.has_unit && !(s.value->dim == f.dim)) ||
            !(s.value->si > 0)) {
            diag.error(loc, path + ".range.step", s.value ? "step must be positive and of the same kind as from"
                                                          : s.error,
                       "\"" + r.step + "\"", "a positive increment like from");
            return false;
        }
        const double n = std::floor((t.si - f.si) / s.value->si * (1 + 1e-12)) + 1;
        if (!(n >= 1) || n > 1e6) {
            diag.error(loc, path + ".range", "step gives no values or too many", round12(n) + " values", "1 .. 1000000");
            return false;
        }
        for (double i = 0; i < n; ++i) vals.push_back(f.si + i * s.value->si);
    } else {
        if (r.steps < 1) {
            diag.error(loc, path + ".range.steps", "a range needs steps or step", "nothing", "steps >= 1, or step");
            return false;
        }
        if (r.steps > 1000000) {
            diag.error(loc, path + ".range.steps", "too many steps for one axis", std::to_string(r.steps), "<= 1000000");
            return false;
        }
        for (std::int64_t i = 0; i < r.steps; ++i)
            vals.push_back(r.steps == 1 ? f.si
                                        : f.si + (t.si - f.si) * static_cast<double>(i) / static_cast<double>(r.steps - 1));
    }
    std::string last;
    for (double v : vals) {
        std::string text;
        if (integral) text = round12(std::round(v));
        else if (f.has_unit) text = units::format_value(std::stod(round12(v)), f.dim);
        else text = round12(v);
        if (text == last) continue;  // rounding to integers can repeat a value
        last = text;
        out.push_back(ConfigNode::scalar(text, loc));
    }
    return true;
}

bool build_axis(const AxisSpec& a, const ConfigNode* raw, const std::string& key_path, const SourceLoc& fallback,
                Axis& out, Diagnostics& diag) {
    SourceLoc loc = loc_of(raw, fallback);
    out.loc = loc;
    out.path = a.path;
    if (a.path.empty()) {
        diag.error(loc, key_path + ".path", "missing required key", "nothing", "a config path such as chip.hbm.stacks");
        return false;
    }
    bool ok = check_design_path(a.path, loc_of(child(raw, "path"), loc), key_path + ".path", diag);
    if (a.values.empty() == !a.range.has_value()) {
        diag.error(loc, key_path, a.range ? "give values or range, not both" : "an axis needs values or a range",
                   a.range ? "both" : "neither", "values: [...] or range: {from, to, steps}");
        return false;
    }
    if (a.range) {
        ok = range_levels(*a.range, key_path, loc_of(child(raw, "range"), loc), out.levels, diag) && ok;
    } else {
        for (size_t i = 0; i < a.values.size(); ++i) {
            const TextItem& v = a.values[i];
            if (v.text.empty()) {
                diag.error(v.loc.file ? v.loc : loc, key_path + ".values[" + std::to_string(i) + "]", "no value given",
                           "nothing", "a value");
                ok = false;
                continue;
            }
            out.levels.push_back(ConfigNode::scalar(v.text, v.loc.file ? v.loc : loc));
        }
    }
    return ok;
}

// Axis values the sweep file got wrong: a value that makes its own key invalid (wrong unit,
// out of range, breaks a rule with a base value) whatever the other axes say. A rule between
// two axes (chips vs chips_per_node) that some combinations meet is left to the points,
// which are then recorded as invalid. Rules relate two keys, so varying one other dimension
// at a time is enough to tell the two apart.
void check_levels(const DesignSpace& space, Diagnostics& diag) {
    auto errors_at = [&](const Levels& levels, size_t d) {
        std::string derr;
        ConfigNode t = space.build(levels, derr);
        Diagnostics local;
        spec::DesignSpec s;
        spec::bind_design(t, s, local);
        std::vector<config::Diagnostic> out;
        for (const auto& item : local.items())
            for (const auto& a : space.dims[d].axes) {
                const ConfigNode& v = a.levels[levels[d]];
                if (item.path == a.path && item.loc.file && v.loc().file && *item.loc.file == *v.loc().file &&
                    item.loc.line == v.loc().line)
                    out.push_back(item);
            }
        return out;
    };
    std::set<std::string> seen;
    const size_t nd = space.dims.size();
    for (size_t d = 0; d < nd; ++d) {
        for (std::uint32_t l = 0; l < space.dims[d].size(); ++l) {
            Levels levels(nd, 0);
            levels[d] = l;
            for (const auto& e : errors_at(levels, d)) {
                bool fixable = false;
                for (size_t d2 = 0; d2 < nd && !fixable; ++d2) {
                    if (d2 == d) continue;
                    for (std::uint32_t l2 = 0; l2 < space.dims[d2].size() && !fixable; ++l2) {
                        Levels other = levels;
                        other[d2] = l2;
                        bool still = false;
                        for (const auto& e2 : errors_at(other, d)) still = still || e2.problem == e.problem;
                        fixable = !still;
                    }
                }
                if (!fixable && seen.insert(e.format()).second) diag.add(e);
            }
        }
    }
}

// A function named by reference (python: FILE.py:FUNCTION), through the registered provider.
std::shared_ptr<const PointFunction> resolve_function(const std::string& ref, const SourceLoc& loc,
                                                      const std::string& key_path, const std::string& dir,
                                                      Diagnostics& diag) {
    HookProvider* provider = hook_provider("python");
    if (!provider) {
        diag.error(loc, key_path, "this chipdse was built without Python", "\"" + ref + "\"",
                   "an expression, or a chipdse with its embedded Python (dse/python)");
        return nullptr;
    }
    std::string err;
    auto f = provider->point_function(ref, dir, err);
    if (!f && err.find('\n') != std::string::npos) diag.error(loc, key_path, err);  // ends with a traceback
    else if (!f) diag.error(loc, key_path, err, "\"" + ref + "\"", "FILE.py:FUNCTION (FILE relative to the sweep file)");
    return f;
}

// The name a python constraint's metric is stored under: `metric:`, else the function's name.
std::string function_name(const std::string& ref) {
    size_t colon = ref.rfind(':');
    return colon == std::string::npos ? ref : ref.substr(colon + 1);
}

}  // namespace

bool check_design_path(const std::string& path, const SourceLoc& loc, const std::string& key_path, Diagnostics& diag) {
    const config::SchemaNode* node = &spec::design_schema();
    std::string walked;
    size_t start = 0;
    while (true) {
        size_t dot = path.find('.', start);
        std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!node) {
            diag.error(loc, key_path, "'" + walked + "' has no keys below it", "\"" + path + "\"",
                       "a path that ends at " + walked);
            return false;
        }
        const config::FieldDoc* f = node->field(part);
        if (!f) {
            std::vector<std::string> keys;
            for (const auto& d : node->fields()) keys.push_back(d.key);
            std::string hint = config::closest_match(part, keys);
            std::string expected = walked.empty() ? "a section: " : "a key of " + walked + ": ";
            for (size_t i = 0; i < keys.size() && i < 12; ++i) expected += (i ? ", " : "") + keys[i];
            if (keys.size() > 12) expected += ", ...";
            diag.error(loc, key_path, "unknown config path", "\"" + path + "\"", expected,
                       hint.empty() ? "" : "did you mean '" + (walked.empty() ? hint : walked + "." + hint) + "'?");
            return false;
        }
        walked = walked.empty() ? part : walked + "." + part;
        if (f->type == "list" && dot != std::string::npos) {
            diag.error(loc, key_path, "cannot address inside a list", "\"" + path + "\"",
                       "a path through maps only (set the whole list in base.set instead)");
            return false;
        }
        node = f->type == "object" ? f->child : nullptr;
        if (dot == std::string::npos) return true;
        start = dot + 1;
    }
}

bool load_sweep(const std::string& path, LoadedSweep& out, Diagnostics& diag) {
    out = LoadedSweep{};
    out.path = path;
    const size_t before = diag.size();
    ConfigNode raw = config::load_config_file(path, diag);
    if (diag.size() > before) return false;
    prewalk(raw, diag);
    if (diag.size() > before) return false;
    sweep_schema().bind_root(raw, out.spec, diag);
    if (diag.size() > before) return false;
    out.spec_yaml = config::to_yaml(raw);
    const SweepSpec& s = out.spec;
    const SourceLoc file_loc = raw.loc();

    // base design
    const fs::path dir = fs::path(path).parent_path();
    const ConfigNode* raw_base = child(&raw, "base");
    std::vector<std::pair<std::string, SourceLoc>> files;
    if (!s.base.system.empty()) files.emplace_back(s.base.system, loc_of(child(raw_base, "system"), file_loc));
    if (!s.base.workload.empty()) files.emplace_back(s.base.workload, loc_of(child(raw_base, "workload"), file_loc));
    for (const auto& f : s.base.files) files.emplace_back(f.text, f.loc);
    if (files.empty())
        diag.error(loc_of(raw_base, file_loc), "base", "no base design", "nothing",
                   "base.system and base.workload (paths relative to the sweep file)");
    ConfigNode& base = out.space.base;
    base = ConfigNode::map(file_loc);
    for (const auto& [name, loc] : files) {
        // relative to the file that names it (a sweep file may include another)
        const fs::path from = loc.file ? fs::path(*loc.file).parent_path() : dir;
        fs::path p = from / name;
        std::error_code ec;
        if (!fs::is_regular_file(p, ec)) {
            diag.error(loc, "base", "config file not found", "\"" + name + "\"",
                       "a path relative to the sweep file (" + (from.empty() ? std::string(".") : from.string()) + ")");
            continue;
        }
        config::merge_into(base, config::load_config_file(p.lexically_normal().string(), diag));
    }
    for (const auto& a : s.base.set) config::apply_assignment(base, a.text, a.loc.text(), diag);
    if (s.mapping == MappingMode::kAuto)
        config::set_at_path(base, "parallelism", ConfigNode::scalar("auto", loc_of(child(&raw, "mapping"), file_loc)));
    if (diag.size() > before) return false;
    spec::LoadedDesign bd;
    bd.tree = base;
    spec::bind_design(base, bd.spec, diag);
    if (diag.size() == before) spec::require_sections_for_evaluation(bd, diag);
    if (diag.size() > before) return false;
    out.base_resolved = spec::resolved_yaml(bd.spec);
    const ConfigNode resolved_base = spec::design_schema().dump(bd.spec);

    // axes
    const ConfigNode* raw_axes = child(&raw, "axes");
    std::set<std::string> set_paths;
    auto claim = [&](const std::string& p, const SourceLoc& loc, const std::string& key_path) {
        if (!set_paths.insert(p).second)
            diag.error(loc, key_path, "path set twice", "\"" + p + "\"", "each config path on one axis or derived value");
    };
    for (size_t i = 0; i < s.axes.size(); ++i) {
        const AxisSpec& a = s.axes[i];
        const ConfigNode* ra = item(raw_axes, i);
        const std::string kp = "axes[" + std::to_string(i) + "]";
        const SourceLoc aloc = loc_of(ra, file_loc);
        Dimension dim;
        if (!a.zip.empty()) {
            if (!a.path.empty() || !a.values.empty() || a.range) {
                diag.error(aloc, kp, "an axis is either zip or path with values", "both", "zip: [...] alone");
                continue;
            }
            bool ok = true;
            for (size_t j = 0; j < a.zip.size(); ++j) {
                Axis ax;
                const std::string zp = kp + ".zip[" + std::to_string(j) + "]";
                if (!build_axis(a.zip[j], item(child(ra, "zip"), j), zp, aloc, ax, diag)) {
                    ok = false;
                    continue;
                }
                claim(ax.path, ax.loc, zp + ".path");
                if (!dim.axes.empty() && ax.levels.size() != dim.axes.front().levels.size()) {
                    diag.error(ax.loc, zp, "zipped axes need the same number of values",
                               std::to_string(ax.levels.size()) + " values",
                               std::to_string(dim.axes.front().levels.size()) + " like " + dim.axes.front().path);
                    ok = false;
                }
                dim.axes.push_back(std::move(ax));
            }
            if (!ok) continue;
        } else {
            Axis ax;
            if (!build_axis(a, ra, kp, file_loc, ax, diag)) continue;
            claim(ax.path, ax.loc, kp + ".path");
            dim.axes.push_back(std::move(ax));
        }
        if (dim.axes.empty() || dim.size() == 0) {
            diag.error(aloc, kp, "axis has no values", "nothing", "at least one value");
            continue;
        }
        for (const auto& ax : dim.axes) out.space.value_paths.push_back(ax.path);
        for (const auto& ax : dim.axes) out.space.axis_paths.push_back(ax.path);
        out.space.dims.push_back(std::move(dim));
    }

    // derived values
    const ConfigNode* raw_derived = child(&raw, "derived");
    for (size_t i = 0; i < s.derived.size(); ++i) {
        const DerivedSpec& d = s.derived[i];
        const ConfigNode* rd = item(raw_derived, i);
        const std::string kp = "derived[" + std::to_string(i) + "]";
        const SourceLoc dloc = loc_of(rd, file_loc);
        DerivedValue dv;
        dv.path = d.path;
        dv.loc = dloc;
        dv.unit = d.unit;
        bool ok = check_design_path(d.path, loc_of(child(rd, "path"), dloc), kp + ".path", diag);
        claim(d.path, dloc, kp + ".path");
        if (d.expr.empty() == d.python.empty()) {
            diag.error(dloc, kp, "a derived value has exactly one of expr or python", d.expr.empty() ? "neither" : "both",
                       "expr: ARITHMETIC or python: FILE.py:FUNCTION");
            continue;
        }
        std::optional<Expression> e;
        if (!d.python.empty()) {
            dv.function = resolve_function(d.python, loc_of(child(rd, "python"), dloc), kp + ".python",
                                           dir.string(), diag);
            ok = ok && dv.function != nullptr;
        } else {
            std::string err;
            e = Expression::parse(d.expr, err);
            if (!e) {
                diag.error(loc_of(child(rd, "expr"), dloc), kp + ".expr", err, "\"" + d.expr + "\"",
                           "arithmetic over config paths, numbers and 'quoted values'");
                continue;
            }
            for (const auto& ref : e->references()) {
                bool known = set_paths.count(ref) > 0 || base.at_path(ref) || resolved_base.at_path(ref);
                if (!known) {
                    diag.error(loc_of(child(rd, "expr"), dloc), kp + ".expr", "unknown config path in expression",
                               "\"" + ref + "\"", "a path of the base design, an axis or an earlier derived value");
                    ok = false;
                }
            }
        }
        if (!d.unit.empty()) {
            auto u = units::parse_value("1 " + d.unit);
            if (!u.value || !u.value->has_unit || !(u.value->si > 0)) {
                diag.error(loc_of(child(rd, "unit"), dloc), kp + ".unit", u.value ? "not a unit" : u.error,
                           "\"" + d.unit + "\"", "a unit such as TB/s, GHz, GiB");
                ok = false;
            } else {
                dv.unit_si = u.value->si;
            }
        }
        if (!ok) continue;
        if (e) dv.expr = std::move(*e);
        out.space.value_paths.push_back(dv.path);
        out.space.derived.push_back(std::move(dv));
    }
    // Derived expressions read paths absent from the tree from the resolved base (defaults).
    out.space.resolved_base = resolved_base;
    if (diag.size() > before) return false;
    check_levels(out.space, diag);

    // metrics computed by functions (python: in objectives and constraints)
    const auto& model_metrics = known_metric_names();
    std::vector<std::string> signatures;
    std::vector<std::string> hook_names;  // even of functions that did not resolve: no second error
    auto add_metric_hook = [&](const std::string& name, const std::string& ref, const ConfigNode* raw_item,
                               const std::string& kp) {
        const SourceLoc loc = loc_of(config::key_node(raw_item, "python"), file_loc);
        hook_names.push_back(name);
        if (ref.find(':') == std::string::npos) {
            diag.error(loc, kp + ".python", "a function is named as FILE.py:FUNCTION", "\"" + ref + "\"",
                       "e.g. my_objectives.py:score");
            return;
        }
        if (!valid_column_name(name)) {
            diag.error(loc, kp, "a computed metric needs a name of letters, digits and underscores", "\"" + name + "\"",
                       "e.g. tokens_per_dollar_capped");
            return;
        }
        for (const auto& m : model_metrics)
            if (m == name) {
                diag.error(loc, kp, "a computed metric cannot take the name of a model metric", "\"" + name + "\"",
                           "a new name");
                return;
            }
        for (const auto& h : out.metric_hooks)
            if (h.name == name) {
                if (h.function->ref() != ref)
                    diag.error(loc, kp, "metric computed by two different functions", "\"" + name + "\"",
                               "one function per metric name (" + h.function->ref() + ")");
                return;
            }
        auto f = resolve_function(ref, loc, kp + ".python", dir.string(), diag);
        if (!f) return;
        out.metric_hooks.push_back({name, f});
        signatures.push_back(name + "=" + hook_provider("python")->signature(ref, dir.string()));
    };
    const ConfigNode* raw_cons_h = child(&raw, "constraints");
    for (size_t i = 0; i < s.constraints.size(); ++i) {
        ConstraintSpec& c = out.spec.constraints[i];
        if (c.python.empty()) continue;
        if (c.metric.empty()) c.metric = function_name(c.python);
        add_metric_hook(c.metric, c.python, item(raw_cons_h, i), "constraints[" + std::to_string(i) + "]");
    }
    const ConfigNode* raw_obj_h = child(&raw, "objectives");
    for (size_t i = 0; i < s.objectives.size(); ++i) {
        const ObjectiveSpec& o = s.objectives[i];
        if (o.python.empty() || o.metric().empty()) continue;
        add_metric_hook(o.metric(), o.python, item(raw_obj_h, i), "objectives[" + std::to_string(i) + "]");
    }
    std::vector<std::string> metrics = model_metrics;
    metrics.insert(metrics.end(), hook_names.begin(), hook_names.end());
    if (!out.metric_hooks.empty()) {
        out.key_salt = "metrics computed by functions:";
        for (const auto& sig : signatures) out.key_salt += " " + sig;
        out.key_salt += "\n";
    }

    // constraints and objectives name metrics
    auto check_metric = [&](const std::string& m, const SourceLoc& loc, const std::string& kp) {
        for (const auto& k : metrics)
            if (k == m) return;
        std::string hint = config::closest_match(m, metrics);
        diag.error(loc, kp, "unknown metric", "\"" + m + "\"", "a metric of `chipdse evaluate --json`",
                   hint.empty() ? "" : "did you mean '" + hint + "'?");
    };
    const ConfigNode* raw_cons = child(&raw, "constraints");
    for (size_t i = 0; i < s.constraints.size(); ++i) {
        ConstraintSpec& c = out.spec.constraints[i];
        const ConfigNode* rc = item(raw_cons, i);
        if (rc && rc->is_map()) {
            if (std::isinf(c.min) && std::isinf(c.max)) c.truthy = true;
            c.text.clear();
            for (const auto& r : c.rules()) c.text += (c.text.empty() ? "" : ", ") + r;
        }
        if (c.metric.empty()) {
            diag.error(loc_of(rc, file_loc), "constraints[" + std::to_string(i) + "].metric", "missing required key",
                       "nothing", "a metric name");
            continue;
        }
        check_metric(c.metric, loc_of(rc, file_loc), "constraints[" + std::to_string(i) + "]");
    }
    const ConfigNode* raw_obj = child(&raw, "objectives");
    for (size_t i = 0; i < s.objectives.size(); ++i) {
        const ObjectiveSpec& o = s.objectives[i];
        const ConfigNode* ro = item(raw_obj, i);
        const std::string kp = "objectives[" + std::to_string(i) + "]";
        if (o.maximize.empty() == o.minimize.empty()) {
            diag.error(loc_of(ro, file_loc), kp, "an objective has exactly one of maximize or minimize",
                       o.maximize.empty() ? "neither" : "both", "maximize: METRIC or minimize: METRIC");
            continue;
        }
        check_metric(o.metric(), loc_of(ro, file_loc), kp);
    }

    // search
    const ConfigNode* raw_search = child(&raw, "search");
    const SourceLoc sloc = loc_of(raw_search, file_loc);
    if (s.search.method == SearchMethod::kNsga2 && s.objectives.empty())
        diag.error(loc_of(child(raw_search, "method"), sloc), "search.method", "nsga2 needs objectives", "none",
                   "objectives: [maximize METRIC, minimize METRIC]");
    if (!s.search.python.empty()) {
        if (child(raw_search, "method"))
            diag.error(loc_of(child(raw_search, "method"), sloc), "search.method",
                       "search.python proposes the points itself", "method and python", "one of them");
        if (HookProvider* provider = hook_provider("python")) {
            std::string err;
            out.generator = provider->generator(s.search.python, dir.string(), err);
            if (!out.generator && err.find('\n') != std::string::npos)
                diag.error(loc_of(child(raw_search, "python"), sloc), "search.python", err);
            else if (!out.generator)
                diag.error(loc_of(child(raw_search, "python"), sloc), "search.python", err,
                           "\"" + s.search.python + "\"", "FILE.py:FUNCTION (FILE relative to the sweep file)");
        } else {
            diag.error(loc_of(child(raw_search, "python"), sloc), "search.python",
                       "this chipdse was built without Python", "\"" + s.search.python + "\"", "a search method");
        }
    }
    if (s.search.method == SearchMethod::kGrid && s.search.python.empty() &&
        out.space.grid_size() == std::numeric_limits<std::uint64_t>::max())
        diag.error(sloc, "search.method", "the grid has more than 2^64 points", "grid",
                   "random, lhs or nsga2 for a space this large");
    if (diag.size() > before) return false;

    // functions: their files' contents, so that MPI ranks with different code disagree
    std::string fns;
    for (const auto& dv : out.space.derived)
        if (dv.function) fns += dv.path + "=" + hook_provider("python")->signature(dv.function->ref(), dir.string()) + "\n";
    if (out.generator) fns += "search=" + hook_provider("python")->signature(out.generator->ref(), dir.string()) + "\n";
    out.fingerprint = hash_hex(out.spec_yaml + "\n--base--\n" + out.base_resolved + out.key_salt + fns);
    return true;
}

}  // namespace chipdse::sweep
