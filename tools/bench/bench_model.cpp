// Speed of the analytical model: fixed-mapping evaluations per second for a 96-layer model
// (goal >= 100,000/s on one core) and the time of `parallelism: auto` on 16,384 chips
// (goal < 50 ms). Run: build/bin/chipdse_bench
#include <benchmark/benchmark.h>

#include <stdexcept>

#include "dse/model/training_model.h"
#include "dse/spec/design_loader.h"

namespace {

chipdse::spec::DesignSpec design(const char* yaml) {
    auto d = chipdse::spec::load_design_text(yaml, "bench.yaml");
    if (!d.ok()) throw std::runtime_error(d.diag.format());
    return d.spec;
}

const char* const kSystem = R"(
chip:
  name: H100-like
  process_node: 4 nm
  clock: 1.83 GHz
  matrix: {count: 528, macs_per_cycle: {bf16: 512, fp8: 1024}, achievable_fraction: 0.75}
  vector: {flops_per_cycle: 33792}
  hbm: {stacks: 5, capacity_per_stack: 16 GiB, bandwidth_per_stack: 670 GB/s}
  power: {tdp: 700 W}
system:
  name: cluster
  chips: 16384
  chips_per_node: 8
  scale_up: {domain: 8, bandwidth: 450 GB/s, latency: 3 us}
  scale_out: {bandwidth: 50 GB/s, latency: 10 us, oversubscription: 1}
)";

void BM_EvaluateFixed96Layers(benchmark::State& state) {
    auto d = design((std::string(kSystem) + R"(
model: {name: gpt3, layers: 96, hidden: 12288, heads: 96, vocab: 51200, seq_len: 2048}
training: {tokens: 300e9, global_batch: 2048}
parallelism: {tp: 8, pp: 8, microbatch: 1, recompute: selective}
)").c_str());
    for (auto _ : state) benchmark::DoNotOptimize(chipdse::model::evaluate(d));
    state.SetItemsProcessed(state.iterations());
    state.counters["evals_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EvaluateFixed96Layers);

void BM_AutoMapping16kChips(benchmark::State& state) {
    auto d = design((std::string(kSystem) + R"(
model: {name: llama3-405b, layers: 126, hidden: 16384, heads: 128, kv_heads: 8, ffn_hidden: 53248, activation: swiglu,
        norm: rmsnorm, vocab: 128256, seq_len: 8192}
training: {tokens: 15.6e12, global_batch: 2048}
parallelism: auto
)").c_str());
    for (auto _ : state) benchmark::DoNotOptimize(chipdse::model::evaluate(d));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AutoMapping16kChips)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
