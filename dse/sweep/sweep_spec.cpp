#include "dse/sweep/sweep_spec.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "dse/model/eval_result.h"

namespace chipdse::sweep {
namespace {

using config::defaults_to;
using config::ObjectSchema;
using config::Range;
using config::required;

// A scalar list item (axis value, file, assignment): keeps its text and location. Maps and
// lists in these places are rejected before binding (see sweep_loader.cpp).
const ObjectSchema<TextItem>& text_item_schema() {
    static const ObjectSchema<TextItem> s = [] {
        ObjectSchema<TextItem> o("item");
        o.shorthand("a value", [](const config::ConfigNode& n, TextItem& out, const std::string&, config::BindContext&) {
            out.text = n.text();
            out.loc = n.loc();
            return true;
        });
        return o;
    }();
    return s;
}

const ObjectSchema<RangeSpec>& range_schema() {
    static const ObjectSchema<RangeSpec> s = [] {
        ObjectSchema<RangeSpec> o("range");
        o.text("from", &RangeSpec::from, "first value, with its unit when the key has one (e.g. 1.2 GHz)", required())
            .text("to", &RangeSpec::to, "last value (inclusive), same kind of unit as from", required())
            .count("steps", &RangeSpec::steps, "number of values from..to inclusive (0: use step)", defaults_to("0"),
                   Range::non_negative())
            .text("step", &RangeSpec::step, "increment of a linear range, instead of steps (e.g. 0.2 GHz)")
            .choice("scale", &RangeSpec::scale, {{"linear", RangeScale::kLinear}, {"log", RangeScale::kLog}},
                    "linear: equal differences; log: equal ratios", defaults_to("linear"));
        return o;
    }();
    return s;
}

void add_axis_fields(ObjectSchema<AxisSpec>& o) {
    o.text("path", &AxisSpec::path, "config path the axis sets (e.g. chip.hbm.stacks)")
        .list("values", &AxisSpec::values, text_item_schema(), "the values, written as in a config (units included)")
        .optional_object("range", &AxisSpec::range, range_schema(), "a linear or log range instead of values");
}

const ObjectSchema<AxisSpec>& zip_member_schema() {
    static const ObjectSchema<AxisSpec> s = [] {
        ObjectSchema<AxisSpec> o("zip member");
        add_axis_fields(o);
        return o;
    }();
    return s;
}

const ObjectSchema<AxisSpec>& axis_schema() {
    static const ObjectSchema<AxisSpec> s = [] {
        ObjectSchema<AxisSpec> o("axis");
        add_axis_fields(o);
        o.list("zip", &AxisSpec::zip, zip_member_schema(),
               "linked axes: the i-th values of all members go together (equal lengths)");
        return o;
    }();
    return s;
}

const ObjectSchema<DerivedSpec>& derived_schema() {
    static const ObjectSchema<DerivedSpec> s = [] {
        ObjectSchema<DerivedSpec> o("derived");
        o.text("path", &DerivedSpec::path, "config path the value is written to", required())
            .text("expr", &DerivedSpec::expr,
                  "arithmetic over config paths (read in SI units), numbers and 'quoted values'")
            .text("unit", &DerivedSpec::unit, "unit the SI result is written in (e.g. TB/s); empty: a plain number")
            .text("python", &DerivedSpec::python,
                  "FILE.py:FUNCTION computing the value from the point, instead of expr (see docs/python.md)");
        return o;
    }();
    return s;
}

const ObjectSchema<SearchSpec>& search_schema() {
    static const ObjectSchema<SearchSpec> s = [] {
        ObjectSchema<SearchSpec> o("search");
        o.choice("method", &SearchSpec::method,
                 {{"grid", SearchMethod::kGrid},
                  {"random", SearchMethod::kRandom},
                  {"lhs", SearchMethod::kLhs},
                  {"nsga2", SearchMethod::kNsga2}},
                 "grid: every combination; random / lhs: `samples` points; nsga2: evolutionary multi-objective",
                 defaults_to("grid"))
            .count("samples", &SearchSpec::samples, "points drawn by random and lhs", defaults_to("100"))
            .count("seed", &SearchSpec::seed, "seed of random, lhs and nsga2 (same seed, same points)",
                   defaults_to("1"), Range::non_negative())
            .count("population", &SearchSpec::population, "nsga2 population size", defaults_to("32"),
                   Range::at_least(4))
            .count("generations", &SearchSpec::generations, "nsga2 generations after the first population",
                   defaults_to("20"), Range::non_negative())
            .number("crossover", &SearchSpec::crossover, "nsga2 crossover probability", defaults_to("0.9"),
                    Range::between(0, 1))
            .number("mutation", &SearchSpec::mutation, "nsga2 per-gene mutation probability (0: 1/dimensions)",
                    defaults_to("0"), Range::between(0, 1))
            .text("python", &SearchSpec::python,
                  "FILE.py:FUNCTION: a candidate generator that proposes the points, instead of method");
        return o;
    }();
    return s;
}

const ObjectSchema<ConstraintSpec>& constraint_schema() {
    static const ObjectSchema<ConstraintSpec> s = [] {
        ObjectSchema<ConstraintSpec> o("constraint");
        o.text("metric", &ConstraintSpec::metric, "metric name (see `chipdse evaluate --json`)")
            .number("min", &ConstraintSpec::min, "smallest allowed value, in the metric's unit", config::optional_field(),
                    Range::any())
            .number("max", &ConstraintSpec::max, "largest allowed value, in the metric's unit", config::optional_field(),
                    Range::any())
            .text("python", &ConstraintSpec::python,
                  "FILE.py:FUNCTION computing the metric per point (stored under metric, default the function's name)")
            .shorthand("a rule like 'die_area_mm2 <= 858' or a metric name",
                       [](const config::ConfigNode& n, ConstraintSpec& out, const std::string& path,
                          config::BindContext& ctx) {
                           std::string err;
                           if (parse_constraint(n.text(), out, err)) return true;
                           ctx.diag.error(n.loc(), path, err, n.describe(),
                                          "'metric <= number', '>=', '<', '>', '==', or a metric name");
                           return false;
                       });
        return o;
    }();
    return s;
}

const ObjectSchema<ObjectiveSpec>& objective_schema() {
    static const ObjectSchema<ObjectiveSpec> s = [] {
        ObjectSchema<ObjectiveSpec> o("objective");
        o.text("maximize", &ObjectiveSpec::maximize, "metric to maximize")
            .text("minimize", &ObjectiveSpec::minimize, "metric to minimize")
            .text("python", &ObjectiveSpec::python, "FILE.py:FUNCTION computing the metric per point (stored under its name)")
            .shorthand("'maximize METRIC' or 'minimize METRIC'",
                       [](const config::ConfigNode& n, ObjectiveSpec& out, const std::string& path,
                          config::BindContext& ctx) {
                           std::string err;
                           if (parse_objective(n.text(), out, err)) return true;
                           ctx.diag.error(n.loc(), path, err, n.describe(), "'maximize METRIC' or 'minimize METRIC'");
                           return false;
                       });
        return o;
    }();
    return s;
}

const ObjectSchema<BaseSpec>& base_schema() {
    static const ObjectSchema<BaseSpec> s = [] {
        ObjectSchema<BaseSpec> o("base");
        o.text("system", &BaseSpec::system, "system YAML (includes its chip), relative to the sweep file")
            .text("workload", &BaseSpec::workload, "workload YAML (model, training, parallelism), relative to the sweep file")
            .list("files", &BaseSpec::files, text_item_schema(), "more config files merged after system and workload")
            .list("set", &BaseSpec::set, text_item_schema(), "path=value overrides applied to every point");
        return o;
    }();
    return s;
}

std::string trim(const std::string& s) {
    size_t a = s.find_first_not_of(" \t");
    if (a == std::string::npos) return "";
    size_t b = s.find_last_not_of(" \t");
    return s.substr(a, b - a + 1);
}

bool is_metric_name(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

}  // namespace

const char* fidelity_name(Fidelity f) { return f == Fidelity::kSystemc ? "systemc" : "analytical"; }

bool ConstraintSpec::satisfied(double v) const {
    if (v != v) return false;  // NaN never satisfies
    if (truthy) return v != 0.0;
    if (min_strict ? !(v > min) : !(v >= min)) return false;
    if (max_strict ? !(v < max) : !(v <= max)) return false;
    return true;
}

std::vector<std::string> ConstraintSpec::rules() const {
    if (truthy) return {metric};
    auto num = [](double v) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.17g", v);
        return std::string(buf);
    };
    if (min == max && !min_strict && !max_strict) return {metric + " == " + num(min)};
    std::vector<std::string> out;
    if (!std::isinf(min)) out.push_back(metric + (min_strict ? " > " : " >= ") + num(min));
    if (!std::isinf(max)) out.push_back(metric + (max_strict ? " < " : " <= ") + num(max));
    return out;
}

bool parse_constraint(const std::string& text, ConstraintSpec& out, std::string& error) {
    out = ConstraintSpec{};
    out.text = text;
    static const char* ops[] = {"<=", ">=", "==", "<", ">"};
    for (const char* op : ops) {
        size_t p = text.find(op);
        if (p == std::string::npos) continue;
        std::string lhs = trim(text.substr(0, p)), rhs = trim(text.substr(p + std::string(op).size()));
        if (!is_metric_name(lhs)) {
            error = "the left side of a constraint must be a metric name";
            return false;
        }
        char* end = nullptr;
        double v = std::strtod(rhs.c_str(), &end);
        if (rhs.empty() || end != rhs.c_str() + rhs.size() || v != v) {
            error = "the right side of a constraint must be a plain number in the metric's unit";
            return false;
        }
        out.metric = lhs;
        std::string o = op;
        if (o == "<=" || o == "<") {
            out.max = v;
            out.max_strict = o == "<";
        } else if (o == ">=" || o == ">") {
            out.min = v;
            out.min_strict = o == ">";
        } else {
            out.min = out.max = v;
        }
        return true;
    }
    std::string t = trim(text);
    if (!is_metric_name(t)) {
        error = "not a constraint";
        return false;
    }
    out.metric = t;
    out.truthy = true;
    return true;
}

bool parse_objective(const std::string& text, ObjectiveSpec& out, std::string& error) {
    out = ObjectiveSpec{};
    std::string t = trim(text);
    size_t sp = t.find_first_of(" \t");
    std::string verb = t.substr(0, sp), metric = sp == std::string::npos ? "" : trim(t.substr(sp));
    bool max = verb == "maximize" || verb == "max" || verb == "maximise";
    bool min = verb == "minimize" || verb == "min" || verb == "minimise";
    if (!(max || min)) {
        error = "an objective starts with maximize or minimize";
        return false;
    }
    if (!is_metric_name(metric)) {
        error = "an objective names one metric";
        return false;
    }
    (max ? out.maximize : out.minimize) = metric;
    return true;
}

const std::vector<std::string>& known_metric_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const auto& [name, value] : model::EvalResult{}.metrics()) n.push_back(name);
        return n;
    }();
    return names;
}

const config::ObjectSchema<SweepSpec>& sweep_schema() {
    static const ObjectSchema<SweepSpec> s = [] {
        ObjectSchema<SweepSpec> o("sweep");
        o.text("name", &SweepSpec::name, "name of the sweep (rows in the store remember it)", required())
            .text("description", &SweepSpec::description, "what the sweep asks")
            .object("base", &SweepSpec::base, base_schema(), "the design every point starts from")
            .choice("mapping", &SweepSpec::mapping, {{"fixed", MappingMode::kFixed}, {"auto", MappingMode::kAuto}},
                    "fixed: the parallelism of the configs and axes; auto: search the best mapping per point",
                    defaults_to("fixed"))
            .choice("fidelity", &SweepSpec::fidelity,
                    {{"analytical", Fidelity::kAnalytical}, {"systemc", Fidelity::kSystemc}},
                    "analytical: L0 alone; systemc: array utilisation, HBM efficiency and scale-up collectives "
                    "characterised by the cycle-level models, cached in the store (docs/fidelity.md)",
                    defaults_to("analytical"))
            .list("axes", &SweepSpec::axes, axis_schema(), "what varies: one entry per axis or zipped group", 1)
            .list("derived", &SweepSpec::derived, derived_schema(), "values computed per point, in order")
            .object("search", &SweepSpec::search, search_schema(), "how points are chosen")
            .list("constraints", &SweepSpec::constraints, constraint_schema(),
                  "rules a point must meet to count (Pareto, NSGA-II, best so far)")
            .list("objectives", &SweepSpec::objectives, objective_schema(), "metrics to maximize or minimize")
            .choice("store_config", &SweepSpec::store_config, {{"full", StoreConfig::kFull}, {"delta", StoreConfig::kDelta}},
                    "full: each row holds its whole resolved config; delta: only what differs from the base",
                    defaults_to("full"));
        return o;
    }();
    return s;
}

}  // namespace chipdse::sweep
