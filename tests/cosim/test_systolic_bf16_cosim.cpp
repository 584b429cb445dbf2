// The bf16 arrays (systolic_array.sv and systolic_array_ws.sv with BF16 = 1): L2 = L1 = closed
// form. Results equal the C++ reference MAC's GEMM (k ascending from +0, in both dataflows) bit for
// bit, NaN, Inf, subnormals and signed zeros included, and lie within the recursive-summation error
// bound of a double GEMM; cycles equal the SystemC shell's and the closed form's, phase by phase.
// Each test case is its own process (catch_discover_tests): one SystemC elaboration each.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "bf16_test_data.h"
#include "rtl/systolic/systolic_rtl.h"
#include "rtl/systolic/systolic_rtl_ws.h"
#include "sysc/kernel/sim_session.h"
#include "sysc/systolic/bf16_mac.h"
#include "sysc/systolic/systolic_run.h"
#include "systolic_test_data.h"

using namespace chipdse;
using spec::Precision;
using sysc::GemmShape;
using sysc::SystolicConfig;

namespace {

SystolicConfig built_bf16_array(std::int64_t rows, std::int64_t cols) {
    for (const auto& a : rtl::systolic_rtl_arrays())
        if (a.rows == rows && a.cols == cols && a.precision == Precision::kBf16) return a;
    FAIL("no verilated bf16 " << rows << "x" << cols << " array in this build");
    return {};
}

SystolicConfig built_bf16_ws_array(std::int64_t rows, std::int64_t cols) {
    for (const auto& a : rtl::systolic_rtl_ws_arrays())
        if (a.rows == rows && a.cols == cols && a.precision == Precision::kBf16) return a;
    FAIL("no verilated bf16 weight-stationary " << rows << "x" << cols << " array in this build");
    return {};
}

// A job whose operands are mostly normal, with one in eight drawn from the edge values (zeros of
// both signs, subnormals, the largest finite, Inf, NaN).
sysc::GemmJob special_job(const SystolicConfig& array, const GemmShape& shape, std::uint32_t seed) {
    sysc::GemmJob job = test::random_job(array, shape, seed);
    const auto edges = test::bf16_edge_values();
    std::mt19937 rng(seed);
    for (auto* v : {&job.a_bf16, &job.b_bf16})
        for (auto& x : *v)
            if (rng() % 8 == 0) x = edges[rng() % edges.size()];
    return job;
}

// |fp32 sum - exact| <= gamma(K-1) * sum |a_k b_k|, gamma(n) = n u / (1 - n u), u = 2^-24: every
// product is exact and each of the K-1 additions after the first rounds once (Higham, "Accuracy
// and Stability of Numerical Algorithms", 2nd ed., eq. 4.4). The double reference adds K 2^-52
// of the same sum for its own rounding. Returns the largest ratio of error to bound.
double worst_error_ratio(const sysc::GemmJob& j, const std::vector<std::int32_t>& c) {
    const auto& s = j.shape;
    const double u = std::ldexp(1.0, -24), n = static_cast<double>(s.k - 1);
    double worst = 0;
    for (std::int64_t i = 0; i < s.m; ++i)
        for (std::int64_t jj = 0; jj < s.n; ++jj) {
            double exact = 0, magnitude = 0;
            for (std::int64_t k = 0; k < s.k; ++k) {
                const double p = static_cast<double>(sysc::bf16_to_float(j.a_bf16[static_cast<std::size_t>(i * s.k + k)])) *
                                 sysc::bf16_to_float(j.b_bf16[static_cast<std::size_t>(k * s.n + jj)]);
                exact += p;
                magnitude += std::fabs(p);
            }
            const double bound = (n * u / (1 - n * u) + static_cast<double>(s.k) * std::ldexp(1.0, -52)) * magnitude;
            const double got = sysc::fp32_from_bits(static_cast<std::uint32_t>(c[static_cast<std::size_t>(i * s.n + jj)]));
            const double err = std::fabs(got - exact);
            if (err > bound) return INFINITY;
            if (bound > 0) worst = std::max(worst, err / bound);
        }
    return worst;
}

void check_bf16_array(std::int64_t rows, std::int64_t cols, bool ws = false) {
    const SystolicConfig array = ws ? built_bf16_ws_array(rows, cols) : built_bf16_array(rows, cols);
    std::vector<sysc::GemmJob> jobs;
    for (const auto& s : test::shapes_for(array)) jobs.push_back(test::random_job(array, s, 11));
    // OS, K past KMAX: chunks of KMAX accumulate in place, continuing each sum in k order.
    // WS, K over several row folds: each fold's sum enters the next fold at the top of the column.
    jobs.push_back(test::random_job(array, {rows + 1, cols, 2 * array.k_max + 37}, 12));
    if (ws) jobs.push_back(test::random_job(array, {array.k_max + 3, cols + 1, 3 * rows + 2}, 13));
    const std::size_t normal_jobs = jobs.size();
    jobs.push_back(special_job(array, {rows + 1, cols + 3, 40}, 5));
    jobs.push_back(special_job(array, {2 * rows, cols, array.k_max}, 6));
    jobs.push_back(special_job(array, {rows, cols + 1, array.k_max + 9}, 7));
    const auto rtl_runs = ws ? rtl::run_gemm_rtl_ws(jobs) : rtl::run_gemm_rtl(jobs);
    const auto sc_runs = sysc::run_gemm_systemc(jobs);
    REQUIRE(rtl_runs.size() == jobs.size());
    REQUIRE(sc_runs.size() == jobs.size());
    double worst = 0;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const auto& j = jobs[i];
        INFO(rows << "x" << cols << (ws ? " WS" : " OS") << " bf16 M=" << j.shape.m << " N=" << j.shape.n
                  << " K=" << j.shape.k);
        CHECK(rtl_runs[i].c == sysc::reference_gemm_bf16(j.shape, j.a_bf16, j.b_bf16));
        CHECK(rtl_runs[i].cycles == sc_runs[i].cycles);
        CHECK(rtl_runs[i].cycles == sysc::gemm_cycles(array, j.shape));
        CHECK(rtl_runs[i].activity == sysc::gemm_activity(array, j.shape));
        CHECK(sc_runs[i].c == rtl_runs[i].c);
        if (i < normal_jobs) {
            const double r = worst_error_ratio(j, rtl_runs[i].c);
            CHECK(r <= 1.0);
            worst = std::max(worst, r);
        }
    }
    std::printf("bf16 %s %lldx%lld: worst |error| / bound against the double GEMM: %.4f\n", ws ? "WS" : "OS",
                static_cast<long long>(rows), static_cast<long long>(cols), worst);
}

}  // namespace

TEST_CASE("systolic bf16 cosim 4x4: RTL = reference MAC GEMM bit for bit, cycles = SystemC = closed form", "[systolic][bf16]") {
    check_bf16_array(4, 4);
}

TEST_CASE("systolic bf16 cosim 8x8: RTL = reference MAC GEMM bit for bit, cycles = SystemC = closed form", "[systolic][bf16]") {
    check_bf16_array(8, 8);
}

TEST_CASE("systolic bf16 cosim 16x16: RTL = reference MAC GEMM bit for bit, cycles = SystemC = closed form", "[systolic][bf16]") {
    check_bf16_array(16, 16);
}

TEST_CASE("systolic bf16 cosim 4x8: RTL = reference MAC GEMM bit for bit, cycles = SystemC = closed form", "[systolic][bf16]") {
    check_bf16_array(4, 8);
}

TEST_CASE("systolic bf16 cosim: signed zeros, flushes and specials as the policy says", "[systolic][bf16]") {
    const SystolicConfig array = built_bf16_array(4, 4);
    // Row i of A times column j of B; expected values from the policy, not from the code:
    //   (0,0): +0 + (-1.5 * 2^-126) + 2^-126 + (-0) = -2^-127, flushed to -0, kept through the idle
    //          steps after K;  (1,0): +0 + (-0) + 0 + 0 = +0;  (2,2): 1 * 2^-130 (subnormal) = +0;
    //   (3,3): 1 + Inf * 0 = NaN;  (3,0): 1 + Inf + 0 = Inf.
    const std::vector<std::vector<std::uint16_t>> rows{{0x80c0, 0x0080, 0x8000}, {0x8000, 0x0000, 0x0000},
                                                       {0x3f80, 0x0000, 0x0000}, {0x3f80, 0x7f80, 0x0000}};
    const std::vector<std::vector<std::uint16_t>> cols{{0x3f80, 0x3f80, 0x0000}, {0x3f80, 0x3f80, 0x3f80},
                                                       {0x0004, 0x0000, 0x0000}, {0x3f80, 0x0000, 0x0000}};
    sysc::GemmJob job = test::random_job(array, {4, 4, 3});
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t k = 0; k < 3; ++k) job.a_bf16[i * 3 + k] = rows[i][k];
    for (std::size_t k = 0; k < 3; ++k)
        for (std::size_t j = 0; j < 4; ++j) job.b_bf16[k * 4 + j] = cols[j][k];
    const auto run = rtl::run_gemm_rtl(job);
    auto c = [&](const sysc::GemmRun& r, std::size_t n, std::size_t i, std::size_t j) {
        return static_cast<std::uint32_t>(r.c[i * n + j]);
    };
    CHECK(c(run, 4, 0, 0) == 0x80000000u);
    CHECK(c(run, 4, 1, 0) == 0x00000000u);
    CHECK(c(run, 4, 2, 2) == 0x00000000u);
    CHECK(c(run, 4, 3, 3) == sysc::kFp32QuietNan);
    CHECK(c(run, 4, 3, 0) == 0x7f800000u);

    // 2 x 3 times 3 x 2: (0,0) 2^127 * 2^127 = Inf, + 1 + 1 = Inf;  (0,1) and (1,0) 2^127 + small
    // = 2^127;  (1,1) 1 + 2^-24 + 2^-24 = 1: both additions are ties, to even.
    sysc::GemmJob ties = test::random_job(array, {2, 2, 3});
    ties.a_bf16 = {0x7f00, 0x3f80, 0x3f80, 0x3f80, 0x3380, 0x3380};
    ties.b_bf16 = {0x7f00, 0x3f80, 0x3f80, 0x3f80, 0x3f80, 0x3f80};
    const auto run2 = rtl::run_gemm_rtl(ties);
    CHECK(c(run2, 2, 0, 0) == 0x7f800000u);
    CHECK(c(run2, 2, 0, 1) == 0x7f000000u);
    CHECK(c(run2, 2, 1, 0) == 0x7f000000u);
    CHECK(c(run2, 2, 1, 1) == 0x3f800000u);
}

TEST_CASE("systolic bf16 cosim: 4 operands per load word, load = (m + n) ceil(K/4)", "[systolic][bf16]") {
    const SystolicConfig array = built_bf16_array(4, 8);
    for (std::int64_t k : {1, 3, 4, 5, 8, 9, 100}) {
        const auto run = rtl::run_gemm_rtl(test::random_job(array, {3, 7, k}));
        INFO("K=" << k);
        CHECK(run.cycles.tiles == 1);
        CHECK(run.cycles.load == (3 + 7) * ((k + 3) / 4));
        CHECK(run.cycles.compute == 2 * 4 + 8 + k - 1);
        CHECK(run.cycles.readout == 3 * 4);
    }
}

TEST_CASE("systolic bf16 WS cosim 4x4: RTL = reference MAC GEMM bit for bit, cycles = SystemC = closed form", "[systolic][bf16]") {
    check_bf16_array(4, 4, true);
}

TEST_CASE("systolic bf16 WS cosim 8x8: RTL = reference MAC GEMM bit for bit, cycles = SystemC = closed form", "[systolic][bf16]") {
    check_bf16_array(8, 8, true);
}

TEST_CASE("systolic bf16 WS cosim 16x16: RTL = reference MAC GEMM bit for bit, cycles = SystemC = closed form", "[systolic][bf16]") {
    check_bf16_array(16, 16, true);
}

TEST_CASE("systolic bf16 WS cosim 4x8: RTL = reference MAC GEMM bit for bit, cycles = SystemC = closed form", "[systolic][bf16]") {
    check_bf16_array(4, 8, true);
}

TEST_CASE("systolic bf16 WS cosim: K folds continue one chain, k ascending, signed zeros kept", "[systolic][bf16]") {
    const SystolicConfig array = built_bf16_ws_array(4, 4);
    // K = 6 on 4 rows: two K folds (k = 0..3, then 4..5). Expected values from the policy:
    //   (0, j): +0 + (-1.5 * 2^-126) + 2^-126 = -2^-127, flushed to -0, then -0 products in both
    //           folds: -0 (a second fold that started from +0 would give +0);
    //   (1, j): ((1 + 2^-24) + 2^-24): both additions ties to even, so 1. Summing each fold on its
    //           own and then adding the folds would give 1 + 2^-23 (0x3f800001).
    sysc::GemmJob job = test::random_job(array, {2, 2, 6});
    job.a_bf16 = {0x80c0, 0x0080, 0x8000, 0x8000, 0x8000, 0x8000,  // row 0
                  0x3f80, 0x0000, 0x0000, 0x0000, 0x3380, 0x3380};  // row 1
    job.b_bf16 = {0x3f80, 0x3f80, 0x3f80, 0x3f80, 0x0000, 0x0000, 0x0000, 0x0000, 0x3f80, 0x3f80, 0x3f80, 0x3f80};
    const auto run = rtl::run_gemm_rtl_ws(job);
    CHECK(run.cycles.tiles == 2);
    for (std::size_t j = 0; j < 2; ++j) {
        INFO("column " << j);
        CHECK(static_cast<std::uint32_t>(run.c[j]) == 0x80000000u);
        CHECK(static_cast<std::uint32_t>(run.c[2 + j]) == 0x3f800000u);
    }
    CHECK(run.c == sysc::reference_gemm_bf16(job.shape, job.a_bf16, job.b_bf16));
}

TEST_CASE("systolic bf16 WS cosim: 4 operands per load word, load = K ceil(M/4) + N ceil(K/4)", "[systolic][bf16]") {
    const SystolicConfig array = built_bf16_ws_array(4, 8);
    for (std::int64_t m : {1, 3, 4, 5, 8, 9, 100})
        for (std::int64_t k : {1, 3, 4}) {
            const auto run = rtl::run_gemm_rtl_ws(test::random_job(array, {m, 7, k}));
            INFO("M=" << m << " K=" << k);
            CHECK(run.cycles.tiles == 1);
            CHECK(run.cycles.load == k * ((m + 3) / 4) + 7 * ((k + 3) / 4));
            CHECK(run.cycles.compute == m + 2 * 4 + 8 - 1);
            CHECK(run.cycles.readout == m * 4);
        }
}

TEST_CASE("systolic bf16 WS cosim: shapes not verilated are rejected before anything runs", "[systolic][bf16]") {
    SystolicConfig odd{5, 7, 0, sysc::Dataflow::kWeightStationary, Precision::kBf16};
    CHECK_THROWS_WITH(rtl::run_gemm_rtl_ws(test::random_job(odd, {4, 4, 4})),
                      Catch::StartsWith("array: no verilated bf16 weight-stationary systolic array of 5x7; built: 4x4"));
    CHECK_FALSE(sysc::SimSession::instance().started());
}
