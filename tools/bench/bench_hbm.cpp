// Speed of the HBM model (docs/hbm.md quotes it): requests and simulated cycles per wall second
// of the plain C++ core and of the SystemC/TLM shell, random and sequential 64 B reads on one
// HBM3-6400 channel (goal: >= 200,000 random-read requests per second per channel), on a whole
// 16-channel stack (one in-order requester, and a requester per channel on 1 or 2 threads), and
// copies on one channel of H100 SXM's HBM3 timing (128-entry queues).
// Run: build/bin/chipdse_bench_hbm
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "sysc/hbm/hbm_characterise.h"
#include "sysc/hbm/hbm_run.h"

namespace {

using namespace chipdse::sysc::hbm;

HbmConfig config(const std::vector<std::string>& set = {}) {
    return load_hbm_config(std::string(CHIPDSE_SOURCE_DIR) + "/arch_configs/memory/hbm3-6400.yaml", set);
}

// H100 SXM's HBM3 timing (128-entry queues), one channel: what the characteriser runs.
HbmConfig h100_channel() {
    HbmConfig c = load_hbm_config(std::string(CHIPDSE_SOURCE_DIR) + "/arch_configs/chips/h100-sxm.yaml");
    c.channels = 1;
    return c;
}

void report(benchmark::State& state, const HbmConfig& c, std::int64_t requests, std::int64_t cycles,
            double efficiency) {
    const auto it = static_cast<double>(state.iterations());
    state.counters["requests_per_s"] = benchmark::Counter(it * static_cast<double>(requests), benchmark::Counter::kIsRate);
    state.counters["requests_per_s_per_channel"] =
        benchmark::Counter(it * static_cast<double>(requests) / c.channels, benchmark::Counter::kIsRate);
    state.counters["sim_cycles_per_s"] = benchmark::Counter(it * static_cast<double>(cycles), benchmark::Counter::kIsRate);
    state.counters["efficiency"] = efficiency;
}

template <bool kSystemC>
void run(benchmark::State& state, HbmPattern pattern, const HbmConfig& c,
         HbmRequesters requesters = HbmRequesters::kOne, int threads = 1) {
    HbmTraffic t;
    t.pattern = pattern;
    t.requests = state.range(0);
    t.requesters = requesters;
    t.threads = threads;
    HbmStats s;
    for (auto _ : state) {
        s = kSystemC ? run_hbm_systemc(c, t) : run_hbm_pattern(c, t);
        benchmark::DoNotOptimize(s.cycles);
    }
    report(state, c, t.requests, s.cycles, s.efficiency);
}

const std::vector<std::string> kStack16 = {"hbm.timing.channels=16", "hbm.capacity_per_stack=16GiB"};

void BM_CoreRandomRead(benchmark::State& s) { run<false>(s, HbmPattern::kRandom, config()); }
void BM_CoreSeqRead(benchmark::State& s) { run<false>(s, HbmPattern::kSequential, config()); }
void BM_CoreCopy(benchmark::State& s) { run<false>(s, HbmPattern::kCopy, config()); }
void BM_CoreRandomRead16Channels(benchmark::State& s) { run<false>(s, HbmPattern::kRandom, config(kStack16)); }
// a requester per channel; range(1): threads
void BM_CoreRandomRead16ChannelsPerChannel(benchmark::State& s) {
    run<false>(s, HbmPattern::kRandom, config(kStack16), HbmRequesters::kPerChannel, static_cast<int>(s.range(1)));
}
void BM_CoreCopyH100(benchmark::State& s) { run<false>(s, HbmPattern::kCopy, h100_channel()); }
void BM_SystemCRandomRead(benchmark::State& s) { run<true>(s, HbmPattern::kRandom, config()); }
void BM_SystemCSeqRead(benchmark::State& s) { run<true>(s, HbmPattern::kSequential, config()); }
void BM_SystemCRandomRead16Channels(benchmark::State& s) { run<true>(s, HbmPattern::kRandom, config(kStack16)); }

}  // namespace

BENCHMARK(BM_CoreRandomRead)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CoreSeqRead)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CoreCopy)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CoreRandomRead16Channels)->Arg(400000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CoreRandomRead16ChannelsPerChannel)
    ->Args({400000, 1})
    ->Args({400000, 2})
    ->ArgNames({"requests", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()  // CPU time of every thread, not just the main one
    ->UseRealTime();
BENCHMARK(BM_CoreCopyH100)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SystemCRandomRead)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SystemCSeqRead)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SystemCRandomRead16Channels)->Arg(400000)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
