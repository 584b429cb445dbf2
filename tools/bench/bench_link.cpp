// Speed of the link and all-reduce models: simulated flits, packets and core events per wall
// second, on the plain C++ core and on the SystemC shells (docs/links.md quotes the numbers).
// Run: build/bin/chipdse_bench_link
#include <benchmark/benchmark.h>

#include "sysc/collective/collective_run.h"
#include "sysc/link/link_run.h"

namespace {

using namespace chipdse::sysc;

// An NVLink-4-like link (arch_configs/links/nvlink4.yaml): 25 GB/s, 16 B flits, 256 B packets.
LinkParams nvlink() {
    LinkParams p;
    p.lanes = 2;
    p.data_rate_bps = 200e9;
    p.lane_rate_bps = 100e9;
    p.latency_ps = 100'000;
    p.switch_latency_ps = 150'000;
    p.replay_latency_ps = 50'000;
    p.buffer_flits = 1024;
    return p;
}

void link_counters(benchmark::State& state, const LinkRun& r, double runs) {
    using benchmark::Counter;
    state.counters["flits_per_s"] = Counter(static_cast<double>(r.stats.flits) * runs, Counter::kIsRate);
    state.counters["packets_per_s"] = Counter(static_cast<double>(r.stats.packets) * runs, Counter::kIsRate);
    state.counters["events_per_s"] = Counter(static_cast<double>(r.events) * runs, Counter::kIsRate);
    state.counters["simulated_s_per_s"] = Counter(r.time_s * runs, Counter::kIsRate);
}

void all_reduce_counters(benchmark::State& state, const AllReduceRun& r, double runs) {
    using benchmark::Counter;
    // flits and packets summed over every link they cross (one per hop)
    state.counters["flits_per_s"] = Counter(static_cast<double>(r.links.flits) * runs, Counter::kIsRate);
    state.counters["packets_per_s"] = Counter(static_cast<double>(r.links.packets) * runs, Counter::kIsRate);
    state.counters["events_per_s"] = Counter(static_cast<double>(r.events) * runs, Counter::kIsRate);
    state.counters["simulated_s_per_s"] = Counter(r.time_s * runs, Counter::kIsRate);
}

// 64 MiB over one link: 262,144 packets, 4.46 M flits.
void BM_LinkCore(benchmark::State& state) {
    const LinkJob job{nvlink(), 64 << 20, 1};
    LinkRun r;
    for (auto _ : state) benchmark::DoNotOptimize(r = run_link_model(job));
    link_counters(state, r, static_cast<double>(state.iterations()));
}
BENCHMARK(BM_LinkCore)->Unit(benchmark::kMillisecond);

void BM_LinkSystemC(benchmark::State& state) {
    const LinkJob job{nvlink(), 64 << 20, 1};
    LinkRun r;
    for (auto _ : state) benchmark::DoNotOptimize(r = run_link_systemc(job));
    link_counters(state, r, static_cast<double>(state.iterations()));
}
BENCHMARK(BM_LinkSystemC)->Unit(benchmark::kMillisecond);

// With replays: a bit error rate failing 1% of the packets.
void BM_LinkCoreBer(benchmark::State& state) {
    LinkJob job{nvlink(), 64 << 20, 1};
    job.link.bit_error_rate = 4.6e-6;
    LinkRun r;
    for (auto _ : state) benchmark::DoNotOptimize(r = run_link_model(job));
    link_counters(state, r, static_cast<double>(state.iterations()));
}
BENCHMARK(BM_LinkCoreBer)->Unit(benchmark::kMillisecond);

AllReduceJob all_reduce(const Topology& t, std::int64_t links, AllReduceAlgorithm a) {
    AllReduceJob j;
    j.topology = t;
    j.link = nvlink();
    j.links_per_chip = links;
    j.bytes = t.chips() > 8 ? 4 << 20 : 16 << 20;
    j.algorithm = a;
    return j;
}

// 16 MiB ring all-reduce on 8 chips x 18 links through a switch: 1.8 M packet hops.
void BM_AllReduceRingSwitchCore(benchmark::State& state) {
    const auto job = all_reduce(Topology::switched(8), 18, AllReduceAlgorithm::kRing);
    AllReduceRun r;
    for (auto _ : state) benchmark::DoNotOptimize(r = run_allreduce_model(job));
    all_reduce_counters(state, r, static_cast<double>(state.iterations()));
}
BENCHMARK(BM_AllReduceRingSwitchCore)->Unit(benchmark::kMillisecond);

void BM_AllReduceRingSwitchSystemC(benchmark::State& state) {
    const auto job = all_reduce(Topology::switched(8), 18, AllReduceAlgorithm::kRing);
    AllReduceRun r;
    for (auto _ : state) benchmark::DoNotOptimize(r = run_allreduce_systemc(job));
    all_reduce_counters(state, r, static_cast<double>(state.iterations()));
}
BENCHMARK(BM_AllReduceRingSwitchSystemC)->Unit(benchmark::kMillisecond);

void BM_AllReduceTreeSwitchCore(benchmark::State& state) {
    const auto job = all_reduce(Topology::switched(8), 18, AllReduceAlgorithm::kTree);
    AllReduceRun r;
    for (auto _ : state) benchmark::DoNotOptimize(r = run_allreduce_model(job));
    all_reduce_counters(state, r, static_cast<double>(state.iterations()));
}
BENCHMARK(BM_AllReduceTreeSwitchCore)->Unit(benchmark::kMillisecond);

// 4 MiB ring all-reduce on a 4x4x4 torus, 6 links per chip (TPU-like).
void BM_AllReduceRingTorus3dCore(benchmark::State& state) {
    const auto job = all_reduce(Topology::torus({4, 4, 4}), 6, AllReduceAlgorithm::kRing);
    AllReduceRun r;
    for (auto _ : state) benchmark::DoNotOptimize(r = run_allreduce_model(job));
    all_reduce_counters(state, r, static_cast<double>(state.iterations()));
}
BENCHMARK(BM_AllReduceRingTorus3dCore)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
    // one SystemC elaboration serves every benchmark: build both benches before the first run
    prepare_link_sc();
    prepare_collective_sc();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
