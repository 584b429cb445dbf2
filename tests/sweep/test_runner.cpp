// Running sweeps into stores: identical results for any number of threads, shards or ranks;
// resume after a kill; Ctrl-C keeps what was done; a changed spec adds rows.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "dse/sweep/cluster.h"
#include "dse/sweep/front_query.h"
#include "dse/sweep/results_store.h"
#include "dse/sweep/sweep_runner.h"
#include "sweep_test_util.h"

using namespace chipdse;
using namespace chipdse::sweep;
namespace fs = std::filesystem;

namespace {

std::int64_t row_count(const std::string& db) {
    if (!fs::exists(db)) return 0;
    try {
        ResultsStore s(db, ResultsStore::Mode::kReadOnly);
        return s.count();
    } catch (const StoreError&) {
        return 0;  // not created yet
    }
}

}  // namespace

TEST_CASE("a store holds one row per point, metrics as columns, invalid points with their reason",
          "[sweep][store]") {
    test::Scratch scratch("rows");
    const std::string dir = scratch.path;
    LoadedSweep s = test::load(test::data("grid.yaml"));
    RunStats st = test::run(s, dir + "/r.sqlite");
    CHECK(st.planned == 144);
    CHECK(st.done == 144);
    CHECK(st.evaluated == 144);
    CHECK(st.inserted == 144);
    CHECK(st.invalid == 24);
    CHECK_FALSE(st.interrupted);
    CHECK(test::dump(dir + "/r.sqlite").size() == 144);

    // every metric the model reports became a column, without the store knowing their names
    auto cols = test::columns(dir + "/r.sqlite");
    for (const auto& m : known_metric_names()) CHECK(std::find(cols.begin(), cols.end(), m) != cols.end());

    ResultsStore store(dir + "/r.sqlite", ResultsStore::Mode::kReadOnly);
    std::int64_t invalid = 0;
    std::string reason;
    store.query("SELECT infeasible_reason FROM points WHERE valid = 0", {}, [&](sqlite3_stmt* q) {
        ++invalid;
        reason = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
    });
    CHECK(invalid == 24);
    CHECK(reason == "invalid design: tests/sweep/data/grid.yaml:19: system.chips: chips must be a multiple of "
                    "chips_per_node; got 36; expected a multiple of 8");
    auto sweeps = store.sweeps();
    REQUIRE(sweeps.size() == 1);
    CHECK(sweeps[0].name == "test-grid");
    CHECK(sweeps[0].objectives == std::vector<std::string>{"maximize tokens_per_s", "minimize memory_per_chip_bytes"});
    CHECK(sweeps[0].constraints == std::vector<std::string>{"feasible", "tokens_per_s > 0"});
}

TEST_CASE("results are identical for 1 and 4 threads", "[sweep][store][threads]") {
    test::Scratch scratch("threads");
    const std::string dir = scratch.path;
    for (const char* spec : {"grid.yaml", "grid_auto.yaml", "lhs.yaml", "nsga2.yaml"}) {
        LoadedSweep s = test::load(test::data(spec));
        test::run(s, dir + "/" + spec + ".1.sqlite", 1);
        test::run(s, dir + "/" + spec + ".4.sqlite", 4);
        auto a = test::dump(dir + "/" + spec + ".1.sqlite"), b = test::dump(dir + "/" + spec + ".4.sqlite");
        INFO(spec);
        CHECK(a.size() > 10);
        CHECK(a == b);
    }
}

TEST_CASE("LHS and NSGA-II sweeps are reproducible from their seed", "[sweep][store][search]") {
    test::Scratch scratch("seeds");
    const std::string dir = scratch.path;
    LoadedSweep lhs = test::load(test::data("lhs.yaml"));
    test::run(lhs, dir + "/l1.sqlite", 2);
    test::run(lhs, dir + "/l2.sqlite", 1);
    CHECK(test::dump(dir + "/l1.sqlite") == test::dump(dir + "/l2.sqlite"));
    CHECK(test::dump(dir + "/l1.sqlite").size() > 30);  // 40 samples; a few may coincide

    LoadedSweep ga = test::load(test::data("nsga2.yaml"));
    RunStats st = test::run(ga, dir + "/n1.sqlite", 2);
    CHECK(st.planned == 12 * 5);
    CHECK(st.done == 12 * 5);
    test::run(ga, dir + "/n2.sqlite", 3);
    CHECK(test::dump(dir + "/n1.sqlite") == test::dump(dir + "/n2.sqlite"));

    ga.spec.search.seed = 4;
    test::run(ga, dir + "/n3.sqlite", 2);
    CHECK(test::dump(dir + "/n1.sqlite") != test::dump(dir + "/n3.sqlite"));
}

TEST_CASE("rerunning resumes: nothing is evaluated twice; a changed spec adds points", "[sweep][store][resume]") {
    test::Scratch scratch("resume");
    const std::string dir = scratch.path;
    const std::string db = dir + "/r.sqlite";
    LoadedSweep s = test::load(test::data("grid.yaml"));
    test::run(s, db, 2);
    auto before = test::dump(db);
    RunStats again = test::run(s, db, 2);
    CHECK(again.evaluated == 0);
    CHECK(again.found == 144);
    CHECK(test::dump(db) == before);

    // the same sweep with one more HBM value: only the new points are evaluated
    LoadedSweep bigger = test::load(test::data("grid.yaml"));
    Axis& stacks = bigger.space.dims[0].axes[0];
    stacks.levels.push_back(config::ConfigNode::scalar("8", stacks.levels[0].loc()));
    RunStats more = test::run(bigger, db, 2);
    CHECK(more.planned == 192);
    CHECK(more.evaluated == 48);
    CHECK(more.found == 144);
    auto after = test::dump(db);
    CHECK(after.size() == 192);
    for (const auto& row : before) CHECK(std::find(after.begin(), after.end(), row) != after.end());
}

TEST_CASE("points another sweep stored first count for this sweep too", "[sweep][store][resume]") {
    test::Scratch scratch("members");
    const std::string db = scratch.path + "/r.sqlite";
    LoadedSweep s = test::load(test::data("grid.yaml"));
    test::run(s, db, 2);
    auto before = test::dump(db);

    LoadedSweep other = test::load(test::data("grid.yaml"));
    other.spec.name = "test-grid-bigger";
    Axis& stacks = other.space.dims[0].axes[0];
    stacks.levels.push_back(config::ConfigNode::scalar("8", stacks.levels[0].loc()));
    RunStats st = test::run(other, db, 2);
    CHECK(st.found == 144);
    CHECK(st.evaluated == 48);
    // the points table keeps the first sweep's rows as they were
    auto after = test::dump(db);
    for (const auto& row : before) CHECK(std::find(after.begin(), after.end(), row) != after.end());

    ResultsStore store(db, ResultsStore::Mode::kReadOnly);
    for (const auto& [name, valid_rows] : {std::pair<std::string, std::uint64_t>{"test-grid", 120},
                                           std::pair<std::string, std::uint64_t>{"test-grid-bigger", 160}}) {
        FrontQuery q;
        q.sweep = name;
        FrontResult res;
        std::string err;
        REQUIRE(pareto_front(store, q, res, err));
        INFO(name);
        CHECK(res.rows == valid_rows);
    }
}

TEST_CASE("shards merged equal the whole sweep", "[sweep][store][shard]") {
    test::Scratch scratch("shards");
    const std::string dir = scratch.path;
    LoadedSweep s = test::load(test::data("grid.yaml"));
    test::run(s, dir + "/whole.sqlite", 1);
    std::vector<std::string> parts;
    std::uint64_t planned = 0;
    for (std::uint64_t i = 0; i < 3; ++i) {
        RunOptions o;
        o.jobs = 2;
        o.shard_index = i;
        o.shard_count = 3;
        parts.push_back(dir + "/part" + std::to_string(i) + ".sqlite");
        planned += run_sweep(s, parts.back(), o).planned;
        CHECK(test::dump(parts.back()).size() == 48);
    }
    CHECK(planned == 144);
    CHECK(merge_stores(dir + "/merged.sqlite", parts) == 144);
    CHECK(test::dump(dir + "/merged.sqlite") == test::dump(dir + "/whole.sqlite"));
    // merging again adds nothing
    CHECK(merge_stores(dir + "/merged.sqlite", parts) == 0);
    CHECK_THROWS_AS(merge_stores(dir + "/merged.sqlite", {dir + "/no_such.sqlite"}), StoreError);
}

TEST_CASE("a sweep killed with SIGKILL part-way and resumed equals an uninterrupted run", "[sweep][store][kill]") {
    test::Scratch scratch("kill");
    const std::string dir = scratch.path;
    const std::string db = dir + "/killed.sqlite";
    LoadedSweep s = test::load(test::data("grid.yaml"));
    test::run(s, dir + "/whole.sqlite", 2);

    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        RunOptions o;
        o.jobs = 2;
        o.test_delay_us = 3000;  // ~0.25 s in all: time to be killed part-way
        o.commit_rows = 8;
        o.commit_seconds = 0.02;
        try {
            run_sweep(s, db, o);
        } catch (...) {
        }
        _exit(0);
    }
    auto start = std::chrono::steady_clock::now();
    while (row_count(db) < 40 && std::chrono::steady_clock::now() - start < std::chrono::seconds(20))
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    CHECK(WIFSIGNALED(status));
    const auto saved = row_count(db);
    INFO("rows saved before the kill: " << saved);
    CHECK(saved >= 40);
    CHECK(saved < 144);

    RunStats st = test::run(s, db, 2);
    CHECK(st.found == static_cast<std::uint64_t>(saved));
    CHECK(st.evaluated == 144 - static_cast<std::uint64_t>(saved));
    CHECK(test::dump(db) == test::dump(dir + "/whole.sqlite"));
}

TEST_CASE("a stop request (Ctrl-C) keeps everything done and the rerun completes it", "[sweep][store][interrupt]") {
    test::Scratch scratch("stop");
    const std::string dir = scratch.path;
    for (const char* spec : {"grid.yaml", "nsga2.yaml"}) {
        INFO(spec);
        const std::string db = dir + "/" + spec + ".stopped.sqlite", whole = dir + "/" + spec + ".whole.sqlite";
        LoadedSweep s = test::load(test::data(spec));
        test::run(s, whole, 1);

        std::atomic<bool> stop{false};
        RunOptions o;
        o.jobs = 2;
        o.test_delay_us = 3000;
        o.stop = &stop;
        std::thread ctrl_c([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(60));
            stop.store(true);
        });
        RunStats st = run_sweep(s, db, o);
        ctrl_c.join();
        CHECK(st.interrupted);
        CHECK(st.done < st.planned);
        CHECK(st.done > 0);
        CHECK(row_count(db) == static_cast<std::int64_t>(st.inserted));  // everything evaluated is saved

        // the rerun evaluates only what is missing (NSGA-II replays its search, finding the stored points)
        RunStats rest = test::run(s, db, 2);
        CHECK_FALSE(rest.interrupted);
        CHECK(rest.found >= st.inserted);
        CHECK(test::dump(db) == test::dump(whole));
    }
}

TEST_CASE("store_config: delta keeps only what differs from the base", "[sweep][store]") {
    test::Scratch scratch("delta");
    const std::string dir = scratch.path;
    LoadedSweep full = test::load(test::data("grid_auto.yaml"));
    LoadedSweep delta = test::load(test::data("grid_auto.yaml"));
    delta.spec.store_config = StoreConfig::kDelta;
    test::run(full, dir + "/full.sqlite");
    test::run(delta, dir + "/delta.sqlite");
    ResultsStore f(dir + "/full.sqlite", ResultsStore::Mode::kReadOnly), d(dir + "/delta.sqlite", ResultsStore::Mode::kReadOnly);
    std::int64_t full_bytes = 0, delta_bytes = 0;
    std::int64_t with_chips = 0, with_vocab = 0;
    f.query("SELECT SUM(LENGTH(config)) FROM points", {}, [&](sqlite3_stmt* q) { full_bytes = sqlite3_column_int64(q, 0); });
    d.query("SELECT SUM(LENGTH(config)) FROM points", {}, [&](sqlite3_stmt* q) { delta_bytes = sqlite3_column_int64(q, 0); });
    d.query("SELECT SUM(config LIKE '%chips: %'), SUM(config LIKE '%vocab%') FROM points", {}, [&](sqlite3_stmt* q) {
        with_chips = sqlite3_column_int64(q, 0);
        with_vocab = sqlite3_column_int64(q, 1);
    });
    CHECK(delta_bytes * 10 < full_bytes);
    CHECK(with_chips == 8);  // the points whose chip count differs from the base's 64
    CHECK(with_vocab == 0);  // unchanged keys are not repeated
    // keys and metrics do not depend on how the config is stored
    CHECK(test::dump(dir + "/full.sqlite").size() == test::dump(dir + "/delta.sqlite").size());
}

// ---- through the command line

TEST_CASE("chipdse sweep / pareto / export / merge on the command line", "[sweep][cli]") {
    test::Scratch scratch("cli");
    const std::string dir = scratch.path;
    const std::string bin = CHIPDSE_BIN;
    std::string out, err;
    CHECK(test::shell(bin + " sweep " + test::data("grid.yaml") + " --db " + dir + "/c.sqlite -j 2", &out, &err) == 0);
    CHECK(out.find("sweep test-grid: 144 of 144 points") != std::string::npos);
    // not a terminal: plain progress lines, no carriage returns
    CHECK(err.find('\r') == std::string::npos);

    CHECK(test::shell(bin + " pareto --db " + dir + "/c.sqlite --json", &out, &err) == 0);
    CHECK(out.find("\"front\": [") != std::string::npos);
    CHECK(out.find("\"tokens_per_s\":") != std::string::npos);
    CHECK(test::shell(bin + " pareto --db " + dir + "/c.sqlite --objective 'maximize tokens_per_sec'", &out, &err) == 2);
    CHECK(err.find("did you mean 'tokens_per_s'?") != std::string::npos);

    CHECK(test::shell(bin + " export --db " + dir + "/c.sqlite --csv", &out, &err) == 0);
    CHECK(std::count(out.begin(), out.end(), '\n') == 145);
    CHECK(out.rfind("key,sweep,axes,valid,", 0) == 0);
    CHECK(test::shell(bin + " export --db " + dir + "/c.sqlite --json --feasible-only", &out, &err) == 0);
    CHECK(out.front() == '[');

    CHECK(test::shell(bin + " sweep " + test::data("grid.yaml") + " --db " + dir + "/s0.sqlite --shard 0/2 -q", &out,
                      &err) == 0);
    CHECK(test::shell(bin + " sweep " + test::data("grid.yaml") + " --db " + dir + "/s1.sqlite --shard 1/2 -q", &out,
                      &err) == 0);
    CHECK(test::shell(bin + " merge " + dir + "/m.sqlite " + dir + "/s0.sqlite " + dir + "/s1.sqlite", &out, &err) == 0);
    CHECK(test::dump(dir + "/m.sqlite") == test::dump(dir + "/c.sqlite"));

    // bad input: exit code 2 and a located message
    CHECK(test::shell(bin + " sweep " + test::data("bad/axis_path_typo.yaml") + " --db " + dir + "/x.sqlite", &out,
                      &err) == 2);
    CHECK(err.find("axis_path_typo.yaml:6: axes[0].path: unknown config path") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/x.sqlite"));
    CHECK(test::shell(bin + " sweep " + test::data("grid.yaml") + " --db " + dir + "/x.sqlite --shard 2/2", &out, &err) == 2);
    CHECK(test::shell(bin + " sweep " + test::data("nsga2.yaml") + " --db " + dir + "/x.sqlite --shard 0/2", &out, &err) == 2);

    // SIGINT: exit code 130, rows saved, the rerun completes the store
    std::string cmd = bin + " sweep " + test::data("grid.yaml") + " --db " + dir + "/i.sqlite -j 1 --test-delay-us 5000 & " +
                      "pid=$!; sleep 0.3; kill -INT $pid; wait $pid";
    CHECK(test::shell(cmd, &out, &err) == 130);
    CHECK(out.find("interrupted: everything evaluated so far is saved") != std::string::npos);
    auto saved = row_count(dir + "/i.sqlite");
    CHECK(saved > 0);
    CHECK(saved < 144);
    CHECK(test::shell(bin + " sweep " + test::data("grid.yaml") + " --db " + dir + "/i.sqlite -q", &out, &err) == 0);
    CHECK(test::dump(dir + "/i.sqlite") == test::dump(dir + "/c.sqlite"));
}

TEST_CASE("mpirun -np 2 writes the same store as one process", "[sweep][mpi]") {
    const std::string mpirun = CHIPDSE_MPIRUN;
    if (mpirun.empty() || !mpi_built()) {
        WARN("mpirun or MPI support not available: skipped");
        return;
    }
    test::Scratch scratch("mpi");
    const std::string dir = scratch.path;
    const std::string bin = CHIPDSE_BIN;
    // flags for a single machine without ssh, also as root (shared/TOOLCHAIN.md)
    const std::string launch = "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 " + mpirun +
                               " --oversubscribe --mca plm isolated --mca btl self,vader -np ";
    std::string out, err;
    for (const char* spec : {"grid.yaml", "nsga2.yaml"}) {
        INFO(spec);
        const std::string one = dir + "/" + spec + ".one.sqlite", two = dir + "/" + spec + ".np2.sqlite";
        REQUIRE(test::shell(bin + " sweep " + test::data(spec) + " --db " + one + " -j 1 -q", &out, &err) == 0);
        int rc = test::shell(launch + "2 " + bin + " sweep " + test::data(spec) + " --db " + two + " -q", &out, &err);
        INFO(out << err);
        REQUIRE(rc == 0);
        CHECK(out.find("2 ranks") != std::string::npos);
        CHECK(test::dump(two) == test::dump(one));
        // resume under MPI: every point is found, none evaluated
        REQUIRE(test::shell(launch + "2 " + bin + " sweep " + test::data(spec) + " --db " + two + " -q", &out, &err) == 0);
        CHECK(out.find(" 0 evaluated") != std::string::npos);
        CHECK(test::dump(two) == test::dump(one));
    }
}

TEST_CASE("the Slurm array script: shards as array tasks, merged, equal one run", "[sweep][cli][slurm]") {
    test::Scratch scratch("slurm");
    const std::string dir = scratch.path;
    const std::string bin = CHIPDSE_BIN;
    std::string out, err;
    REQUIRE(test::shell(bin + " sweep " + test::data("grid.yaml") + " --db " + dir + "/whole.sqlite -q", &out, &err) == 0);
    // what Slurm would set for the tasks of --array=0-2
    for (int i = 0; i < 3; ++i) {
        std::string env = "SLURM_ARRAY_TASK_ID=" + std::to_string(i) +
                          " SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=2 SLURM_CPUS_PER_TASK=2 CHIPDSE=" + bin;
        int rc = test::shell(env + " bash sweeps/slurm/sweep_array.sbatch " + test::data("grid.yaml") + " " + dir + "/shards",
                             &out, &err);
        INFO(out << err);
        REQUIRE(rc == 0);
        CHECK(out.find("shard " + std::to_string(i) + "/3") != std::string::npos);
    }
    REQUIRE(test::shell(bin + " merge " + dir + "/merged.sqlite " + dir + "/shards/shard-0-of-3.sqlite " + dir +
                            "/shards/shard-1-of-3.sqlite " + dir + "/shards/shard-2-of-3.sqlite",
                        &out, &err) == 0);
    CHECK(out.find("144 rows added") != std::string::npos);
    CHECK(test::dump(dir + "/merged.sqlite") == test::dump(dir + "/whole.sqlite"));
}

TEST_CASE("the quickstart sweep runs in seconds and has a front", "[sweep][shipped]") {
    test::Scratch scratch("quickstart");
    LoadedSweep s = test::load("sweeps/quickstart.yaml");
    RunStats st = test::run(s, scratch.path + "/q.sqlite", 2);
    CHECK(st.done == 480);
    CHECK(st.invalid == 0);
    CHECK(st.seconds < 60);
    ResultsStore store(scratch.path + "/q.sqlite", ResultsStore::Mode::kReadOnly);
    FrontResult res;
    std::string err;
    REQUIRE(pareto_front(store, FrontQuery{}, res, err));
    CHECK(res.eligible > 100);
    CHECK(res.front.size() >= 2);
}
