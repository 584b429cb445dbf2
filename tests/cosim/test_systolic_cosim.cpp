// L2 = L1 = closed form: the verilated systolic array inside SystemC against the SystemC shell,
// the closed-form cycle equations and the reference int8 GEMM, bit for bit and cycle for cycle.
// Each test case is its own process (catch_discover_tests): one SystemC elaboration each.
#include <catch2/catch.hpp>
#include <string>

#include "rtl/systolic/systolic_rtl.h"
#include "sysc/kernel/sim_session.h"
#include "sysc/systolic/systolic_run.h"
#include "systolic_test_data.h"

using namespace chipdse;
using sysc::GemmShape;
using sysc::SystolicConfig;

namespace {

SystolicConfig built_array(std::int64_t rows, std::int64_t cols) {
    for (const auto& a : rtl::systolic_rtl_arrays())
        if (a.rows == rows && a.cols == cols) return a;
    FAIL("no verilated " << rows << "x" << cols << " array in this build");
    return {};
}

// Every shape of shapes_for() with random operands, plus one of extreme ones, through both
// fidelities in one elaboration.
void check_array(std::int64_t rows, std::int64_t cols) {
    const SystolicConfig array = built_array(rows, cols);
    std::vector<sysc::GemmJob> jobs;
    for (const auto& s : test::shapes_for(array)) jobs.push_back(test::random_job(array, s, 7));
    jobs.push_back(test::extreme_job(array, {rows + 1, cols + 3, array.k_max}));
    const auto rtl_runs = rtl::run_gemm_rtl(jobs);
    const auto sc_runs = sysc::run_gemm_systemc(jobs);
    REQUIRE(rtl_runs.size() == jobs.size());
    REQUIRE(sc_runs.size() == jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const auto& j = jobs[i];
        INFO(rows << "x" << cols << " M=" << j.shape.m << " N=" << j.shape.n << " K=" << j.shape.k);
        CHECK(rtl_runs[i].c == sysc::reference_gemm(j.shape, j.a, j.b));
        CHECK(rtl_runs[i].cycles == sc_runs[i].cycles);
        CHECK(rtl_runs[i].cycles == sysc::gemm_cycles(array, j.shape));
        CHECK(sc_runs[i].c == rtl_runs[i].c);
    }
}

}  // namespace

TEST_CASE("systolic cosim 4x4: RTL = reference bit for bit, RTL cycles = SystemC = closed form", "[systolic]") {
    check_array(4, 4);
}

TEST_CASE("systolic cosim 8x8: RTL = reference bit for bit, RTL cycles = SystemC = closed form", "[systolic]") {
    check_array(8, 8);
}

TEST_CASE("systolic cosim 16x16: RTL = reference bit for bit, RTL cycles = SystemC = closed form", "[systolic]") {
    check_array(16, 16);
}

TEST_CASE("systolic cosim 4x8: RTL = reference bit for bit, RTL cycles = SystemC = closed form", "[systolic]") {
    check_array(4, 8);
}

TEST_CASE("systolic cosim: one tile's compute phase is 2R + C + K - 1 edges on every array", "[systolic]") {
    for (const auto& a : rtl::systolic_rtl_arrays())
        for (std::int64_t k : {1, 2, 8, 100}) {
            const auto run = rtl::run_gemm_rtl(test::random_job(a, {a.rows, a.cols, k}));
            INFO(a.rows << "x" << a.cols << " K=" << k);
            CHECK(run.cycles.tiles == 1);
            CHECK(run.cycles.compute == 2 * a.rows + a.cols + k - 1);
        }
}

TEST_CASE("systolic cosim: RTL and SystemC calls interleave in one process", "[systolic]") {
    const auto small = test::random_job(built_array(4, 4), {6, 5, 10});
    const auto big = test::random_job(built_array(16, 16), {20, 18, 30});
    for (int round = 0; round < 2; ++round)
        for (const auto* job : {&small, &big}) {
            const auto r = rtl::run_gemm_rtl(*job);
            const auto s = sysc::run_gemm_systemc(*job);
            CHECK(r.c == sysc::reference_gemm(job->shape, job->a, job->b));
            CHECK(r.cycles == s.cycles);
        }
    const auto raw = rtl::run_gemm_rtl(4, 8, small.shape, small.a.data(), small.b.data());
    CHECK(raw.c == sysc::reference_gemm(small.shape, small.a, small.b));
    CHECK(raw.cycles == sysc::gemm_cycles({4, 8, 0}, small.shape));
}

TEST_CASE("systolic cosim: K above KMAX folds into chunks that accumulate in the PEs", "[systolic]") {
    // Ragged K over three chunks (KMAX, KMAX, 37), ragged M and N, on two shapes: the accumulators
    // keep their sums between chunks (accumulate / keep), bit for bit and cycle for cycle.
    std::vector<sysc::GemmJob> jobs;
    for (const auto& a : {built_array(4, 4), built_array(4, 8)}) {
        jobs.push_back(test::random_job(a, {a.rows + 2, a.cols + 1, 2 * a.k_max + 37}, 3));
        jobs.push_back(test::extreme_job(a, {a.rows, a.cols, a.k_max + 1}));
    }
    const auto rtl_runs = rtl::run_gemm_rtl(jobs);
    const auto sc_runs = sysc::run_gemm_systemc(jobs);
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const auto& j = jobs[i];
        INFO(j.array.rows << "x" << j.array.cols << " M=" << j.shape.m << " N=" << j.shape.n << " K=" << j.shape.k);
        CHECK(rtl_runs[i].c == sysc::reference_gemm(j.shape, j.a, j.b));
        CHECK(rtl_runs[i].cycles == sc_runs[i].cycles);
        CHECK(rtl_runs[i].cycles == sysc::gemm_cycles(j.array, j.shape));
        // per tile: a start edge and a skewed stream per chunk, one drain
        const std::int64_t chunks = (j.shape.k + j.array.k_max - 1) / j.array.k_max;
        CHECK(rtl_runs[i].cycles.compute ==
              rtl_runs[i].cycles.tiles / chunks * (chunks * (j.array.rows + j.array.cols - 1) + j.shape.k + j.array.rows));
    }
}

TEST_CASE("systolic cosim: shapes not verilated are rejected", "[systolic]") {
    CHECK_THROWS_WITH(rtl::run_gemm_rtl(test::random_job({5, 7, 0}, {4, 4, 4})),
                      Catch::StartsWith("array: no verilated systolic array of 5x7; built: 4x4"));
    CHECK_FALSE(sysc::SimSession::instance().started());
}

TEST_CASE("systolic cosim: the RTL bench must be prepared before the first SystemC run", "[systolic]") {
    const auto job = test::random_job({4, 4, 0}, {4, 4, 4});
    sysc::run_gemm_systemc(job);
    CHECK_THROWS_WITH(rtl::run_gemm_rtl(job), Catch::Contains("prepare_systolic_rtl"));
}
