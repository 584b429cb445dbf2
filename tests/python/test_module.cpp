// The `chipdse` module as scripts use it: designs with units, evaluation, sweeps, stores as
// rows and numpy arrays, fronts, and the errors a script sees. Each case runs Python code with
// asserts; a failed assert prints its traceback and fails the case.
#include <catch2/catch.hpp>
#include <fstream>

#include "dse/sweep/front_query.h"
#include "dse/sweep/results_store.h"
#include "python_test_util.h"

using namespace chipdse;
using namespace chipdse::python::test;

namespace {

const char* kSystem = "tests/python/data/system.yaml";
const char* kWorkload = "tests/python/data/workload.yaml";

}  // namespace

TEST_CASE("designs load, change with units and evaluate", "[python][module]") {
    CHECK(run_python(R"py(
import sys, chipdse
system, workload = sys.argv[1], sys.argv[2]
d = chipdse.load(system, workload, set={"system.chips": 32})
assert d["chip.clock"] == "1.5 GHz", d["chip.clock"]
assert d.value("chip.clock") == 1.5e9
assert d["system.chips"] == "32"
assert d.value("chip.hbm.capacity_per_stack", "GiB") == 16
assert d.value("chip.hbm.capacity_per_stack") == 16 * 2**30 * 8       # SI keeps data in bits
r = d.evaluate()
assert r.feasible, r.reason
assert r["tokens_per_s"] > 0 and 0 < r["mfu"] < 1
assert set(chipdse.metric_names()) <= set(r.keys())
assert r.mapping["tp"] == 2 and r.mapping["dp"] == 8, r.mapping

faster = d.copy()
faster["chip.clock"] = "2 GHz"
assert d["chip.clock"] == "1.5 GHz"                      # a copy is independent
assert faster.evaluate()["tokens_per_s"] > r["tokens_per_s"]
faster.set("chip.hbm.stacks", 6).update({"training.global_batch": 512, "chip.clock": "1.8 GHz"})
assert faster.value("chip.hbm.stacks") == 6 and faster.value("chip.clock") == 1.8e9

# the same through chipdse.evaluate, with files and overrides
r2 = chipdse.evaluate([system, workload], set=["system.chips=32"])
assert r2["tokens_per_s"] == r["tokens_per_s"]
assert chipdse.evaluate(d, set={"chip.clock": "2 GHz"})["tokens_per_s"] == d.copy().set("chip.clock", "2 GHz").evaluate()["tokens_per_s"]

# bad values: ConfigError with the schema's message, the design unchanged
try:
    d["chip.clock"] = 1500
    raise AssertionError("no error")
except chipdse.ConfigError as e:
    assert str(e) == '<python>: chip.clock: missing unit; got "1500"; expected e.g. "1.83 GHz"', str(e)
assert d["chip.clock"] == "1.5 GHz"
try:
    d["chip.clok"] = "1 GHz"
    raise AssertionError("no error")
except KeyError as e:
    assert "did you mean 'chip.clock'" in str(e), str(e)
try:
    d["system.chips"] = 36                                 # 36 chips in nodes of 8
    raise AssertionError("no error")
except chipdse.ConfigError as e:
    assert "system.chips" in str(e), str(e)
assert isinstance(chipdse.ConfigError("x"), ValueError)

# infeasible is a result, not an error
r3 = chipdse.evaluate(d, set={"parallelism.tp": 32})
assert not r3.feasible and "tp 32" in r3.reason, r3.reason

# the resolved design, and one built from YAML text
y = d.yaml()
assert "clock: 1.5 GHz" in y
again = chipdse.Design.from_yaml(y)
assert again.evaluate()["tokens_per_s"] == r["tokens_per_s"]
assert d.to_dict()["chip"]["clock"] == "1.5 GHz"
assert chipdse.si("1.8 GHz") == 1.8e9 and chipdse.si("8") == 8 and chipdse.si("3.35 TB/s") == 3.35e12 * 8
assert chipdse.convert("3.35 TB/s", "GB/s") == 3350 and chipdse.convert(2.68e13, "TB/s") == 3.35
try:
    chipdse.convert("3 GHz", "GB/s")
    raise AssertionError("no error")
except ValueError:
    pass
assert chipdse.parse_yaml("a: [1, 2 GHz]\nb: {c: x}") == {"a": ["1", "2 GHz"], "b": {"c": "x"}}

# the roofline of the design: ops between the memory slope and the peak
rl = chipdse.roofline(d)
assert rl["ok"], rl["error"]
assert rl["peak_flops"] == 2 * 8 * 4096 * 1.5e9
assert abs(rl["ridge_intensity"] - rl["peak_flops"] / rl["hbm_bytes_per_s"]) < 1e-9 * rl["ridge_intensity"]
names = [o["name"] for o in rl["ops"]]
assert "qkv_proj" in names and "logits" in names, names
for o in rl["ops"]:
    roof = min(rl["peak_flops"], rl["hbm_bytes_per_s"] * o["intensity"])
    assert 0 < o["attained_flops"] <= roof * 1.000001, o
)py", {kSystem, kWorkload}) == 0);
}

TEST_CASE("sweeps run from python; stores read as rows, numpy arrays and fronts", "[python][module]") {
    Scratch dir("store");
    const std::string db = dir.file("s.sqlite");
    REQUIRE(run_python(R"py(
import sys, chipdse
import numpy as np
spec, db = sys.argv[1], sys.argv[2]
s = chipdse.Sweep(spec)
assert s.name == "py-hooks" and s.grid_size == 24
assert [d["paths"] for d in s.dims] == [["chip.hbm.stacks"], ["chip.clock"], ["system.chips"]]
assert s.dims[1]["values"] == ["1 GHz", "1.5 GHz", "2 GHz", "2.5 GHz"], s.dims[1]
assert s.objectives == ["maximize score", "minimize memory_per_chip_bytes"]
stats = s.run(db, jobs=2)
assert stats["evaluated"] == 24 and stats["inserted"] == 24, stats
again = chipdse.sweep(spec, db)                          # resumes: nothing new
assert again["evaluated"] == 0 and again["found"] == 24, again

with chipdse.Store(db) as st:
    assert st.count() == 24
    assert [w["name"] for w in st.sweeps()] == ["py-hooks"]
    assert "score" in st.metric_columns() and "cheap" in st.metric_columns()
    rows = st.rows(sweep="py-hooks")
    assert len(rows) == 24
    feasible = [r for r in rows if r["feasible"]]
    assert feasible and all(r["valid"] for r in feasible)
    r0 = feasible[0]
    assert set(r0) >= {"key", "sweep", "valid", "feasible", "reason", "axes", "mapping", "metrics"}
    assert r0["axes"]["chip.power.tdp"].endswith(" W")
    assert len(st.rows(feasible_only=True)) == len(feasible)
    assert len(st.rows(limit=5)) == 5
    assert "config" in st.rows(limit=1, with_config=True)[0]

    a = st.arrays(["tokens_per_s", "score", "chip.clock"], feasible_only=True)
    assert a["tokens_per_s"].dtype == np.float64 and a["tokens_per_s"].shape == (len(feasible),)
    assert np.allclose(a["score"], [r["metrics"]["score"] for r in feasible])
    assert set(np.unique(a["chip.clock"])) <= {1e9, 1.5e9, 2e9, 2.5e9}
    m = st.array(["tokens_per_s", "memory_per_chip_bytes"], sweep="py-hooks", feasible_only=True)
    assert m.shape == (len(feasible), 2) and np.array_equal(m[:, 0], a["tokens_per_s"])
    assert "tokens_per_s" in st.arrays(feasible_only=True)          # every metric by default
    try:
        st.arrays(["no_such_metric"])
        raise AssertionError("no error")
    except KeyError:
        pass
    try:
        st.rows(sweep="nope")
        raise AssertionError("no error")
    except ValueError as e:
        assert "no sweep named 'nope'" in str(e)

    f = st.front()
    assert f["sweep"] == "py-hooks" and [o["metric"] for o in f["objectives"]] == ["score", "memory_per_chip_bytes"]
    assert f["constraints"] == ["feasible", "cheap"]
    front_keys = [p["key"] for p in f["front"]]
    # the front by hand, with numpy: eligible rows nobody dominates
    ok = [r for r in rows if r["feasible"] and r["metrics"]["cheap"] == 1]
    def dominates(a, b):
        return (a["score"] >= b["score"] and a["memory_per_chip_bytes"] <= b["memory_per_chip_bytes"] and
                (a["score"] > b["score"] or a["memory_per_chip_bytes"] < b["memory_per_chip_bytes"]))
    mine = sorted(r["key"] for r in ok if not any(dominates(o["metrics"], r["metrics"]) for o in ok))
    assert sorted(front_keys) == mine, (front_keys, mine)
    open(sys.argv[3], "w").write("\n".join(sorted(front_keys)))

    # a stored row's design evaluates to the stored metrics
    best = f["front"][0]
    d = st.design(best["key"])
    assert d.evaluate()["tokens_per_s"] == best["metrics"]["tokens_per_s"]
    assert st.query("SELECT count(*) FROM points WHERE valid = ?", ["1"]) == [(24,)]
)py", {data("hooks.yaml"), db, dir.file("front.txt")}) == 0);

    // the same front as the C++ query
    sweep::ResultsStore store(db, sweep::ResultsStore::Mode::kReadOnly);
    sweep::FrontResult fr;
    std::string error;
    REQUIRE(sweep::pareto_front(store, sweep::FrontQuery{}, fr, error));
    std::vector<std::string> keys;
    for (const auto& p : fr.front) keys.push_back(p.key);
    std::sort(keys.begin(), keys.end());
    std::ifstream in(dir.file("front.txt"));
    std::vector<std::string> from_python;
    for (std::string line; std::getline(in, line);) from_python.push_back(line);
    CHECK(keys == from_python);
}

TEST_CASE("a store's rows and fronts keep fidelities apart", "[python][module][fidelity]") {
    Scratch dir("fidelities");
    const std::string db = dir.file("f.sqlite");
    {
        // a sweep at analytical with one of its designs refined at systemc (same sweep, own key)
        sweep::ResultsStore store(db, sweep::ResultsStore::Mode::kReadWrite);
        sweep::SweepRecord rec;
        rec.name = "s";
        rec.objectives = {"maximize tokens_per_s"};
        store.save_sweep(rec);
        store.begin();
        const char* rows[][3] = {{"a0", "analytical", "100"}, {"a1", "analytical", "200"}, {"b1", "systemc", "150"}};
        for (const auto& r : rows) {
            sweep::PointRow row;
            row.key = r[0];
            row.sweep = "s";
            row.axes = "{}";
            row.config = "chip: {}";
            row.fidelity = r[1];
            row.metrics = {{"feasible", 1.0}, {"tokens_per_s", std::stod(r[2])}};
            store.insert(row);
        }
        store.commit();
    }
    CHECK(run_python(R"py(
import sys, chipdse
st = chipdse.Store(sys.argv[1])
assert [(s["name"], s["fidelity"]) for s in st.sweeps()] == [("s", "analytical")]
rows = st.rows(sweep="s")
assert sorted((r["key"], r["fidelity"]) for r in rows) == [("a0", "analytical"), ("a1", "analytical")], rows
assert "fidelity" not in rows[0]["metrics"]
assert [r["key"] for r in st.rows(sweep="s", fidelity="systemc")] == ["b1"]
assert len(st.rows()) == 3
assert list(st.arrays(["tokens_per_s"], sweep="s")["tokens_per_s"]) == [100.0, 200.0]
f = st.front()
assert f["fidelity"] == "analytical" and f["other_fidelities"] == ["systemc"], f
assert [p["key"] for p in f["front"]] == ["a1"]
f = st.front(fidelity="systemc")
assert f["fidelity"] == "systemc" and [p["key"] for p in f["front"]] == ["b1"], f
)py", {db}) == 0);
}

TEST_CASE("a Point is valid only during its call", "[python][module]") {
    Scratch dir("point");
    CHECK(run_python(R"py(
import sys, os, shutil, chipdse
src, work = sys.argv[1], sys.argv[2]
for f in ("system.yaml", "workload.yaml"):
    shutil.copy(os.path.join(src, f), work)
open(os.path.join(work, "keep.py"), "w").write(
    "KEPT = []\ndef keep(p):\n    KEPT.append(p)\n    assert p['system.chips'] == 32 and p.text('chip.clock') == '1.5 GHz'\n"
    "    assert 'tokens_per_s' in p and p.metrics['tokens_per_s'] == p['tokens_per_s']\n"
    "    assert p.values['system.chips'] == 32 and p.key and len(p.key) == 32\n"
    "    try:\n        p['chip.clok']\n    except KeyError as e:\n        assert \"did you mean 'chip.clock'\" in str(e), str(e)\n"
    "    return 1.0\n")
open(os.path.join(work, "s.yaml"), "w").write(
    "name: keep\nbase: {system: system.yaml, workload: workload.yaml}\n"
    "axes:\n  - path: system.chips\n    values: [32]\nobjectives:\n  - maximize: kept\n    python: keep.py:keep\n")
st = chipdse.sweep(os.path.join(work, "s.yaml"), os.path.join(work, "k.sqlite"))
assert st["evaluated"] == 1
rows = chipdse.Store(os.path.join(work, "k.sqlite")).rows()
assert rows[0]["metrics"]["kept"] == 1.0, rows[0]["reason"]
kept = [m for m in list(sys.modules.values()) if getattr(m, "__file__", "").endswith("keep.py")][0].KEPT
assert len(kept) == 1
try:
    kept[0]["system.chips"]
    raise AssertionError("no error")
except RuntimeError as e:
    assert "valid only during the call" in str(e)
assert repr(kept[0]) == "Point(<expired>)"
)py", {data(""), dir.path}) == 0);
}

TEST_CASE("scripts: exit codes and errors", "[python][module]") {
    CHECK(run_python("import sys; sys.exit(3)") == 3);
    CHECK(run_python("import sys; sys.exit(0)") == 0);
    CHECK(run_python("raise SystemExit") == 0);
    CHECK(run_python("raise ValueError('bad')") == 1);
    CHECK(run_python("import sys; assert sys.argv == ['-c', 'a', '--b'], sys.argv", {"a", "--b"}) == 0);
    CHECK(run_python("import chipdse\ntry:\n    chipdse.Store('/nonexistent/x.sqlite')\nexcept chipdse.StoreError as e:\n"
                 "    assert 'cannot open' in str(e), str(e)\nelse:\n    raise AssertionError('no error')") == 0);
    CHECK(run_python("import chipdse\ntry:\n    chipdse.Sweep('tests/python/data/bad/missing_function.yaml')\n"
                 "except chipdse.ConfigError as e:\n    assert \"did you mean 'score'\" in str(e), str(e)\n"
                 "else:\n    raise AssertionError('no error')") == 0);
}
