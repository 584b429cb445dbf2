// Fidelities in the results store: the fidelity column and the keys per fidelity, the
// characterisation cache (round trip, collisions, merge), stores written before either existed,
// and sweeps at fidelity systemc through the command line (determinism across --jobs, a rerun
// that simulates nothing, agreement with `chipdse evaluate --fidelity systemc` and with
// `chipdse pareto --refine systemc --store`).
#include <sqlite3.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "dse/model/characteriser.h"
#include "dse/sweep/characterisation_cache.h"
#include "dse/sweep/cluster.h"
#include "dse/sweep/front_query.h"
#include "dse/sweep/point_evaluator.h"
#include "dse/sweep/point_hash.h"
#include "dse/sweep/results_store.h"
#include "sweep_test_util.h"

namespace chipdse::sweep {
namespace {

// Runs SQL on a store file (setting up old layouts, reading values back).
void sql(const std::string& db, const std::string& text) {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(h, text.c_str(), nullptr, nullptr, &err);
    INFO(text << ": " << (err ? err : ""));
    sqlite3_free(err);
    sqlite3_close(h);
    REQUIRE(rc == SQLITE_OK);
}

// The first column of every result row, as text (doubles as stored, through sqlite3_column_double).
std::vector<std::string> column(const std::string& db, const std::string& query) {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(h, query.c_str(), -1, &st, nullptr) == SQLITE_OK);
    std::vector<std::string> out;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) == SQLITE_FLOAT) {
            char buf[40];
            std::snprintf(buf, sizeof buf, "%a", sqlite3_column_double(st, 0));
            out.push_back(buf);
        } else {
            const unsigned char* t = sqlite3_column_text(st, 0);
            out.push_back(t ? reinterpret_cast<const char*>(t) : "");
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
}

// A characteriser with a memo and nothing to simulate: what the store keeps and gives back.
class FakeCharacteriser final : public model::Characteriser {
public:
    std::string fidelity() const override { return "systemc"; }
    std::optional<double> array_utilisation(const spec::MatrixEngineSpec&, std::int64_t, std::int64_t,
                                            std::int64_t) const override {
        return std::nullopt;
    }
    std::optional<double> hbm_efficiency(const spec::HbmSpec&) const override { return std::nullopt; }
    std::optional<double> allreduce_time_factor(const spec::LinkSpec&, const spec::NetworkSpec&, std::int64_t,
                                                double) const override {
        return std::nullopt;
    }
    std::vector<model::CharacterisationEntry> entries() const override { return {}; }
    std::int64_t simulations() const override { return 0; }
    std::vector<model::CachedCharacterisation> export_cache() const override {
        std::vector<model::CachedCharacterisation> out;
        for (const auto& [key, c] : memo) out.push_back(c);
        return out;
    }
    std::size_t preload(const std::vector<model::CachedCharacterisation>& entries) override {
        std::size_t n = 0;
        for (auto c : entries) {
            c.preloaded = true;
            n += memo.emplace(c.key, c).second;
        }
        return n;
    }
    void add(const std::string& key, const std::string& block, double value, double l0, const std::string& note) {
        model::CachedCharacterisation c;
        c.key = key;
        c.entry.block = block;
        c.entry.kernel = "kernel of " + key;
        c.entry.value = value;
        c.entry.l0_value = l0;
        c.entry.unit = block == "collective" ? "s" : "";
        c.entry.note = note;
        c.entry.characterised = block != "matrix";
        memo[key] = c;
    }
    std::map<std::string, model::CachedCharacterisation> memo;
};

// A points table as stores had it before the fidelity column, the fidelity of sweeps and the
// characterisations table; one valid, feasible row.
void write_old_store(const std::string& db) {
    sql(db,
        "CREATE TABLE points(key TEXT PRIMARY KEY, sweep TEXT NOT NULL, axes TEXT NOT NULL, valid INTEGER NOT NULL, "
        "infeasible_reason TEXT NOT NULL, map_tp INTEGER, map_pp INTEGER, map_dp INTEGER, map_cp INTEGER, "
        "map_ep INTEGER, map_zero INTEGER, map_microbatch INTEGER, map_microbatches INTEGER, "
        "map_virtual_stages INTEGER, map_recompute TEXT, map_schedule TEXT, config TEXT NOT NULL, feasible REAL, "
        "tokens_per_s REAL);"
        "CREATE TABLE sweeps(name TEXT PRIMARY KEY, path TEXT, fingerprint TEXT, spec TEXT, base_config TEXT, "
        "objectives TEXT, constraints TEXT, seq INTEGER);"
        "CREATE TABLE sweep_points(sweep TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY(sweep, key)) WITHOUT ROWID;"
        "INSERT INTO points(key, sweep, axes, valid, infeasible_reason, config, feasible, tokens_per_s) "
        "VALUES('00112233445566778899aabbccddeeff', 'old', '{}', 1, '', 'chip: {}', 1, 1000.5);"
        "INSERT INTO sweeps VALUES('old', 'old.yaml', 'f', '', '', 'maximize tokens_per_s', '', 1);");
}

}  // namespace

TEST_CASE("the characterisation cache round-trips through the store bit for bit", "[sweep][store][fidelity]") {
    test::Scratch scratch("characterisations");
    const std::string db = scratch.path + "/c.sqlite";
    FakeCharacteriser first;
    first.add("hbm stacks=5 ...", "hbm", 0.713998839751885, 0.9, "20000 requests");
    first.add("run links ... 8388608", "collective run", 3.488128e-05, 3.46612622222222e-05, "ring");
    first.add("matrix 128x128 gemm 1x2x3", "matrix", 1.0 / 3.0, std::nan(""), "not an array");
    {
        ResultsStore store(db, ResultsStore::Mode::kReadWrite);
        CHECK(save_characterisations(store, first) == 3);
        CHECK(save_characterisations(store, first) == 0);  // present keys are left alone
    }
    FakeCharacteriser second;
    {
        ResultsStore store(db, ResultsStore::Mode::kReadOnly);
        CHECK(load_characterisations(store, second) == 3);
    }
    REQUIRE(second.memo.size() == 3);
    for (const auto& [key, c] : first.memo) {
        const auto& back = second.memo.at(key);
        CHECK(back.preloaded);
        CHECK(back.entry.block == c.entry.block);
        CHECK(back.entry.kernel == c.entry.kernel);
        CHECK(std::memcmp(&back.entry.value, &c.entry.value, sizeof(double)) == 0);
        CHECK((std::isnan(c.entry.l0_value) ? std::isnan(back.entry.l0_value) : back.entry.l0_value == c.entry.l0_value));
        CHECK(back.entry.unit == c.entry.unit);
        CHECK(back.entry.note == c.entry.note);
        CHECK(back.entry.characterised == c.entry.characterised);
    }
    // preloaded entries are not written again; the row key is the hash of fidelity and key text
    {
        ResultsStore store(db, ResultsStore::Mode::kReadWrite);
        CHECK(save_characterisations(store, second) == 0);
    }
    CHECK(column(db, "SELECT key FROM characterisations WHERE key_text = 'hbm stacks=5 ...'") ==
          std::vector<std::string>{characterisation_key("systemc", "hbm stacks=5 ...")});
    CHECK(characterisation_key("systemc", "x") != characterisation_key("analytical", "x"));

    // another fidelity's entries are not loaded
    sql(db, "UPDATE characterisations SET fidelity = 'rtl' WHERE block = 'matrix'");
    FakeCharacteriser third;
    {
        ResultsStore store(db, ResultsStore::Mode::kReadOnly);
        CHECK(load_characterisations(store, third) == 2);
    }

    // a row under an entry's key that holds another key text is a collision: refused, not overwritten
    FakeCharacteriser colliding;
    colliding.add("new kernel", "hbm", 0.5, 0.9, "");
    sql(db, "INSERT INTO characterisations VALUES('" + characterisation_key("systemc", "new kernel") +
                "', 'systemc', 'hbm', 'k', 0.25, 0.9, '', 1, '', 'some other kernel')");
    {
        ResultsStore store(db, ResultsStore::Mode::kReadWrite);
        CHECK_THROWS_AS(save_characterisations(store, colliding), StoreError);
    }
    CHECK(column(db, "SELECT key_text FROM characterisations WHERE key = '" +
                         characterisation_key("systemc", "new kernel") + "'") ==
          std::vector<std::string>{"some other kernel"});
}

TEST_CASE("a store written before fidelities were stored reads as analytical and migrates on write",
          "[sweep][store][fidelity]") {
    test::Scratch scratch("old_store");
    const std::string db = scratch.path + "/old.sqlite";
    write_old_store(db);
    {
        ResultsStore store(db, ResultsStore::Mode::kReadOnly);  // reading changes nothing
        CHECK_FALSE(store.has_fidelity_column());
        CHECK(store.sweeps().at(0).fidelity == "analytical");
        FrontResult res;
        std::string err;
        REQUIRE(pareto_front(store, FrontQuery{}, res, err));
        CHECK(res.fidelity == "analytical");
        CHECK(res.front.size() == 1);
        FrontQuery at_systemc;
        at_systemc.fidelity = "systemc";
        REQUIRE(pareto_front(store, at_systemc, res, err));
        CHECK(res.front.empty());
        FakeCharacteriser ch;
        CHECK(load_characterisations(store, ch) == 0);  // no table: nothing cached
    }
    CHECK_FALSE(test::columns(db).back() == "fidelity");
    {
        ResultsStore store(db, ResultsStore::Mode::kReadWrite);
        CHECK(store.has_fidelity_column());
        CHECK(store.sweeps().at(0).fidelity == "analytical");
        PointRow row;
        row.key = "ffeeddccbbaa99887766554433221100";
        row.sweep = "new";
        row.axes = "{}";
        row.config = "chip: {}";
        row.fidelity = "systemc";
        row.metrics = {{"feasible", 1.0}, {"tokens_per_s", 2000.0}};
        store.begin();
        CHECK(store.insert(row));
        store.commit();
        FakeCharacteriser ch;
        ch.add("k", "hbm", 0.7, 0.9, "");
        CHECK(save_characterisations(store, ch) == 1);
    }
    CHECK(column(db, "SELECT fidelity FROM points ORDER BY key") == std::vector<std::string>{"analytical", "systemc"});
    CHECK(column(db, "SELECT fidelity FROM sweeps") == std::vector<std::string>{"analytical"});
    // the old row keeps its values
    CHECK(column(db, "SELECT tokens_per_s FROM points WHERE fidelity = 'analytical'") ==
          column(db, "SELECT 1000.5"));
}

TEST_CASE("merge carries fidelities and characterised kernels, also from old stores", "[sweep][store][fidelity]") {
    test::Scratch scratch("merge_fidelity");
    const std::string old_db = scratch.path + "/old.sqlite", new_db = scratch.path + "/new.sqlite",
                      out = scratch.path + "/out.sqlite";
    write_old_store(old_db);
    {
        ResultsStore store(new_db, ResultsStore::Mode::kReadWrite);
        PointRow row;
        row.key = "ffeeddccbbaa99887766554433221100";
        row.sweep = "new";
        row.axes = "{}";
        row.config = "chip: {}";
        row.fidelity = "systemc";
        row.metrics = {{"feasible", 1.0}};
        store.begin();
        store.insert(row);
        store.commit();
        SweepRecord rec;
        rec.name = "new";
        rec.fidelity = "systemc";
        store.save_sweep(rec);
        FakeCharacteriser ch;
        ch.add("k1", "hbm", 0.7, 0.9, "");
        ch.add("k2", "collective", 1e-3, 1.1e-3, "ring");
        save_characterisations(store, ch);
    }
    CHECK(merge_stores(out, {old_db, new_db}) == 2);
    CHECK(column(out, "SELECT fidelity FROM points ORDER BY key") == std::vector<std::string>{"analytical", "systemc"});
    CHECK(column(out, "SELECT name || ' ' || fidelity FROM sweeps ORDER BY name") ==
          std::vector<std::string>{"new systemc", "old analytical"});
    CHECK(column(out, "SELECT key_text FROM characterisations ORDER BY key_text") ==
          std::vector<std::string>{"k1", "k2"});
}

TEST_CASE("the key of a point names its fidelity", "[sweep][fidelity]") {
    CHECK(point_key_prefix("analytical") == kPointKeyPrefix);
    CHECK(point_key_prefix("systemc") == "chipdse-point v1 fidelity=systemc\n");
    LoadedSweep s = test::load(test::data("grid.yaml"));
    CHECK(s.spec.fidelity == Fidelity::kAnalytical);
    PointEvaluator eval(s);
    CHECK(eval.characteriser() == nullptr);
    PreparedPoint p;
    eval.prepare(Levels(s.space.dims.size(), 0), p);
    REQUIRE(p.valid);
    CHECK(p.key == hash_hex(kPointKeyPrefix + p.resolved_yaml));
    CHECK(eval.evaluate(p).fidelity == "analytical");
}

#if CHIPDSE_TEST_SYSTEMC
// ---- through the command line, which registers the systemc characteriser

namespace {

std::string bin() { return CHIPDSE_BIN; }

// The number after `label` in `text` (e.g. "simulations" in "6 simulations"), -1 when absent.
long count_before(const std::string& text, const std::string& label) {
    const size_t p = text.find(" " + label);
    if (p == std::string::npos) return -1;
    size_t b = p;
    while (b > 0 && std::isdigit(static_cast<unsigned char>(text[b - 1]))) --b;
    return b == p ? -1 : std::stol(text.substr(b, p - b));
}

std::string json_number(const std::string& json, const std::string& name) {
    const std::string k = "\"" + name + "\": ";
    const size_t p = json.find(k);
    if (p == std::string::npos) return "";
    const size_t e = json.find_first_of(",\n}", p + k.size());
    return json.substr(p + k.size(), e - p - k.size());
}

}  // namespace

TEST_CASE("a sweep at fidelity systemc: keys, determinism, the cache and agreement with evaluate and refine",
          "[sweep][fidelity][cli][systemc]") {
    test::Scratch scratch("systemc_sweep");
    const std::string dir = scratch.path, spec = "sweeps/quickstart-systemc.yaml";
    std::string out, err;

    // --jobs 1 and --jobs 2 write the same rows; kernels are simulated and stored
    REQUIRE(test::shell(bin() + " sweep " + spec + " --db " + dir + "/j1.sqlite -j 1 -q", &out, &err) == 0);
    INFO(out << err);
    CHECK(out.find("fidelity systemc: ") != std::string::npos);
    const long simulated = count_before(out, "simulations");
    CHECK(simulated > 0);
    CHECK(count_before(out, "kernels from the store's cache") == 0);
    REQUIRE(test::shell(bin() + " sweep " + spec + " --db " + dir + "/j2.sqlite -j 2 -q", &out, &err) == 0);
    CHECK(count_before(out, "simulations") == simulated);
    const auto rows = test::dump(dir + "/j1.sqlite");
    CHECK(rows.size() == 8);
    CHECK(rows == test::dump(dir + "/j2.sqlite"));
    CHECK(column(dir + "/j1.sqlite", "SELECT DISTINCT fidelity FROM points") == std::vector<std::string>{"systemc"});
    CHECK(column(dir + "/j1.sqlite", "SELECT fidelity FROM sweeps") == std::vector<std::string>{"systemc"});
    CHECK(column(dir + "/j1.sqlite", "SELECT block FROM characterisations ORDER BY block") ==
          column(dir + "/j2.sqlite", "SELECT block FROM characterisations ORDER BY block"));
    CHECK_FALSE(column(dir + "/j1.sqlite", "SELECT 1 FROM characterisations WHERE block = 'hbm'").empty());

    // and so does mpirun -np 2 (each rank its own characteriser, rank 0 the store's cache)
    const std::string mpirun = CHIPDSE_MPIRUN;
    if (!mpirun.empty() && mpi_built()) {
        const std::string launch = "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 " + mpirun +
                                   " --oversubscribe --mca plm isolated --mca btl self,vader -np 2 ";
        REQUIRE(test::shell(launch + bin() + " sweep " + spec + " --db " + dir + "/np2.sqlite -q", &out, &err) == 0);
        CHECK(out.find("2 ranks") != std::string::npos);
        CHECK(test::dump(dir + "/np2.sqlite") == rows);
    }

    // every key is the hash of the systemc prefix and the row's resolved config
    const auto keys = column(dir + "/j1.sqlite", "SELECT key FROM points ORDER BY key");
    const auto configs = column(dir + "/j1.sqlite", "SELECT config FROM points ORDER BY key");
    REQUIRE(keys.size() == configs.size());
    for (size_t i = 0; i < keys.size(); ++i) CHECK(keys[i] == hash_hex(point_key_prefix("systemc") + configs[i]));

    // the same rows again from the cache alone: no simulation, the same bits
    std::filesystem::copy_file(dir + "/j1.sqlite", dir + "/again.sqlite");
    sql(dir + "/again.sqlite", "DELETE FROM points");
    REQUIRE(test::shell(bin() + " sweep " + spec + " --db " + dir + "/again.sqlite -j 2 -q", &out, &err) == 0);
    CHECK(count_before(out, "simulations") == 0);
    CHECK(count_before(out, "kernels from the store's cache") > 0);
    CHECK(test::dump(dir + "/again.sqlite") == rows);

    // a row's tokens_per_s is what `chipdse evaluate --fidelity systemc` gives for its config
    {
        std::ofstream(dir + "/row.yaml") << configs.front();
        REQUIRE(test::shell(bin() + " evaluate --system " + dir + "/row.yaml --workload " + dir +
                                "/row.yaml --fidelity systemc --json",
                            &out, &err) == 0);
        const double evaluated = std::strtod(json_number(out, "tokens_per_s").c_str(), nullptr);
        char buf[40];
        std::snprintf(buf, sizeof buf, "%a", evaluated);
        CHECK(column(dir + "/j1.sqlite", "SELECT tokens_per_s FROM points WHERE key = '" + keys.front() + "'") ==
              std::vector<std::string>{buf});
        // and with the store's cache: nothing simulated, the same value
        REQUIRE(test::shell(bin() + " evaluate --system " + dir + "/row.yaml --workload " + dir +
                                "/row.yaml --fidelity systemc --json --db " + dir + "/j1.sqlite",
                            &out, &err) == 0);
        CHECK(json_number(out, "simulations") == "0");
        CHECK(std::strtod(json_number(out, "tokens_per_s").c_str(), nullptr) == evaluated);
    }

    // the same designs at analytical are other rows; the front at systemc is the systemc sweep's
    {
        std::ofstream(dir + "/l0.yaml") << "include: " << std::filesystem::absolute(spec).string()
                                        << "\nname: quickstart-l0\nfidelity: analytical\n";
        REQUIRE(test::shell(bin() + " sweep " + dir + "/l0.yaml --db " + dir + "/l0.sqlite -q", &out, &err) == 0);
        CHECK(column(dir + "/l0.sqlite", "SELECT DISTINCT fidelity FROM points") ==
              std::vector<std::string>{"analytical"});
        for (const auto& k : column(dir + "/l0.sqlite", "SELECT key FROM points")) CHECK(std::count(keys.begin(), keys.end(), k) == 0);

        // refining the analytical front writes the rows a systemc sweep writes, with the same keys and bits
        REQUIRE(test::shell(bin() + " pareto --db " + dir + "/l0.sqlite --refine systemc --store --json", &out, &err) ==
                0);
        CHECK(json_number(out, "simulations") != "0");
        const auto refined = column(dir + "/l0.sqlite", "SELECT key FROM points WHERE fidelity = 'systemc' ORDER BY key");
        REQUIRE_FALSE(refined.empty());
        for (const auto& k : refined) {
            INFO(k);
            CHECK(std::count(keys.begin(), keys.end(), k) == 1);
            for (const char* m : {"tokens_per_s", "tokens_per_joule", "step_time_s", "map_dp"})
                CHECK(column(dir + "/l0.sqlite", std::string("SELECT ") + m + " FROM points WHERE key = '" + k + "'") ==
                      column(dir + "/j1.sqlite", std::string("SELECT ") + m + " FROM points WHERE key = '" + k + "'"));
        }
        // a second refinement finds every kernel in the store
        REQUIRE(test::shell(bin() + " pareto --db " + dir + "/l0.sqlite --refine systemc --json", &out, &err) == 0);
        CHECK(json_number(out, "simulations") == "0");

        // pareto compares one fidelity at a time and says which it left out
        REQUIRE(test::shell(bin() + " pareto --db " + dir + "/l0.sqlite", &out, &err) == 0);
        CHECK(out.find("rows at fidelity analytical") != std::string::npos);
        CHECK(out.find("rows at fidelity systemc are left out: --fidelity systemc") != std::string::npos);
        REQUIRE(test::shell(bin() + " pareto --db " + dir + "/l0.sqlite --fidelity systemc --json", &out, &err) == 0);
        CHECK(out.find("\"fidelity\": \"systemc\"") != std::string::npos);
        REQUIRE(test::shell(bin() + " export --db " + dir + "/l0.sqlite --csv --fidelity systemc", &out, &err) == 0);
        CHECK(static_cast<size_t>(std::count(out.begin(), out.end(), '\n')) == refined.size() + 1);
    }
}
#endif

}  // namespace chipdse::sweep
