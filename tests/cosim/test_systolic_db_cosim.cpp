// L2 = L1 = closed form for the double-buffered arrays: the verilated systolic_array_os_db and
// systolic_array_ws_db inside SystemC run a whole GEMM from one start with its passes pipelined
// behind each other's wavefront, against the SystemC shell's double-buffered timeline, the closed
// form (gemm_cycles), the stream-by-stream sum of max(s, R) and the reference GEMMs (int8, and bf16
// by the reference MAC), bit for bit and cycle for cycle. Shapes cover edge folds in M, N and K,
// K folds (WS: K beyond the array's rows), K chunks past the buffer depth (OS) and M chunks (WS),
// and streams shorter than R (the next pass's weights, or the previous tile's drain, then hold the
// stream back: the hazard). Each test case is its own process (one SystemC elaboration).
#include <catch2/catch.hpp>
#include <string>

#include "rtl/systolic/systolic_rtl.h"
#include "rtl/systolic/systolic_rtl_ws.h"
#include "sysc/kernel/sim_session.h"
#include "sysc/systolic/systolic_run.h"
#include "systolic_test_data.h"

using namespace chipdse;
using spec::Precision;
using sysc::Dataflow;
using sysc::GemmShape;
using sysc::SystolicConfig;

namespace {

SystolicConfig built_db_array(Dataflow d, std::int64_t rows, std::int64_t cols, Precision precision = Precision::kInt8) {
    const auto arrays = d == Dataflow::kOutputStationary ? rtl::systolic_rtl_db_arrays() : rtl::systolic_rtl_ws_db_arrays();
    for (const auto& a : arrays)
        if (a.rows == rows && a.cols == cols && a.precision == precision) return a;
    FAIL("no verilated double-buffered " << sysc::dataflow_name(d) << " " << rows << "x" << cols << " array in this build");
    return {};
}

std::vector<sysc::GemmRun> run_rtl(Dataflow d, std::span<const sysc::GemmJob> jobs) {
    return d == Dataflow::kOutputStationary ? rtl::run_gemm_rtl(jobs) : rtl::run_gemm_rtl_ws(jobs);
}
sysc::GemmRun run_rtl(Dataflow d, const sysc::GemmJob& job) { return std::move(run_rtl(d, std::span(&job, 1)).front()); }

// The pipelined timeline summed stream by stream (docs/systolic.md, "Double-buffered array"):
// sum_{p<P-1} max(s_p, R) + s_{P-1} + 2R + C - 1, s_p the stream: OS K per tile, WS m per pass.
std::int64_t pipelined_compute(const SystolicConfig& a, const GemmShape& s) {
    std::vector<std::int64_t> streams;
    if (a.dataflow == Dataflow::kOutputStationary)
        streams.assign(static_cast<std::size_t>(((s.m + a.rows - 1) / a.rows) * ((s.n + a.cols - 1) / a.cols)), s.k);
    else
        for (const auto& t : sysc::plan_tiles(a, s)) streams.push_back(t.m);
    std::int64_t t = 0;
    for (std::size_t p = 0; p + 1 < streams.size(); ++p) t += std::max(streams[p], a.rows);
    return t + streams.back() + 2 * a.rows + a.cols - 1;
}

// Shapes for an R x C array with stream depth D: shapes_for's, streams past D (ragged and exact),
// streams shorter than R, exactly R, just above R.
std::vector<GemmShape> db_shapes(const SystolicConfig& a) {
    const std::int64_t r = a.rows, c = a.cols, d = a.k_max;
    std::vector<GemmShape> shapes = test::shapes_for(a);
    const std::initializer_list<GemmShape> os = {
        {r + 1, c + 1, 2 * d + 5},  // three K chunks streaming back to back, ragged tiles
        {2 * r, 2 * c, d},          // exact chunk and folds
        {2 * r + 1, 2 * c, 2},      // every stream 2 < R: each next tile waits for the drain
        {3 * r, c + 1, 1},          // one-element streams
        {2 * r, c, r - 1},          // R - 1: one cycle short
        {2 * r, 2 * c, r},          // exactly R: back to back with no bubble
        {r + 1, 3, r + 1},          // just above R
    };
    const std::initializer_list<GemmShape> ws = {
        {d + 3, c + 1, 3 * r + 2},  // two M chunks (d, 3), ragged N and K
        {2 * d, 2 * c, 2 * r},      // exact chunks and folds
        {2, 2 * c + 1, 3 * r + 1},  // every stream 2 < R: each next pass waits for its weights
        {1, c, 5 * r},              // one-row streams over five K folds
        {r - 1, c + 2, 2 * r},      // R - 1: one cycle short
        {r, c, 4 * r},              // exactly R: back to back with no bubble
        {r + 1, 3, 2 * r + 3},      // just above R
        {d + 1, c, r + 1},          // a chunk of one row after a full one
    };
    for (const GemmShape s : a.dataflow == Dataflow::kOutputStationary ? os : ws) shapes.push_back(s);
    return shapes;
}

void check_array(Dataflow d, std::int64_t rows, std::int64_t cols, Precision precision) {
    const SystolicConfig array = built_db_array(d, rows, cols, precision);
    REQUIRE(array.double_buffered);
    REQUIRE(array.dataflow == d);
    std::vector<sysc::GemmJob> jobs;
    for (const auto& s : db_shapes(array)) jobs.push_back(test::random_job(array, s, 17));
    if (precision == Precision::kInt8) jobs.push_back(test::extreme_job(array, {rows + 1, cols + 3, 2 * rows + 1}));
    const auto rtl_runs = run_rtl(d, jobs);
    const auto sc_runs = sysc::run_gemm_systemc(jobs);
    REQUIRE(rtl_runs.size() == jobs.size());
    SystolicConfig single = array;
    single.double_buffered = false;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const auto& j = jobs[i];
        INFO(rows << "x" << cols << " double-buffered " << sysc::dataflow_name(d) << " M=" << j.shape.m
                  << " N=" << j.shape.n << " K=" << j.shape.k);
        if (precision == Precision::kBf16)
            CHECK(rtl_runs[i].c == sysc::reference_gemm_bf16(j.shape, j.a_bf16, j.b_bf16));
        else
            CHECK(rtl_runs[i].c == sysc::reference_gemm(j.shape, j.a, j.b));
        CHECK(sc_runs[i].c == rtl_runs[i].c);
        CHECK(rtl_runs[i].cycles == sc_runs[i].cycles);
        CHECK(rtl_runs[i].cycles == sysc::gemm_cycles(array, j.shape));
        CHECK(rtl_runs[i].cycles.compute == pipelined_compute(array, j.shape));
        CHECK(rtl_runs[i].activity == sysc::gemm_activity(array, j.shape));
        // load and readout are the single-buffered array's
        CHECK(rtl_runs[i].cycles.load == sysc::gemm_cycles(single, j.shape).load);
        CHECK(rtl_runs[i].cycles.readout == sysc::gemm_cycles(single, j.shape).readout);
    }
}

constexpr Dataflow kOs = Dataflow::kOutputStationary;
constexpr Dataflow kWs = Dataflow::kWeightStationary;

}  // namespace

TEST_CASE("systolic WS double-buffered cosim 4x4: RTL = reference, compute = L1 = closed form", "[systolic][double_buffered]") {
    check_array(kWs, 4, 4, Precision::kInt8);
}

TEST_CASE("systolic WS double-buffered cosim 8x8: RTL = reference, compute = L1 = closed form", "[systolic][double_buffered]") {
    check_array(kWs, 8, 8, Precision::kInt8);
}

TEST_CASE("systolic WS double-buffered cosim 4x8: RTL = reference, compute = L1 = closed form", "[systolic][double_buffered]") {
    check_array(kWs, 4, 8, Precision::kInt8);
}

TEST_CASE("systolic WS double-buffered cosim bf16 4x4: RTL = reference MAC GEMM, compute = L1 = closed form",
          "[systolic][double_buffered][bf16]") {
    check_array(kWs, 4, 4, Precision::kBf16);
}

TEST_CASE("systolic WS double-buffered cosim bf16 4x8: RTL = reference MAC GEMM, compute = L1 = closed form",
          "[systolic][double_buffered][bf16]") {
    check_array(kWs, 4, 8, Precision::kBf16);
}

TEST_CASE("systolic OS double-buffered cosim 4x4: RTL = reference, compute = L1 = closed form", "[systolic][double_buffered]") {
    check_array(kOs, 4, 4, Precision::kInt8);
}

TEST_CASE("systolic OS double-buffered cosim 8x8: RTL = reference, compute = L1 = closed form", "[systolic][double_buffered]") {
    check_array(kOs, 8, 8, Precision::kInt8);
}

TEST_CASE("systolic OS double-buffered cosim 4x8: RTL = reference, compute = L1 = closed form", "[systolic][double_buffered]") {
    check_array(kOs, 4, 8, Precision::kInt8);
}

TEST_CASE("systolic OS double-buffered cosim bf16 4x4: RTL = reference MAC GEMM, compute = L1 = closed form",
          "[systolic][double_buffered][bf16]") {
    check_array(kOs, 4, 4, Precision::kBf16);
}

TEST_CASE("systolic OS double-buffered cosim bf16 4x8: RTL = reference MAC GEMM, compute = L1 = closed form",
          "[systolic][double_buffered][bf16]") {
    check_array(kOs, 4, 8, Precision::kBf16);
}

TEST_CASE("systolic WS double-buffered cosim: the docs' example and the R-cycle hazard", "[systolic][double_buffered]") {
    const SystolicConfig a = built_db_array(kWs, 4, 4);
    // One pass: as single-buffered, M + 2R + C - 1.
    CHECK(run_rtl(kWs, test::random_job(a, {5, 4, 4})).cycles.compute == 5 + 8 + 4 - 1);
    // Three K folds of M = 6 rows: 6 + 6 + 6 + 2R + C - 1 (against 3 (6 + 2R + C - 1) single-buffered).
    CHECK(run_rtl(kWs, test::random_job(a, {6, 4, 12})).cycles.compute == 18 + 11);
    // Three K folds of M = 2 < R: the next weights need R cycles of the column ports, so the
    // streams start R apart: 4 + 4 + 2 + 11, not 2 + 2 + 2 + 11.
    CHECK(run_rtl(kWs, test::random_job(a, {2, 4, 12})).cycles.compute == 4 + 4 + 2 + 11);
}

TEST_CASE("systolic OS double-buffered cosim: back-to-back tiles and the R-cycle drain hazard", "[systolic][double_buffered]") {
    const SystolicConfig a = built_db_array(kOs, 4, 4);
    // One tile: as single-buffered, 2R + C + K - 1.
    CHECK(run_rtl(kOs, test::random_job(a, {4, 4, 5})).cycles.compute == 8 + 4 + 5 - 1);
    // Two tiles of K = 6: 6 + 6 + 2R + C - 1 (against 2 (2R + C + 6 - 1) = 34 single-buffered).
    CHECK(run_rtl(kOs, test::random_job(a, {8, 4, 6})).cycles.compute == 12 + 11);
    // Two tiles of K = 2 < R: the first tile's sums need R cycles of the bottom port, so the
    // streams start R apart: 4 + 2 + 11, not 2 + 2 + 11.
    CHECK(run_rtl(kOs, test::random_job(a, {8, 4, 2})).cycles.compute == 4 + 2 + 11);
}

TEST_CASE("systolic double-buffered cosim: GEMMs beyond the buffers and unbuilt shapes are rejected", "[systolic][double_buffered]") {
    const SystolicConfig ws = built_db_array(kWs, 4, 4), os = built_db_array(kOs, 4, 4);
    // more passes than operand slots: K folds alone (WS), K chunks alone (OS)
    CHECK_THROWS_WITH(rtl::run_gemm_rtl_ws(test::random_job(ws, {1, 4, 4 * 1024})),
                      Catch::Contains("the double-buffered ws_db4x4 array holds"));
    CHECK_THROWS_WITH(rtl::run_gemm_rtl(test::random_job(os, {4, 4, 64 * 1024})),
                      Catch::Contains("the double-buffered a_db4x4 array holds"));
    SystolicConfig odd = ws;
    odd.rows = 5;
    odd.cols = 7;
    CHECK_THROWS_WITH(rtl::run_gemm_rtl_ws(test::random_job(odd, {4, 4, 4})),
                      Catch::StartsWith("array: no verilated double-buffered weight-stationary systolic array of 5x7"));
    odd.dataflow = kOs;
    CHECK_THROWS_WITH(rtl::run_gemm_rtl(test::random_job(odd, {4, 4, 4})),
                      Catch::StartsWith("array: no verilated double-buffered systolic array of 5x7"));
    CHECK_FALSE(sysc::SimSession::instance().started());
}
