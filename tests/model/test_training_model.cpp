// Whole-run behaviour of the analytical model: infeasible points are values with reasons,
// the breakdown adds up, and the model responds to hardware in the right direction.
#include <catch2/catch.hpp>

#include "design_fixture.h"
#include "dse/model/compute_model.h"
#include "dse/model/training_model.h"

using chipdse::model::evaluate;
using chipdse::test::design_from_yaml;
using chipdse::test::kA100System;

namespace {
const char* const kGpt3 = R"(
model: {name: gpt3, layers: 96, hidden: 12288, heads: 96, vocab: 51200, seq_len: 2048, tied_embeddings: true}
training: {tokens: 300e9, global_batch: 1536, flash_attention: false}
parallelism: {tp: 8, pp: 8, recompute: full}
)";
}

TEST_CASE("peak FLOP/s of the A100 fixture is the datasheet's 312 TFLOP/s", "[model]") {
    auto d = design_from_yaml(kA100System);
    CHECK(d.chip->peak_flops(chipdse::spec::Precision::kBf16) == Approx(312e12).epsilon(0.001));
}

TEST_CASE("systolic array utilisation follows the fold formula", "[model]") {
    auto d = design_from_yaml(R"(
chip:
  name: tpu-like
  process_node: 7 nm
  clock: 1 GHz
  matrix: {count: 1, rows: 128, cols: 128, macs_per_cycle: {bf16: 16384}}
  vector: {flops_per_cycle: 1}
  hbm: {stacks: 1, capacity_per_stack: 16 GiB, bandwidth_per_stack: 1 TB/s}
  power: {tdp: 100 W}
)");
    chipdse::model::ComputeModel cm(*d.chip, chipdse::spec::Precision::kBf16);
    // output stationary, one fold: K / (K + 2R + C - 1)
    CHECK(cm.array_utilisation(128, 128, 1024) == Approx(1024.0 / (1024 + 383)));
    // ragged M = 129 needs two row folds: useful 129*128*1024 of 2*1407*128*128 PE-cycles
    CHECK(cm.array_utilisation(129, 128, 1024) == Approx(129.0 * 1024 / (2 * 1407.0 * 128)));
}

TEST_CASE("the time breakdown sums to the step time", "[model]") {
    auto r = evaluate(design_from_yaml(std::string(kA100System) + kGpt3));
    REQUIRE(r.feasible);
    CHECK(r.time.total() == Approx(r.step_time_s));
    CHECK(r.time.pp_bubble_s > 0);
    CHECK(r.time.tp_comm_s > 0);
    CHECK(r.time.dp_comm_s > 0);
    CHECK(r.mfu < r.hfu);  // full recompute adds a forward pass
    CHECK(r.hfu == Approx(r.mfu * r.hardware_flops_per_step / r.model_flops_per_step));
}

TEST_CASE("impossible mappings are infeasible results with a reason", "[model][infeasible]") {
    const std::string base = std::string(kA100System) + kGpt3;
    struct Case {
        const char* set;
        const char* reason;
    };
    const Case cases[] = {
        {"parallelism: {tp: 8, pp: 8, dp: 3}", "does not equal the system's 1024 chips"},
        {"parallelism: {tp: 7, pp: 8}", "does not divide"},
        {"parallelism: {tp: 8, pp: 5}", "does not equal the system's 1024 chips"},
        {"parallelism: {tp: 8, pp: 128}", "exceeds the 96 layers"},
        {"parallelism: {tp: 8, pp: 8, microbatch: 7}", "not a multiple"},
        {"parallelism: {tp: 8, pp: 8, ep: 2}", "mixture-of-experts"},
        {"parallelism: {tp: 2, pp: 1, recompute: none}", "but the chip has 80 GiB"},
        {"training: {precision: fp8}", "no fp8 matrix rate"},
    };
    for (const auto& c : cases) {
        auto r = evaluate(design_from_yaml(base, c.set));
        INFO(c.set << " -> " << r.infeasible_reason);
        CHECK_FALSE(r.feasible);
        CHECK_THAT(r.infeasible_reason, Catch::Contains(c.reason));
    }
}

TEST_CASE("faster hardware never makes a step slower", "[model][monotonic]") {
    const std::string base = std::string(kA100System) + kGpt3;
    const double t0 = evaluate(design_from_yaml(base)).step_time_s;
    for (const char* faster : {"chip: {clock: 2 GHz}", "chip: {hbm: {bandwidth_per_stack: 800 GB/s}}",
                               "system: {scale_out: {bandwidth: 50 GB/s}}", "system: {scale_up: {bandwidth: 900 GB/s}}"}) {
        INFO(faster);
        CHECK(evaluate(design_from_yaml(base, faster)).step_time_s < t0);
    }
}

TEST_CASE("parallelism: auto finds a feasible mapping at least as fast as a fixed one", "[model][auto]") {
    const std::string base = std::string(kA100System) + kGpt3;
    auto fixed = evaluate(design_from_yaml(base));
    auto best = evaluate(design_from_yaml(base, "parallelism: auto"));
    REQUIRE(best.feasible);
    CHECK(best.tokens_per_s >= fixed.tokens_per_s);
    CHECK(best.mapping.tp * best.mapping.pp * best.mapping.dp * best.mapping.cp == 1024);
}

TEST_CASE("double-buffered arrays pay fill and drain once per GEMM", "[model]") {
    auto d = design_from_yaml(R"(
chip:
  name: tpu-like
  process_node: 7 nm
  clock: 1 GHz
  matrix: {count: 1, rows: 128, cols: 128, double_buffered: true, macs_per_cycle: {bf16: 16384}}
  vector: {flops_per_cycle: 1}
  hbm: {stacks: 1, capacity_per_stack: 16 GiB, bandwidth_per_stack: 1 TB/s}
  power: {tdp: 100 W}
)");
    chipdse::model::ComputeModel cm(*d.chip, chipdse::spec::Precision::kBf16);
    // M = 256 gives two row folds streaming K = 1024 each, plus one 2R + C - 1 overhead
    CHECK(cm.array_utilisation(256, 128, 1024) == Approx(2 * 1024.0 / (2 * 1024 + 383)));
}

TEST_CASE("parallelism: auto passes through reasons that no mapping can change", "[model][auto]") {
    const std::string base = std::string(kA100System) + kGpt3;
    auto big = evaluate(design_from_yaml(base, "{chip: {area: {die: 900 mm^2}}, parallelism: auto}"));
    CHECK_FALSE(big.feasible);
    CHECK_THAT(big.infeasible_reason, Catch::Contains("exceeds the reticle limit"));
    auto fp8 = evaluate(design_from_yaml(base, "{training: {precision: fp8}, parallelism: auto}"));
    CHECK_FALSE(fp8.feasible);
    CHECK_THAT(fp8.infeasible_reason, Catch::Contains("no fp8 matrix rate"));
}
