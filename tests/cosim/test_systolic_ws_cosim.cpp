// L2 = L1 = closed form for the weight-stationary array: the verilated systolic_array_ws inside
// SystemC against the SystemC shell, the closed-form cycle equations and the reference int8 GEMM,
// bit for bit and cycle for cycle, on ragged M, N and K (K folds accumulate in the result buffer,
// M beyond MMAX runs in chunks). Each test case is its own process (one SystemC elaboration).
#include <catch2/catch.hpp>
#include <string>

#include "rtl/systolic/systolic_rtl_ws.h"
#include "sysc/kernel/sim_session.h"
#include "sysc/systolic/systolic_run.h"
#include "systolic_test_data.h"

using namespace chipdse;
using sysc::GemmShape;
using sysc::SystolicConfig;

namespace {

SystolicConfig built_array(std::int64_t rows, std::int64_t cols) {
    for (const auto& a : rtl::systolic_rtl_ws_arrays())
        if (a.rows == rows && a.cols == cols) return a;
    FAIL("no verilated weight-stationary " << rows << "x" << cols << " array in this build");
    return {};
}

void check_array(std::int64_t rows, std::int64_t cols) {
    const SystolicConfig array = built_array(rows, cols);
    REQUIRE(array.dataflow == sysc::Dataflow::kWeightStationary);
    std::vector<sysc::GemmJob> jobs;
    for (const auto& s : test::shapes_for(array)) jobs.push_back(test::random_job(array, s, 11));
    // M past the buffer depth (two chunks), K over several row folds, both ragged
    jobs.push_back(test::random_job(array, {array.k_max + 3, cols + 1, 3 * rows + 2}, 5));
    jobs.push_back(test::extreme_job(array, {rows + 1, cols + 3, 2 * rows + 1}));
    const auto rtl_runs = rtl::run_gemm_rtl_ws(jobs);
    const auto sc_runs = sysc::run_gemm_systemc(jobs);
    REQUIRE(rtl_runs.size() == jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const auto& j = jobs[i];
        INFO(rows << "x" << cols << " WS M=" << j.shape.m << " N=" << j.shape.n << " K=" << j.shape.k);
        CHECK(rtl_runs[i].c == sysc::reference_gemm(j.shape, j.a, j.b));
        CHECK(rtl_runs[i].cycles == sc_runs[i].cycles);
        CHECK(rtl_runs[i].cycles == sysc::gemm_cycles(array, j.shape));
        CHECK(rtl_runs[i].activity == sysc::gemm_activity(array, j.shape));
        CHECK(sc_runs[i].c == rtl_runs[i].c);
    }
}

}  // namespace

TEST_CASE("systolic WS cosim 4x4: RTL = reference bit for bit, RTL cycles = SystemC = closed form", "[systolic]") {
    check_array(4, 4);
}

TEST_CASE("systolic WS cosim 8x8: RTL = reference bit for bit, RTL cycles = SystemC = closed form", "[systolic]") {
    check_array(8, 8);
}

TEST_CASE("systolic WS cosim 16x16: RTL = reference bit for bit, RTL cycles = SystemC = closed form", "[systolic]") {
    check_array(16, 16);
}

TEST_CASE("systolic WS cosim 4x8: RTL = reference bit for bit, RTL cycles = SystemC = closed form", "[systolic]") {
    check_array(4, 8);
}

TEST_CASE("systolic WS cosim: one pass is M + 2R + C - 1 edges on every array", "[systolic]") {
    for (const auto& a : rtl::systolic_rtl_ws_arrays())
        for (std::int64_t m : {1, 2, 8, 100}) {
            const auto run = rtl::run_gemm_rtl_ws(test::random_job(a, {m, a.cols, a.rows}));
            INFO(a.rows << "x" << a.cols << " M=" << m);
            CHECK(run.cycles.tiles == 1);
            // start 1 + weight shift-in R + stream M + R + C - 2
            CHECK(run.cycles.compute == m + 2 * a.rows + a.cols - 1);
        }
}

TEST_CASE("systolic WS cosim: shapes not verilated are rejected before anything runs", "[systolic]") {
    CHECK_THROWS_WITH(rtl::run_gemm_rtl_ws(test::random_job({5, 7, 0}, {4, 4, 4})),
                      Catch::StartsWith("array: no verilated weight-stationary systolic array of 5x7; built: 4x4"));
    CHECK_FALSE(sysc::SimSession::instance().started());
}
