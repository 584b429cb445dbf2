// Speed of the sweep engine, design points per second through the whole path (build the
// point's config, bind, key, look the key up, evaluate, insert the row into SQLite):
//   BM_SweepQuickstart/jobs       sweeps/quickstart.yaml (auto mapping per point)
//   BM_SweepFixedMapping/jobs     the same space with the workload's mapping (no search)
//   BM_SweepResume/jobs           rerun of a finished sweep: every point found, none evaluated
// and the parts of one point: prepare (build, bind, key), evaluate, insert.
// Run: build/bin/chipdse_bench_sweep (from the source tree, or with CHIPDSE_SOURCE_DIR set).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "dse/sweep/point_evaluator.h"
#include "dse/sweep/point_source.h"
#include "dse/sweep/results_store.h"
#include "dse/sweep/sweep_loader.h"
#include "dse/sweep/sweep_runner.h"

namespace {

namespace fs = std::filesystem;
using namespace chipdse::sweep;

std::string source_dir() {
    if (const char* d = std::getenv("CHIPDSE_SOURCE_DIR")) return d;
    return CHIPDSE_SOURCE_DIR;
}

LoadedSweep load(const std::string& path) {
    LoadedSweep s;
    chipdse::config::Diagnostics diag;
    if (!load_sweep(path, s, diag)) throw std::runtime_error(diag.format());
    return s;
}

// quickstart.yaml, or the same with `mapping: fixed`
const LoadedSweep& quickstart(bool fixed) {
    static const LoadedSweep autos = load(source_dir() + "/sweeps/quickstart.yaml");
    static const LoadedSweep fixeds = [] {
        std::ifstream in(source_dir() + "/sweeps/quickstart.yaml");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        text.replace(text.find("mapping: auto"), 13, "mapping: fixed");
        // the mapping Llama 3 8B gets on 1024 H100s with `auto`, for every point
        const std::string set = "  set:\n";
        text.insert(text.find(set) + set.size(), "    - \"parallelism={search: fixed, tp: 2, pp: 1}\"\n");
        const std::string path = source_dir() + "/sweeps/.bench_quickstart_fixed.yaml";
        std::ofstream(path) << text;
        LoadedSweep s = load(path);
        fs::remove(path);
        return s;
    }();
    return fixed ? fixeds : autos;
}

std::string scratch_db(const char* name) {
    fs::path p = fs::temp_directory_path() / ("chipdse_bench_" + std::to_string(getpid()) + "_" + name + ".sqlite");
    for (const char* ext : {"", "-wal", "-shm"}) fs::remove(p.string() + ext);
    return p.string();
}

void remove_db(const std::string& p) {
    for (const char* ext : {"", "-wal", "-shm"}) fs::remove(p + ext);
}

void run_sweep_bench(benchmark::State& state, bool fixed) {
    const LoadedSweep& s = quickstart(fixed);
    RunOptions o;
    o.jobs = static_cast<unsigned>(state.range(0));
    std::uint64_t points = 0;
    for (auto _ : state) {
        state.PauseTiming();
        std::string db = scratch_db("sweep");
        state.ResumeTiming();
        RunStats st = run_sweep(s, db, o);
        points += st.done;
        state.PauseTiming();
        remove_db(db);
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(points));
    state.counters["points_per_s"] = benchmark::Counter(static_cast<double>(points), benchmark::Counter::kIsRate);
}

void BM_SweepQuickstart(benchmark::State& state) { run_sweep_bench(state, false); }
void BM_SweepFixedMapping(benchmark::State& state) { run_sweep_bench(state, true); }

void BM_SweepResume(benchmark::State& state) {
    const LoadedSweep& s = quickstart(true);
    RunOptions o;
    o.jobs = static_cast<unsigned>(state.range(0));
    std::string db = scratch_db("resume");
    run_sweep(s, db, o);
    std::uint64_t points = 0;
    for (auto _ : state) points += run_sweep(s, db, o).found;
    remove_db(db);
    state.counters["points_per_s"] = benchmark::Counter(static_cast<double>(points), benchmark::Counter::kIsRate);
}

void BM_PointPrepare(benchmark::State& state) {
    const LoadedSweep& s = quickstart(true);
    PointEvaluator eval(s);
    auto grid = make_grid_source(s.space);
    Levels l;
    PreparedPoint p;
    std::uint64_t i = 0;
    for (auto _ : state) {
        grid->levels(i++ % grid->size(), l);
        eval.prepare(l, p);
        benchmark::DoNotOptimize(p.key);
    }
}

void BM_PointEvaluate(benchmark::State& state) {
    const LoadedSweep& s = quickstart(state.range(0) == 0);
    PointEvaluator eval(s);
    auto grid = make_grid_source(s.space);
    Levels l;
    std::vector<PreparedPoint> pts(64);
    for (size_t k = 0; k < pts.size(); ++k) {
        grid->levels(k * 7 % grid->size(), l);
        eval.prepare(l, pts[k]);
    }
    size_t k = 0;
    for (auto _ : state) {
        PreparedPoint copy = pts[k++ % pts.size()];
        benchmark::DoNotOptimize(eval.evaluate(copy));
    }
}

void BM_StoreInsert(benchmark::State& state) {
    const LoadedSweep& s = quickstart(true);
    PointEvaluator eval(s);
    Levels l(s.space.dims.size(), 0);
    PreparedPoint p;
    eval.prepare(l, p);
    PointRow row = eval.evaluate(p);
    std::string db = scratch_db("insert");
    {
        ResultsStore store(db, ResultsStore::Mode::kReadWrite);
        std::uint64_t n = 0;
        store.begin();
        for (auto _ : state) {
            row.key = std::to_string(n++);
            store.insert(row);
            if (n % 2000 == 0) {
                store.commit();
                store.begin();
            }
        }
        store.commit();
    }
    remove_db(db);
}

}  // namespace

BENCHMARK(BM_SweepQuickstart)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SweepFixedMapping)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SweepResume)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PointPrepare)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PointEvaluate)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_StoreInsert)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
