// The bf16 arrays (systolic_array.sv with BF16 = 1): L2 = L1 = closed form. Results equal the
// C++ reference MAC's GEMM (k ascending from +0) bit for bit, NaN, Inf, subnormals and signed
// zeros included, and lie within the recursive-summation error bound of a double GEMM; cycles
// equal the SystemC shell's and the closed form's, phase by phase.
// Each test case is its own process (catch_discover_tests): one SystemC elaboration each.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "bf16_test_data.h"
#include "rtl/systolic/systolic_rtl.h"
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

void check_bf16_array(std::int64_t rows, std::int64_t cols) {
    const SystolicConfig array = built_bf16_array(rows, cols);
    std::vector<sysc::GemmJob> jobs;
    for (const auto& s : test::shapes_for(array)) jobs.push_back(test::random_job(array, s, 11));
    // K past KMAX: chunks of KMAX accumulate in place, continuing each sum in k order.
    jobs.push_back(test::random_job(array, {rows + 1, cols, 2 * array.k_max + 37}, 12));
    const std::size_t normal_jobs = jobs.size();
    jobs.push_back(special_job(array, {rows + 1, cols + 3, 40}, 5));
    jobs.push_back(special_job(array, {2 * rows, cols, array.k_max}, 6));
    jobs.push_back(special_job(array, {rows, cols + 1, array.k_max + 9}, 7));
    const auto rtl_runs = rtl::run_gemm_rtl(jobs);
    const auto sc_runs = sysc::run_gemm_systemc(jobs);
    REQUIRE(rtl_runs.size() == jobs.size());
    REQUIRE(sc_runs.size() == jobs.size());
    double worst = 0;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const auto& j = jobs[i];
        INFO(rows << "x" << cols << " bf16 M=" << j.shape.m << " N=" << j.shape.n << " K=" << j.shape.k);
        CHECK(rtl_runs[i].c == sysc::reference_gemm_bf16(j.shape, j.a_bf16, j.b_bf16));
        CHECK(rtl_runs[i].cycles == sc_runs[i].cycles);
        CHECK(rtl_runs[i].cycles == sysc::gemm_cycles(array, j.shape));
        CHECK(sc_runs[i].c == rtl_runs[i].c);
        if (i < normal_jobs) {
            const double r = worst_error_ratio(j, rtl_runs[i].c);
            CHECK(r <= 1.0);
            worst = std::max(worst, r);
        }
    }
    std::printf("bf16 %lldx%lld: worst |error| / bound against the double GEMM: %.4f\n", static_cast<long long>(rows),
                static_cast<long long>(cols), worst);
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
