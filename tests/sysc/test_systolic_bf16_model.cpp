// The core's bf16 precision: the closed form equals the tile-by-tile sum, the load phase carries 4
// operands per word, K folding continues each accumulator in k order, and bad jobs are refused.
#include <catch2/catch.hpp>
#include <functional>
#include <initializer_list>
#include <string>

#include "sysc/systolic/systolic_model.h"
#include "systolic_test_data.h"

using namespace chipdse;
using spec::Precision;
using sysc::GemmShape;
using sysc::SystolicConfig;

namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

SystolicConfig bf16(std::int64_t rows, std::int64_t cols, std::int64_t k_max) {
    return {rows, cols, k_max, sysc::Dataflow::kOutputStationary, Precision::kBf16};
}

// Closed form of a bf16 array in `dataflow` over arrays and shapes: it equals the tile-by-tile
// sum; compute, readout, tiles and activity are the int8 array's; with unbounded operand buffers
// (k_max = 0) the load phase is `load(r, c, m, n, k)` words. Returns the shapes checked.
int check_closed_form(sysc::Dataflow dataflow, std::initializer_list<std::int64_t> ms,
                      std::initializer_list<std::int64_t> ns,
                      const std::function<std::int64_t(std::int64_t, std::int64_t, std::int64_t, std::int64_t,
                                                       std::int64_t)>& load) {
    int shapes = 0;
    for (std::int64_t r : {2, 3, 4, 16})
        for (std::int64_t c : {2, 5, 8})
            for (std::int64_t k_max : {0, 16, 64})
                for (std::int64_t m : ms)
                    for (std::int64_t n : ns)
                        for (std::int64_t k : {1, 3, 4, 5, 16, 17, 70}) {
                            SystolicConfig a = bf16(r, c, k_max), i8{r, c, k_max};
                            a.dataflow = i8.dataflow = dataflow;
                            const GemmShape s{m, n, k};
                            sysc::SystolicCycles sum;
                            for (const auto& t : sysc::plan_tiles(a, s)) sum += sysc::tile_cycles(a, s, t);
                            const auto closed = sysc::gemm_cycles(a, s), int8 = sysc::gemm_cycles(i8, s);
                            INFO(r << "x" << c << " k_max=" << k_max << " M=" << m << " N=" << n << " K=" << k);
                            REQUIRE(closed == sum);
                            REQUIRE(closed.compute == int8.compute);
                            REQUIRE(closed.readout == int8.readout);
                            REQUIRE(closed.tiles == int8.tiles);
                            if (k_max == 0) REQUIRE(closed.load == load(r, c, m, n, k));
                            REQUIRE(sysc::gemm_activity(a, s) == sysc::gemm_activity(i8, s));
                            ++shapes;
                        }
    return shapes;
}

}  // namespace

TEST_CASE("bf16 core: closed form = sum over tiles; load = ceil(K/4) (M F_c + N F_r), the rest as int8", "[bf16]") {
    const int shapes = check_closed_form(sysc::Dataflow::kOutputStationary, {1, 4, 17}, {1, 6, 33},
                                         [](auto r, auto c, auto m, auto n, auto k) {
                                             return ceil_div(k, 4) * (m * ceil_div(n, c) + n * ceil_div(m, r));
                                         });
    CHECK(shapes == 4 * 3 * 3 * 3 * 3 * 7);
    CHECK(sysc::operands_per_word(bf16(4, 4, 0)) == 4);
    CHECK(sysc::operands_per_word({4, 4, 0}) == 8);
}

TEST_CASE("bf16 core: K folded over k_max accumulates in k order, as one pass does", "[bf16]") {
    for (std::int64_t k_max : {0, 16, 24}) {
        const auto job = test::random_job(bf16(4, 8, k_max), {9, 11, 70}, 3);
        const auto run = sysc::run_gemm_model(job);
        INFO("k_max=" << k_max);
        CHECK(run.c == sysc::reference_gemm_bf16(job.shape, job.a_bf16, job.b_bf16));
        CHECK(run.cycles == sysc::gemm_cycles(job.array, job.shape));
    }
}

TEST_CASE("bf16 core: operands in the other precision's vectors and other precisions are refused", "[bf16]") {
    auto job = test::random_job(bf16(4, 4, 0), {2, 3, 4});
    job.a.assign(8, 1);
    CHECK_THROWS_WITH(sysc::validate(job),
                      "a.size + b.size: must be 0: the operands of a bf16 array are a_bf16 and b_bf16; got 8");
    job = test::random_job(bf16(4, 4, 0), {2, 3, 4});
    job.b_bf16.pop_back();
    CHECK_THROWS_WITH(sysc::validate(job), "b_bf16.size: must be k * n = 12; got 11");
    CHECK_THROWS_WITH(sysc::make_job(SystolicConfig{4, 4, 0}, {2, 3, 4}, job.a_bf16.data(), job.b_bf16.data()),
                      "array.precision: bf16 operands need a bf16 array");
    SystolicConfig fp8 = bf16(4, 4, 0);
    fp8.precision = Precision::kFp8;
    CHECK_THROWS_WITH(sysc::gemm_cycles(fp8, {4, 4, 4}), "array.precision: must be int8 or bf16");
}

TEST_CASE("bf16 core, weight-stationary: closed form = sum over tiles; 4 operands per load word", "[bf16]") {
    // A: K lanes of M per column fold; B: N lanes of each K fold's rows.
    const int shapes = check_closed_form(sysc::Dataflow::kWeightStationary, {1, 4, 17, 70}, {1, 6, 33},
                                         [](auto r, auto c, auto m, auto n, auto k) {
                                             return ceil_div(n, c) * k * ceil_div(m, 4) +
                                                    n * ((k / r) * ceil_div(r, 4) + ceil_div(k % r, 4));
                                         });
    CHECK(shapes == 4 * 3 * 3 * 4 * 3 * 7);
}

TEST_CASE("bf16 core, weight-stationary: K folds and M chunks continue each sum in k order", "[bf16]") {
    for (std::int64_t k_max : {0, 16, 24}) {
        SystolicConfig a = bf16(4, 8, k_max);
        a.dataflow = sysc::Dataflow::kWeightStationary;
        const auto job = test::random_job(a, {37, 11, 70}, 4);
        const auto run = sysc::run_gemm_model(job);
        INFO("k_max=" << k_max);
        CHECK(run.c == sysc::reference_gemm_bf16(job.shape, job.a_bf16, job.b_bf16));
        CHECK(run.cycles == sysc::gemm_cycles(job.array, job.shape));
    }
}

TEST_CASE("bf16 core, input-stationary: closed form = sum over tiles; 4 operands per load word", "[bf16]") {
    // WS on C^T: B's K lanes of N per column fold of M; A's M lanes of each K fold's rows.
    const int shapes = check_closed_form(sysc::Dataflow::kInputStationary, {1, 6, 33}, {1, 4, 17, 70},
                                         [](auto r, auto c, auto m, auto n, auto k) {
                                             return ceil_div(m, c) * k * ceil_div(n, 4) +
                                                    m * ((k / r) * ceil_div(r, 4) + ceil_div(k % r, 4));
                                         });
    CHECK(shapes == 4 * 3 * 3 * 3 * 4 * 7);
}

TEST_CASE("bf16 core, input-stationary: K folds and N chunks continue each sum in k order", "[bf16]") {
    // IS is WS on C^T = B^T A^T: the partial sum of C[m][n] runs down array column m over the K fold's
    // rows, k ascending, and the next fold continues it from the result buffer, as WS and OS do.
    for (std::int64_t k_max : {0, 16, 24})
        for (const bool pipelined : {false, true}) {
            SystolicConfig a = bf16(4, 8, k_max);
            a.dataflow = sysc::Dataflow::kInputStationary;
            a.double_buffered = pipelined;
            const auto job = test::random_job(a, {11, 37, 70}, 5);
            const auto run = sysc::run_gemm_model(job);
            INFO("k_max=" << k_max << (pipelined ? " double-buffered" : ""));
            CHECK(run.c == sysc::reference_gemm_bf16(job.shape, job.a_bf16, job.b_bf16));
            CHECK(run.cycles == sysc::gemm_cycles(job.array, job.shape));
        }
}
