// Sweep files: axes, ranges, zips, derived values, and a located error for every way a sweep
// file can be wrong.
#include <catch2/catch.hpp>
#include <filesystem>

#include "dse/sweep/expression.h"
#include "dse/sweep/point_evaluator.h"
#include "dse/sweep/point_source.h"
#include "dse/sweep/sweep_loader.h"
#include "sweep_test_util.h"

using namespace chipdse;
using namespace chipdse::sweep;

namespace {
std::vector<std::string> level_texts(const Axis& a) {
    std::vector<std::string> out;
    for (const auto& l : a.levels) out.push_back(l.text());
    return out;
}
}  // namespace

TEST_CASE("a sweep file becomes dimensions of levels, zipped axes sharing one", "[sweep][spec]") {
    LoadedSweep s = test::load(test::data("grid.yaml"));
    REQUIRE(s.space.dims.size() == 5);
    CHECK(level_texts(s.space.dims[0].axes[0]) == std::vector<std::string>{"2", "4", "6"});
    // a linear range with units is written canonically
    CHECK(level_texts(s.space.dims[1].axes[0]) == std::vector<std::string>{"1 GHz", "1.5 GHz", "2 GHz", "2.5 GHz"});
    // zipped: one dimension, two axes of equal length
    REQUIRE(s.space.dims[2].axes.size() == 2);
    CHECK(s.space.dims[2].axes[0].path == "chip.matrix.count");
    CHECK(level_texts(s.space.dims[2].axes[1]) == std::vector<std::string>{"300 W", "600 W"});
    CHECK(s.space.grid_size() == 3 * 4 * 2 * 3 * 2);
    REQUIRE(s.space.derived.size() == 1);
    CHECK(s.space.value_paths.back() == "chip.hbm.bandwidth_per_stack");
    // axis values keep where they were written, so errors about them point at the sweep file
    CHECK(s.space.dims[0].axes[0].levels[0].loc().text() == "tests/sweep/data/grid.yaml:10");
}

TEST_CASE("log ranges of counts are integers; a derived value is computed per point", "[sweep][spec]") {
    LoadedSweep s = test::load(test::data("lhs.yaml"));
    CHECK(level_texts(s.space.dims[2].axes[0]) == std::vector<std::string>{"8", "16", "32", "64", "128", "256"});
    CHECK(s.space.dims[1].size() == 17);
    CHECK(s.space.dims[1].axes[0].levels[1].text() == "900 MHz");

    LoadedSweep g = test::load(test::data("grid.yaml"));
    std::string err;
    config::ConfigNode t = g.space.build({0, 3, 1, 0, 1}, err);
    CHECK(err.empty());
    CHECK(t.at_path("chip.clock")->text() == "2.5 GHz");
    CHECK(t.at_path("chip.power.tdp")->text() == "600 W");
    CHECK(t.at_path("system.chips_per_node")->text() == "8");
    // 2.5 GHz x 4096 bit
    CHECK(t.at_path("chip.hbm.bandwidth_per_stack")->text() == "10240000000000 bit/s");
}

TEST_CASE("bad sweep files give located errors with the rule and a suggestion", "[sweep][spec][errors]") {
    struct Case {
        const char* file;
        const char* expected;     // an error line must contain this
        const char* also = "";    // ... and this
    };
    const Case cases[] = {
        {"unknown_key", "unknown_key.yaml:5: axs: unknown key; got 'axs'; expected one of name, description, base"},
        {"axis_path_typo", "axis_path_typo.yaml:6: axes[0].path: unknown config path; got \"chip.hbm.stack\"; "
                           "expected a key of chip.hbm: generation, stacks"},
        {"axis_section_typo", "axis_section_typo.yaml:6: axes[0].path: unknown config path; got \"chp.clock\"; "
                              "expected a section: chip, system, model, training, parallelism",
         "(did you mean 'chip'?)"},
        {"axis_value_missing_unit", "axis_value_missing_unit.yaml:9: chip.clock: missing unit; got \"1800\""},
        {"axis_value_out_of_range", "axis_value_out_of_range.yaml:7: chip.hbm.stacks: out of range; got \"0\"; expected >= 1"},
        {"axis_value_with_base_rule", "axis_value_with_base_rule.yaml:7: system.chips: chips must be a multiple of chips_per_node; got 36"},
        {"axis_value_map", "axis_value_map.yaml:8: axes[0].values[0]: must be a single value; got a map"},
        {"values_and_range", "values_and_range.yaml:6: axes[0]: give values or range, not both"},
        {"no_values", "no_values.yaml:6: axes[0]: an axis needs values or a range; got neither"},
        {"zip_lengths", "zip_lengths.yaml:9: axes[0].zip[1]: zipped axes need the same number of values; got 2 values; "
                        "expected 3 like chip.matrix.count"},
        {"range_mixed_units", "range_mixed_units.yaml:7: axes[0].range: from and to are different kinds of value"},
        {"range_no_steps", "range_no_steps.yaml:7: axes[0].range.steps: a range needs steps or step"},
        {"range_log_nonpositive", "range_log_nonpositive.yaml:7: axes[0].range: a log range needs positive ends"},
        {"range_bad_scale", "range_bad_scale.yaml:7: axes[0].range.scale: not a valid choice; got \"logarithmic\"; "
                            "expected one of linear, log (did you mean 'log'?)"},
        {"path_twice", "path_twice.yaml:8: axes[1].path: path set twice; got \"chip.hbm.stacks\""},
        {"method_typo", "method_typo.yaml:9: search.method: not a valid choice; got \"gird\"; expected one of grid, random, "
                        "lhs, nsga2 (did you mean 'grid'?)"},
        {"fidelity_typo", "fidelity_typo.yaml:5: fidelity: not a valid choice; got \"sytemc\"; expected one of "
                          "analytical, systemc (did you mean 'systemc'?)"},
        {"samples_zero", "samples_zero.yaml:10: search.samples: out of range; got \"0\"; expected >= 1"},
        {"objective_metric_typo", "objective_metric_typo.yaml:9: objectives[0]: unknown metric; got \"tokens_per_sec\"; "
                                  "expected a metric of `chipdse evaluate --json` (did you mean 'tokens_per_s'?)"},
        {"objective_no_verb", "objective_no_verb.yaml:9: objectives[0]: an objective starts with maximize or minimize"},
        {"constraint_with_unit", "constraint_with_unit.yaml:9: constraints[0]: the right side of a constraint must be a "
                                 "plain number in the metric's unit"},
        {"constraint_metric_typo", "constraint_metric_typo.yaml:9: constraints[0]: unknown metric; got \"die_area\"; "
                                   "expected a metric of `chipdse evaluate --json` (did you mean 'die_area_mm2'?)"},
        {"nsga2_no_objectives", "nsga2_no_objectives.yaml:9: search.method: nsga2 needs objectives"},
        {"derived_bad_expr", "derived_bad_expr.yaml:10: derived[0].expr: missing ')'; got \"chip.clock * (4096\""},
        {"derived_unknown_ref", "derived_unknown_ref.yaml:10: derived[0].expr: unknown config path in expression; got "
                                "\"chip.clok\""},
        {"derived_bad_unit", "derived_bad_unit.yaml:11: derived[0].unit: unknown unit 'furlongs'"},
        {"base_missing_file", "base_missing_file.yaml:3: base: config file not found; got \"../no_such_system.yaml\""},
        {"base_bad_set", "base_bad_set.yaml:6: chip.clock: not a number; got \"fast\""},
        {"no_axes", "no_axes.yaml:1: axes: missing required list"},
        {"missing_name", "missing_name.yaml:1: name: missing required key"},
        {"list_path", "list_path.yaml:6: axes[0].path: cannot address inside a list"},
    };
    for (const auto& c : cases) {
        std::string path = test::data(std::string("bad/") + c.file + ".yaml");
        LoadedSweep s;
        config::Diagnostics diag;
        bool ok = load_sweep(path, s, diag);
        INFO(path << "\n" << diag.format());
        CHECK_FALSE(ok);
        REQUIRE_FALSE(diag.empty());
        bool found = false;
        for (const auto& d : diag.items())
            found = found || (d.format().find(c.expected) != std::string::npos && d.format().find(c.also) != std::string::npos);
        CHECK(found);
        CHECK(diag.items().front().format().rfind("tests/sweep/data/bad/", 0) == 0);
    }
}

TEST_CASE("a combination two axes make invalid is not a spec error but an invalid point", "[sweep][spec]") {
    // grid.yaml has 36 chips with nodes of 4 (fine) and 8 (not): it loads
    LoadedSweep s = test::load(test::data("grid.yaml"));
    CHECK(s.space.grid_size() == 144);
}

TEST_CASE("derived-value expressions", "[sweep][expression]") {
    auto eval = [](const std::string& text) {
        std::string err;
        auto e = Expression::parse(text, err);
        INFO(text << ": " << err);
        REQUIRE(e);
        auto v = e->evaluate(
            [](const std::string& p) -> std::optional<double> {
                if (p == "chip.clock") return 1.5e9;
                if (p == "a.b") return 3.0;
                return std::nullopt;
            },
            err);
        INFO(err);
        REQUIRE(v);
        return *v;
    };
    CHECK(eval("1 + 2 * 3") == 7);
    CHECK(eval("(1 + 2) * 3") == 9);
    CHECK(eval("2 ^ 3 ^ 2") == 512);  // right associative
    CHECK(eval("-2 ^ 2") == -4);
    CHECK(eval("a.b * chip.clock / 1e9") == Approx(4.5));
    CHECK(eval("'1.5 GHz' / chip.clock") == Approx(1.0));
    CHECK(eval("'16 GiB'") == 16.0 * 1024 * 1024 * 1024 * 8);  // information is in bits
    CHECK(eval("max(1, a.b, 2) + min(4, 5)") == 7);
    CHECK(eval("round(2.5) + floor(1.9) + ceil(1.1) + sqrt(16) + log2(8) + abs(-1)") == 3 + 1 + 2 + 4 + 3 + 1);

    std::string err;
    CHECK_FALSE(Expression::parse("1 +", err));
    CHECK(err == "expression ends early");
    CHECK_FALSE(Expression::parse("foo(1)", err));
    CHECK(err.find("unknown function 'foo'") != std::string::npos);
    CHECK_FALSE(Expression::parse("min(1)", err));
    CHECK(err == "min takes 2 or more argument(s), got 1");
    auto e = Expression::parse("x.y / 0", err);
    REQUIRE(e);
    CHECK(e->references() == std::vector<std::string>{"x.y"});
    CHECK_FALSE(e->evaluate([](const std::string&) { return 1.0; }, err));
    CHECK(err == "division by zero");
    CHECK_FALSE(e->evaluate([](const std::string&) { return std::nullopt; }, err));
    CHECK(err == "'x.y' has no numeric value in this design point");
}

TEST_CASE("constraints and objectives", "[sweep][spec]") {
    ConstraintSpec c;
    std::string err;
    REQUIRE(parse_constraint("die_area_mm2 <= 858", c, err));
    CHECK(c.satisfied(858));
    CHECK_FALSE(c.satisfied(858.5));
    CHECK_FALSE(c.satisfied(NAN));
    REQUIRE(parse_constraint("mfu > 0.4", c, err));
    CHECK_FALSE(c.satisfied(0.4));
    CHECK(c.satisfied(0.41));
    REQUIRE(parse_constraint("feasible", c, err));
    CHECK(c.truthy);
    CHECK(c.satisfied(1));
    CHECK_FALSE(c.satisfied(0));
    REQUIRE(parse_constraint("avg_power_w >= 1e2", c, err));
    ConstraintSpec back;
    REQUIRE(parse_constraint(c.rules().at(0), back, err));
    CHECK(back.min == 100);
    CHECK_FALSE(parse_constraint("858 >= die_area_mm2", c, err));
    CHECK_FALSE(parse_constraint("x <= 1 W", c, err));

    ObjectiveSpec o;
    REQUIRE(parse_objective("maximize tokens_per_joule", o, err));
    CHECK(o.is_max());
    CHECK(o.metric() == "tokens_per_joule");
    REQUIRE(parse_objective("min time_to_train_s", o, err));
    CHECK_FALSE(o.is_max());
    CHECK_FALSE(parse_objective("maximize", o, err));
    CHECK_FALSE(parse_objective("best tokens_per_s", o, err));
}

TEST_CASE("every metric of the model is known to the sweep, by name", "[sweep][spec]") {
    const auto& names = known_metric_names();
    for (const char* m : {"feasible", "step_time_s", "tokens_per_s", "mfu", "time_to_train_s", "memory_per_chip_bytes"})
        CHECK(std::find(names.begin(), names.end(), m) != names.end());
}

TEST_CASE("cached sections give exactly the keys and configs of binding every point whole", "[sweep][spec][cache]") {
    for (const char* spec : {"grid.yaml", "grid_auto.yaml", "nsga2.yaml"}) {
        LoadedSweep s = test::load(test::data(spec));
        PointEvaluator eval(s);
        INFO(spec);
        CHECK(eval.cached_sections());
        auto grid = make_grid_source(s.space);
        Levels l;
        for (std::uint64_t i = 0; i < grid->size(); ++i) {
            grid->levels(i, l);
            PreparedPoint fast, plain;
            eval.prepare(l, fast);
            eval.prepare_plain(l, plain);
            REQUIRE(fast.key == plain.key);
            REQUIRE(fast.valid == plain.valid);
            REQUIRE(fast.resolved_yaml == plain.resolved_yaml);
            REQUIRE(fast.reason == plain.reason);
            if (fast.valid) {
                PointRow a = eval.evaluate(fast), b = eval.evaluate(plain);
                REQUIRE(a.axes == b.axes);
                REQUIRE(a.config == b.config);
                REQUIRE(a.metrics == b.metrics);
            }
        }
    }
}

TEST_CASE("every shipped sweep loads", "[sweep][spec][shipped]") {
    // through the command line, which has every hook provider built in (e.g. Python)
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator("sweeps")) {
        if (e.path().extension() != ".yaml") continue;
        ++n;
        std::string out, err;
        INFO(e.path() << "\n" << err);
        CHECK(test::shell(std::string(CHIPDSE_BIN) + " sweep " + e.path().string() + " --db unused.sqlite --dry-run", &out,
                          &err) == 0);
        CHECK(out.find("objective") != std::string::npos);
    }
    CHECK(n >= 6);
    for (const char* f : {"quickstart", "seed_levers", "hbm_vs_compute", "link_bandwidth", "codesign_nsga2", "overnight"}) {
        LoadedSweep s = test::load(std::string("sweeps/") + f + ".yaml");
        INFO(f);
        CHECK(PointEvaluator(s).cached_sections());
    }
    CHECK(test::load("sweeps/quickstart.yaml").space.grid_size() == 480);
    CHECK(test::load("sweeps/overnight.yaml").space.grid_size() == 9797760);
}

TEST_CASE("a sweep file can include another and override it", "[sweep][spec]") {
    LoadedSweep s = test::load(test::data("variants/small_grid.yaml"));
    CHECK(s.spec.name == "test-grid-small");
    REQUIRE(s.space.dims.size() == 1);
    CHECK(s.space.grid_size() == 2);
    CHECK(s.spec.objectives.size() == 2);  // from grid.yaml
    CHECK(s.space.derived.size() == 1);
}
