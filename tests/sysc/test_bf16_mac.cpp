// The C++ bf16 MAC against the host's IEEE 754 float arithmetic (round to nearest even): bit for
// bit once the documented policy (subnormals read and written as zeros, one quiet NaN) is applied
// around the host's operations, and different from plain IEEE only where that policy acts.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "bf16_test_data.h"
#include "sysc/systolic/bf16_mac.h"

using namespace chipdse;
using sysc::bf16_mac;
using sysc::bf16_to_float;
using sysc::fp32_bits;
using sysc::fp32_from_bits;

namespace {

bool subnormal(float x) { return std::fpclassify(x) == FP_SUBNORMAL; }
float flush(float x) { return subnormal(x) ? std::copysign(0.0f, x) : x; }

// acc + a * b in host float arithmetic; with `policy`, subnormal operands, product and sum are
// flushed to zeros of their sign. volatile keeps the compiler from fusing the multiply and add.
float host_mac(std::uint32_t acc, std::uint16_t a, std::uint16_t b, bool policy) {
    auto in = [policy](float x) { return policy ? flush(x) : x; };
    const float fa = in(bf16_to_float(a)), fb = in(bf16_to_float(b)), fc = in(fp32_from_bits(acc));
    volatile float p = fa * fb;  // exact whenever it is a normal float: 16 significant bits
    const float pp = in(p);
    volatile float r = fc + pp;
    return in(r);
}

// Equal bit for bit; a host NaN must be our one quiet NaN.
bool same(std::uint32_t ours, float host) {
    return std::isnan(host) ? ours == sysc::kFp32QuietNan : ours == fp32_bits(host);
}

struct Tally {
    std::int64_t cases = 0, policy_mismatches = 0, ieee_differences = 0, nan_payloads = 0, unexplained = 0;
};

void check_case(const test::MacCase& c, Tally& t) {
    ++t.cases;
    const std::uint32_t ours = bf16_mac(c.acc, c.a, c.b);
    if (!same(ours, host_mac(c.acc, c.a, c.b, true))) {
        if (t.policy_mismatches++ < 10)
            FAIL_CHECK("acc=" << std::hex << c.acc << " a=" << c.a << " b=" << c.b << ": ours " << ours << ", host "
                              << fp32_bits(host_mac(c.acc, c.a, c.b, true)));
    }
    const float ieee = host_mac(c.acc, c.a, c.b, false);
    if (std::isnan(ieee)) {
        if (fp32_bits(ieee) != sysc::kFp32QuietNan) ++t.nan_payloads;
        return;
    }
    if (ours == fp32_bits(ieee)) return;
    ++t.ieee_differences;
    // Plain IEEE may differ only where a subnormal appears: an operand, the product or the sum.
    const float fa = bf16_to_float(c.a), fb = bf16_to_float(c.b), fc = fp32_from_bits(c.acc);
    volatile float p = fa * fb;
    if (!(subnormal(fa) || subnormal(fb) || subnormal(fc) || subnormal(p) || subnormal(ieee))) ++t.unexplained;
}

}  // namespace

TEST_CASE("bf16 MAC: known values", "[bf16]") {
    CHECK(bf16_mac(0, 0x3f80, 0x3f80) == 0x3f800000u);                       // 0 + 1 * 1 = 1
    CHECK(bf16_mac(0x3f800000u, 0x4040, 0x4000) == 0x40e00000u);             // 1 + 3 * 2 = 7
    CHECK(bf16_mac(0x40e00000u, 0xc040, 0x4000) == 0x3f800000u);             // 7 - 6 = 1
    CHECK(bf16_mac(0x4b800000u, 0x3f80, 0x3f80) == 0x4b800000u);             // 2^24 + 1 ties to even: 2^24
    CHECK(bf16_mac(0x4b800001u, 0x3f80, 0x3f80) == 0x4b800002u);             // (2^24 + 2) + 1 ties to even: 2^24 + 4
    CHECK(bf16_mac(0x3f800000u, 0xbf80, 0x3f80) == 0x00000000u);             // 1 - 1 = +0
    CHECK(bf16_mac(0x80000000u, 0x8000, 0x0000) == 0x80000000u);             // -0 + (-0) = -0
    CHECK(bf16_mac(0x80000000u, 0x0000, 0x0000) == 0x00000000u);             // -0 + (+0) = +0
    CHECK(bf16_mac(0x7f800000u, 0xff80, 0x3f80) == sysc::kFp32QuietNan);     // Inf - Inf
    CHECK(bf16_mac(0, 0x7f80, 0x0000) == sysc::kFp32QuietNan);               // Inf * 0
    CHECK(bf16_mac(0, 0x7f7f, 0x7f7f) == 0x7f800000u);                       // product overflows to Inf
    CHECK(bf16_mac(0x7f7fffffu, 0x7f00, 0x3f80) == 0x7f800000u);             // sum overflows to Inf
    CHECK(bf16_mac(0x3f800000u, 0x0080, 0x0080) == 0x3f800000u);             // 2^-252 flushes to 0
    CHECK(bf16_mac(0x00c00000u, 0x8080, 0x3f80) == 0x00000000u);             // 1.5 * 2^-126 - 2^-126 flushes to +0
    CHECK(bf16_mac(0x80c00000u, 0x0080, 0x3f80) == 0x80000000u);             // ... and to -0
    CHECK(bf16_mac(0, 0x0001, 0x3f80) == 0x00000000u);                       // subnormal operand reads as +0
    CHECK(bf16_mac(0x80000000u, 0x8001, 0x3f80) == 0x80000000u);             // ... or -0
    CHECK(bf16_mac(0x00000001u, 0x3f80, 0x3f80) == 0x3f800000u);             // subnormal acc reads as 0
    CHECK(bf16_mac(0x3f800000u, 0x7fc1, 0x3f80) == sysc::kFp32QuietNan);     // NaN payloads are not kept
}

TEST_CASE("bf16 MAC: every combination of edge values equals host float arithmetic under the policy", "[bf16]") {
    Tally t;
    for (std::uint32_t acc : test::fp32_edge_values())
        for (std::uint16_t a : test::bf16_edge_values())
            for (std::uint16_t b : test::bf16_edge_values()) check_case({acc, a, b}, t);
    CHECK(t.cases == 28 * 22 * 22);
    CHECK(t.policy_mismatches == 0);
    CHECK(t.unexplained == 0);
    std::printf("bf16 MAC edge values: %lld cases, %lld differ from plain IEEE (all with a subnormal), "
                "%lld IEEE NaNs with another payload\n",
                static_cast<long long>(t.cases), static_cast<long long>(t.ieee_differences),
                static_cast<long long>(t.nan_payloads));
}

TEST_CASE("bf16 MAC: 5 million random triples equal host float arithmetic under the policy", "[bf16]") {
    Tally t;
    test::MacCaseGenerator gen(20261206);
    for (int i = 0; i < 5'000'000; ++i) check_case(gen.next(), t);
    CHECK(t.policy_mismatches == 0);
    CHECK(t.unexplained == 0);
    // The corpus reaches the policy's corners: without them these tests would prove little.
    CHECK(t.ieee_differences > 1000);
    CHECK(t.nan_payloads > 1000);
    std::printf("bf16 MAC random: %lld cases, %lld differ from plain IEEE (all with a subnormal), "
                "%lld IEEE NaNs with another payload\n",
                static_cast<long long>(t.cases), static_cast<long long>(t.ieee_differences),
                static_cast<long long>(t.nan_payloads));
}

TEST_CASE("bf16 MAC: products within range are exact and sums round to nearest even", "[bf16]") {
    // Random normal operands of moderate size, no subnormal anywhere: plain IEEE, bit for bit.
    test::MacCaseGenerator gen(7);
    std::int64_t ties = 0;
    for (int i = 0; i < 1'000'000; ++i) {
        test::MacCase c = gen.next();
        const float fa = bf16_to_float(c.a), fb = bf16_to_float(c.b), fc = fp32_from_bits(c.acc);
        if (!std::isnormal(fa) || !std::isnormal(fb) || !std::isnormal(fc)) continue;
        volatile float p = fa * fb;
        const double exact = static_cast<double>(fc) + static_cast<double>(fa) * static_cast<double>(fb);
        if (!std::isnormal(p) || !std::isnormal(static_cast<float>(exact))) continue;
        const float r = fp32_from_bits(bf16_mac(c.acc, c.a, c.b));
        REQUIRE(static_cast<double>(p) == static_cast<double>(fa) * static_cast<double>(fb));  // exact product
        // Nearest: no float lies strictly closer to the exact sum (double holds it exactly when
        // the exponents are within 29 binades; otherwise skip).
        if (std::abs(std::ilogb(fc) - std::ilogb(p)) > 28) continue;
        const double err = std::fabs(static_cast<double>(r) - exact);
        const double up = std::fabs(static_cast<double>(std::nextafter(r, INFINITY)) - exact);
        const double down = std::fabs(static_cast<double>(std::nextafter(r, -INFINITY)) - exact);
        REQUIRE(err <= up);
        REQUIRE(err <= down);
        if (err == up || err == down) {
            ++ties;
            REQUIRE((fp32_bits(r) & 1u) == 0);  // ties to even
        }
    }
    CHECK(ties > 100);
}

TEST_CASE("bf16 conversion from float rounds to nearest even", "[bf16]") {
    CHECK(sysc::bf16_from_float(1.0f) == 0x3f80);
    CHECK(sysc::bf16_from_float(fp32_from_bits(0x3f808000u)) == 0x3f80);  // halfway: to even
    CHECK(sysc::bf16_from_float(fp32_from_bits(0x3f818000u)) == 0x3f82);  // halfway: to even
    CHECK(sysc::bf16_from_float(fp32_from_bits(0x3f808001u)) == 0x3f81);
    CHECK(sysc::bf16_from_float(-2.5f) == 0xc020);
    CHECK(sysc::bf16_from_float(fp32_from_bits(0x7f7fffffu)) == 0x7f80);  // past the largest bf16
    CHECK(sysc::bf16_from_float(-INFINITY) == 0xff80);
    CHECK((sysc::bf16_from_float(NAN) & 0x7fc0) == 0x7fc0);
    CHECK(sysc::bf16_from_float(fp32_from_bits(0x7f800001u)) == 0x7fc0);  // a NaN that truncation would make Inf
}

TEST_CASE("bf16 GEMM accumulates k ascending from +0, as float += float * float does", "[bf16]") {
    // 2^24 + 1 + 1: ascending order rounds each +1 away (ties to even); descending would keep both.
    const std::vector<std::uint16_t> a{0x4b80, 0x3f80, 0x3f80}, b{0x3f80, 0x3f80, 0x3f80};
    CHECK(sysc::bf16_gemm(1, 1, 3, a, b) == std::vector<std::uint32_t>{0x4b800000u});
    const std::vector<std::uint16_t> a2{0x3f80, 0x4000, 0x4040, 0x4080}, b2{0x40a0, 0x40c0, 0x40e0, 0x4100};
    // [1 2; 3 4] x [5 6; 7 8] = [19 22; 43 50]
    CHECK(sysc::bf16_gemm(2, 2, 2, a2, b2) ==
          std::vector<std::uint32_t>{fp32_bits(19.0f), fp32_bits(22.0f), fp32_bits(43.0f), fp32_bits(50.0f)});

    // Random normal data: the host's own loop, bit for bit.
    std::mt19937 rng(3);
    std::normal_distribution<float> dist(0.0f, 1.0f);
    const std::int64_t m = 5, n = 7, k = 300;
    std::vector<std::uint16_t> ra(m * k), rb(k * n);
    for (auto& x : ra) x = sysc::bf16_from_float(dist(rng));
    for (auto& x : rb) x = sysc::bf16_from_float(dist(rng));
    const auto c = sysc::bf16_gemm(m, n, k, ra, rb);
    for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t j = 0; j < n; ++j) {
            float s = 0.0f;
            for (std::int64_t kk = 0; kk < k; ++kk) {
                volatile float p = bf16_to_float(ra[i * k + kk]) * bf16_to_float(rb[kk * n + j]);
                s = s + p;
            }
            CHECK(c[i * n + j] == fp32_bits(s));
        }
    CHECK_THROWS(sysc::bf16_gemm(2, 2, 2, a2, b));
}
