// Cross-fidelity: the analytical model's fold formula (dse/model/compute_model.cpp) gives
// exactly the compute cycles of the systolic array's timing core, which the SystemC shell and
// the RTL are held to cycle for cycle (tests/sysc, tests/cosim).
#include <catch2/catch.hpp>

#include <algorithm>

#include "dse/model/compute_model.h"
#include "dse/spec/design_loader.h"
#include "sysc/systolic/systolic_model.h"

namespace {
chipdse::spec::ChipSpec array_chip(int rows, int cols, const std::string& dataflow = "output_stationary",
                                   bool double_buffered = false) {
    const std::string yaml = "chip:\n  name: array\n  process_node: 7 nm\n  clock: 1 GHz\n"
                             "  matrix: {count: 1, rows: " + std::to_string(rows) + ", cols: " + std::to_string(cols) +
                             ", dataflow: " + dataflow + (double_buffered ? ", double_buffered: true" : "") + ", achievable_fraction: 1.0, macs_per_cycle: {int8: " + std::to_string(rows * cols) +
                             "}}\n  vector: {flops_per_cycle: 1}\n"
                             "  hbm: {stacks: 1, capacity_per_stack: 1 GiB, bandwidth_per_stack: 1 PB/s}\n"
                             "  power: {tdp: 1 W}\n";
    auto d = chipdse::spec::load_design_text(yaml, "array.yaml");
    INFO(d.diag.format());
    REQUIRE(d.ok());
    return *d.spec.chip;
}
}  // namespace

TEST_CASE("analytical fold formula equals the systolic core's compute cycles in every dataflow", "[sysc][fidelity]") {
    for (const char* dataflow : {"output_stationary", "weight_stationary", "input_stationary"})
    for (auto [r, c] : {std::pair{4, 4}, {8, 8}, {16, 16}, {4, 8}, {32, 32}}) {
        const auto chip = array_chip(r, c, dataflow);
        const chipdse::model::ComputeModel cm(chip, chipdse::spec::Precision::kInt8);
        // unbounded operand buffers: one pass streams all of K (OS), M (WS) or N (IS), as the
        // analytical formula assumes
        const auto array = chipdse::sysc::systolic_config(chip.matrix, 0);
        for (std::int64_t m : {1, 3, 4, 17, 64, 100})
            for (std::int64_t n : {1, 5, 8, 31, 64})
                for (std::int64_t k : {1, 7, 64, 300}) {
                    const double util = cm.array_utilisation(static_cast<double>(m), static_cast<double>(n),
                                                             static_cast<double>(k));
                    // cycles = MACs / (PEs x utilisation)
                    const double analytical = static_cast<double>(m * n * k) / (r * c * util);
                    const auto exact = chipdse::sysc::gemm_cycles(array, {m, n, k}).compute;
                    INFO(dataflow << " " << r << "x" << c << " array, GEMM " << m << "x" << n << "x" << k);
                    CHECK(analytical == Approx(static_cast<double>(exact)).epsilon(1e-12));
                }
    }
}

TEST_CASE("analytical double-buffered formula equals the pipelined core's timeline in every dataflow", "[sysc][fidelity]") {
    // L0: (folds - 1) max(S, R) + S + 2R + C - 1. The formula without the max, folds S + 2R + C - 1,
    // is the timeline only where every fold streams at least R (its R preloaded weights or the
    // previous fold's R drained results cross each column's port one per step); otherwise it is
    // short by exactly (folds - 1)(R - S).
    int equal_old = 0, short_old = 0;
    for (const char* dataflow : {"output_stationary", "weight_stationary", "input_stationary"})
    for (auto [r, c] : {std::pair{4, 4}, {8, 8}, {16, 16}, {4, 8}, {32, 32}}) {
        const auto chip = array_chip(r, c, dataflow, true);
        const chipdse::model::ComputeModel cm(chip, chipdse::spec::Precision::kInt8);
        const auto array = chipdse::sysc::systolic_config(chip.matrix, 0);
        REQUIRE(array.double_buffered);
        for (std::int64_t m : {1, 3, 4, 17, 64, 100})
            for (std::int64_t n : {1, 5, 8, 31, 64})
                for (std::int64_t k : {1, 7, 64, 300}) {
                    const double util = cm.array_utilisation(static_cast<double>(m), static_cast<double>(n),
                                                             static_cast<double>(k));
                    const double analytical = static_cast<double>(m * n * k) / (r * c * util);
                    const auto exact = chipdse::sysc::gemm_cycles(array, {m, n, k}).compute;
                    INFO(dataflow << " " << r << "x" << c << " array, GEMM " << m << "x" << n << "x" << k);
                    CHECK(analytical == Approx(static_cast<double>(exact)).epsilon(1e-12));
                    // the formula without the port bound
                    const std::string df = dataflow;
                    const std::int64_t sa = df == "output_stationary" ? m : k;
                    const std::int64_t sb = df == "input_stationary" ? m : n;
                    const std::int64_t stream = df == "output_stationary" ? k : df == "weight_stationary" ? m : n;
                    const std::int64_t folds = ((sa + r - 1) / r) * ((sb + c - 1) / c);
                    const std::int64_t old = folds * stream + 2 * r + c - 1;
                    CHECK(exact - old == (folds - 1) * std::max<std::int64_t>(0, r - stream));
                    (exact == old ? equal_old : short_old) += 1;
                }
    }
    CHECK(equal_old > 0);
    CHECK(short_old > 0);
}
