// Python functions named in sweep files: derived values, objectives and constraints computed
// per point, candidate generators; errors with tracebacks; threads; located load errors.
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "dse/sweep/front_query.h"
#include "dse/sweep/point_evaluator.h"
#include "dse/sweep/results_store.h"
#include "python_test_util.h"

using namespace chipdse;
using namespace chipdse::python::test;

namespace {

double num(const std::string& s) { return s.empty() ? NAN : std::stod(s); }

}  // namespace

TEST_CASE("python functions give derived values, objectives and constraints", "[python][hooks]") {
    Scratch dir("hooks");
    auto s = load(data("hooks.yaml"));
    REQUIRE(s.metric_hooks.size() == 2);
    CHECK(s.metric_hooks[0].name == "cheap");  // constraints first, then objectives
    CHECK(s.metric_hooks[1].name == "score");
    CHECK_FALSE(s.key_salt.empty());
    const std::string db = dir.file("h.sqlite");
    auto st = run(s, db, 2);
    CHECK(st.evaluated == 24);
    CHECK(st.invalid == 0);

    // derived: the TDP table of fns.py, written with its unit
    auto axes = column(db, "SELECT axes FROM points WHERE json_extract(axes, '$.\"chip.hbm.stacks\"') = '4' AND "
                           "json_extract(axes, '$.\"chip.clock\"') = '1.5 GHz' LIMIT 1");
    REQUIRE(axes.size() == 1);
    CHECK(axes[0].find("\"chip.power.tdp\":\"400 W\"") != std::string::npos);

    // objective and constraint: new metric columns with the function's values
    auto score = column(db, "SELECT score FROM points WHERE feasible = 1 ORDER BY key");
    auto expected = column(db, "SELECT tokens_per_s / chip_cost_usd FROM points WHERE feasible = 1 ORDER BY key");
    REQUIRE(score.size() == expected.size());
    REQUIRE_FALSE(score.empty());
    for (size_t i = 0; i < score.size(); ++i) CHECK(num(score[i]) == Approx(num(expected[i])).epsilon(1e-12));
    auto cheap = column(db, "SELECT cheap FROM points WHERE feasible = 1 ORDER BY key");
    auto cost = column(db, "SELECT chip_cost_usd * CAST(json_extract(axes, '$.\"system.chips\"') AS REAL) FROM points "
                           "WHERE feasible = 1 ORDER BY key");
    REQUIRE(cheap.size() == cost.size());
    for (size_t i = 0; i < cheap.size(); ++i) CHECK(num(cheap[i]) == (num(cost[i]) < 1.6e6 ? 1.0 : 0.0));

    // the store remembers the rules; the front needs no Python
    sweep::ResultsStore store(db, sweep::ResultsStore::Mode::kReadOnly);
    sweep::FrontResult fr;
    std::string error;
    REQUIRE(sweep::pareto_front(store, sweep::FrontQuery{}, fr, error));
    REQUIRE(fr.constraints.size() == 2);
    CHECK(fr.constraints[1].metric == "cheap");
    CHECK(fr.objectives[0].metric() == "score");
    CHECK_FALSE(fr.front.empty());
    for (const auto& p : fr.front)
        for (const auto& [n, v] : p.metrics)
            if (n == "cheap") CHECK(v == 1.0);
}

TEST_CASE("python functions give the same store with 1 and 4 threads", "[python][hooks]") {
    Scratch dir("threads_same");
    auto s = load(data("hooks.yaml"));
    run(s, dir.file("a.sqlite"), 1);
    run(s, dir.file("b.sqlite"), 4);
    CHECK(dump(dir.file("a.sqlite")) == dump(dir.file("b.sqlite")));
}

TEST_CASE("rows with computed metrics have their own keys, and editing the file changes them", "[python][hooks]") {
    Scratch dir("salt");
    namespace fs = std::filesystem;
    for (const char* f : {"system.yaml", "workload.yaml", "fns.py", "hooks.yaml"})
        fs::copy_file(data(f), dir.file(f));
    auto key_of_first = [&] {
        auto s = load(dir.file("hooks.yaml"));
        sweep::PointEvaluator ev(s);
        sweep::PreparedPoint p;
        ev.prepare(sweep::Levels{0, 1, 0}, p);
        REQUIRE(p.valid);
        return p.key;
    };
    const std::string before = key_of_first();
    {
        std::ofstream f(dir.file("fns.py"), std::ios::app);
        f << "\n# an edit\n";
    }
    const std::string after = key_of_first();
    CHECK(before != after);
    CHECK(key_of_first() == after);  // stable while the file stays the same
}

TEST_CASE("a failing function fails its point with the traceback and the point; the sweep goes on",
          "[python][hooks]") {
    Scratch dir("failing");
    auto s = load(data("failing.yaml"));
    const std::string db = dir.file("f.sqlite");
    auto st = run(s, db, 2);
    CHECK(st.evaluated == 8);
    CHECK(st.invalid == 2);      // the derived value raised above 2 GHz (2.5 GHz, 32 and 64 chips)
    CHECK(st.infeasible >= 3);   // the objective raised at 64 chips (1, 1.5 and 2 GHz)

    auto bad_obj = column(db, "SELECT infeasible_reason FROM points WHERE valid = 1 AND "
                              "json_extract(axes, '$.\"system.chips\"') = '64'");
    REQUIRE(bad_obj.size() == 3);
    for (const auto& r : bad_obj) {
        CHECK_THAT(r, Catch::Contains("fns.py:fails_at_64 raised an error at point {chip.clock: "));
        CHECK_THAT(r, Catch::Contains("system.chips: 64"));
        CHECK_THAT(r, Catch::Contains("Traceback (most recent call last):"));
        CHECK_THAT(r, Catch::Contains("in fails_at_64"));
        CHECK_THAT(r, Catch::Contains("KeyError: 'no such key'"));
    }
    CHECK(column(db, "SELECT count(*) FROM points WHERE valid = 1 AND feasible = 0 AND tokens_or_error IS NULL AND "
                     "json_extract(axes, '$.\"system.chips\"') = '64'")[0] == "3");
    auto good = column(db, "SELECT tokens_or_error - tokens_per_s FROM points WHERE feasible = 1");
    REQUIRE(good.size() == 3);  // 32 chips at 1, 1.5 and 2 GHz
    for (const auto& g : good) CHECK(num(g) == 0.0);

    auto bad_derived = column(db, "SELECT infeasible_reason FROM points WHERE valid = 0");
    REQUIRE(bad_derived.size() == 2);
    for (const auto& r : bad_derived) {
        CHECK_THAT(r, Catch::Contains("failing.yaml:12: derived chip.power.tdp: fns.py:derived_fails_fast_clock"));
        CHECK_THAT(r, Catch::Contains("chip.clock: 2.5 GHz"));
        CHECK_THAT(r, Catch::Contains("ValueError: clock too fast for the table"));
    }
}

TEST_CASE("a function must return a number (or text for a derived value)", "[python][hooks]") {
    Scratch dir("returns");
    std::ofstream(dir.file("fns.py")) << "def none(p):\n    return None\n\ndef text(p):\n    return 'fast'\n\n"
                                         "def tdp(p):\n    return '450 W'\n";
    namespace fs = std::filesystem;
    for (const char* f : {"system.yaml", "workload.yaml"}) fs::copy_file(data(f), dir.file(f));
    std::ofstream(dir.file("s.yaml")) << "name: r\nbase: {system: system.yaml, workload: workload.yaml}\n"
                                         "axes:\n  - path: system.chips\n    values: [32]\n"
                                         "derived:\n  - path: chip.power.tdp\n    python: fns.py:tdp\n"
                                         "objectives:\n  - maximize: a\n    python: fns.py:none\n"
                                         "  - maximize: b\n    python: fns.py:text\n";
    auto s = load(dir.file("s.yaml"));
    run(s, dir.file("r.sqlite"), 1);
    auto r = column(dir.file("r.sqlite"), "SELECT infeasible_reason || '|' || axes FROM points");
    REQUIRE(r.size() == 1);
    CHECK_THAT(r[0], Catch::Contains("fns.py:none at point {system.chips: 32, chip.power.tdp: 450 W}: returned None; "
                                     "expected a number"));
    CHECK_THAT(r[0], Catch::Contains("\"chip.power.tdp\":\"450 W\""));
}

TEST_CASE("python functions run on every thread, and threads overlap", "[python][hooks][slow]") {
    Scratch dir("overlap");
    auto s = load(data("threads.yaml"));
    auto timed = [&](unsigned jobs, const std::string& db) {
        auto t0 = std::chrono::steady_clock::now();
        auto st = run(s, db, jobs);
        CHECK(st.evaluated == 48);
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    const double t1 = timed(1, dir.file("one.sqlite"));
    const double t4 = timed(4, dir.file("four.sqlite"));
    INFO("1 thread " << t1 << " s, 4 threads " << t4 << " s");
    CHECK(t1 > 48 * 0.004);
    CHECK(t4 < 0.6 * t1);  // the GIL is held only while python runs: the sleeps overlap
    auto one = column(dir.file("one.sqlite"), "SELECT DISTINCT thread_id FROM points");
    auto four = column(dir.file("four.sqlite"), "SELECT DISTINCT thread_id FROM points");
    CHECK(one.size() == 1);
    CHECK(four.size() > 1);
}

TEST_CASE("a candidate generator proposes points and sees their results", "[python][hooks]") {
    Scratch dir("generator");
    auto s = load(data("generator.yaml"));
    REQUIRE(s.generator);
    auto st = run(s, dir.file("g1.sqlite"), 1);
    CHECK(st.done >= 5 + 1);  // two batches of 3 and 2 (one repeated) and some neighbours
    const auto rows = column(dir.file("g1.sqlite"), "SELECT count(*) FROM points");
    CHECK(std::stoi(rows[0]) >= 5);
    CHECK(std::stoi(rows[0]) <= 4 + 10);
    run(s, dir.file("g4.sqlite"), 4);
    CHECK(dump(dir.file("g1.sqlite")) == dump(dir.file("g4.sqlite")));
}

TEST_CASE("a failing generator stops the sweep with its traceback; the rows so far are kept", "[python][hooks]") {
    Scratch dir("generator_fails");
    auto s = load(data("generator_fails.yaml"));
    try {
        run(s, dir.file("g.sqlite"), 2);
        FAIL("no error");
    } catch (const sweep::HookError& e) {
        CHECK_THAT(e.what(), Catch::Contains("fns.py:generator_fails (candidate generator) raised an error"));
        CHECK_THAT(e.what(), Catch::Contains("RuntimeError: the generator gave up"));
    }
    CHECK(column(dir.file("g.sqlite"), "SELECT count(*) FROM points")[0] == "2");

    auto r = load(data("generator_range.yaml"));
    try {
        run(r, dir.file("r.sqlite"), 1);
        FAIL("no error");
    } catch (const sweep::HookError& e) {
        CHECK_THAT(e.what(), Catch::Contains("IndexError: level 9 of axis chip.clock is out of range (4 values)"));
    }
}

TEST_CASE("bad function references are located errors", "[python][hooks]") {
    use_python();
    struct Case {
        const char* file;
        const char* message;
    };
    const Case cases[] = {
        {"missing_file", "missing_file.yaml:10: derived[0].python: python file not found (looked beside the sweep "
                         "file and in the working directory); got \"nope.py:tdp\""},
        {"missing_function", "missing_function.yaml:10: objectives[0].python: ../fns.py has no function 'scor' (did "
                             "you mean 'score'?)"},
        {"import_error", "import_error.yaml:10: derived[0].python: cannot import ../broken.py\n"},
        {"expr_and_python", "expr_and_python.yaml:9: derived[0]: a derived value has exactly one of expr or python; "
                            "got both"},
        {"shadows_model_metric", "shadows_model_metric.yaml:10: objectives[0]: a computed metric cannot take the name "
                                 "of a model metric; got \"tokens_per_s\""},
        {"method_and_python", "method_and_python.yaml:9: search.method: search.python proposes the points itself"},
        {"no_function_name", "no_function_name.yaml:9: constraints[0].python: a function is named as FILE.py:FUNCTION; "
                             "got \"../fns.py\""},
        {"not_callable", "not_callable.yaml:9: constraints[0].python: ../fns.py: 'KEPT' is a list, not a function"},
        {"two_functions_one_metric", "two_functions_one_metric.yaml:10: objectives[0]: metric computed by two "
                                     "different functions; got \"same\""},
    };
    for (const auto& c : cases) {
        sweep::LoadedSweep s;
        config::Diagnostics diag;
        CHECK_FALSE(sweep::load_sweep(data(std::string("bad/") + c.file + ".yaml"), s, diag));
        INFO(c.file << ":\n" << diag.format());
        REQUIRE(diag.size() == 1);
        CHECK_THAT(diag.format(), Catch::Contains(c.message));
    }
    sweep::LoadedSweep s;
    config::Diagnostics diag;
    sweep::load_sweep(data("bad/import_error.yaml"), s, diag);
    CHECK_THAT(diag.format(), Catch::Contains("SyntaxError: '(' was never closed"));
    CHECK_THAT(diag.format(), !Catch::Contains("frozen importlib"));
}
