// Toggle counts of the verilated int8 array against facts derived by hand (docs/rtl_activity.md):
// each PE's operand register carries 0, x_1, ..., x_K, 0 through a tile, so for independent
// elements with P(bit = 1) = p its expected toggles are 8 (2p + (K-1) 2p(1-p)); constant data
// toggles only at fill and drain; the tile takes 2R + C + K - 1 cycles (docs/systolic.md).
#include <bit>
#include <cstdint>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "rtl/activity/systolic_activity.h"

namespace {

using chipdse::rtl::ActivityJob;
using chipdse::rtl::ActivityResult;
using chipdse::rtl::measure_activity;
using chipdse::rtl::OperandData;

constexpr std::int64_t kK = 256;

ActivityJob job(const char* data, std::int64_t k = kK) {
    const std::int64_t r = chipdse::rtl::activity_rows(), c = chipdse::rtl::activity_cols();
    return ActivityJob{2 * r, 2 * c, k, OperandData::parse(data), 7};
}

// Two 8-bit operand registers per PE; per MAC (one new element pair per PE per MAC).
double expected_operand_toggles_per_mac(double p, double k) {
    return 2.0 * 8.0 * (2.0 * p + (k - 1.0) * 2.0 * p * (1.0 - p)) / k;
}

double per_mac(std::uint64_t toggles, const ActivityResult& r) {
    return static_cast<double>(toggles) / static_cast<double>(r.macs);
}

}  // namespace

TEST_CASE("random int8 operands toggle half their bits per new operand", "[activity]") {
    const ActivityResult r = measure_activity(job("random"));
    REQUIRE(r.verified);
    REQUIRE(r.product_observed);
    const std::int64_t rows = chipdse::rtl::activity_rows(), cols = chipdse::rtl::activity_cols();
    CHECK(r.tiles == 4);
    CHECK(r.compute_cycles == r.tiles * (2 * rows + cols + kK - 1));
    // 0.5 per bit: 8 (K + 1) / K per MAC, 8.03 for K = 256
    CHECK(per_mac(r.operand_toggles, r) == Approx(expected_operand_toggles_per_mac(0.5, kK)).epsilon(0.03));
    // a 16-bit product of independent random operands: about half its bits change each cycle
    CHECK(per_mac(r.product_toggles, r) == Approx(8.0).epsilon(0.1));
}

TEST_CASE("sparse operands toggle as the closed form for their zero fraction", "[activity]") {
    for (const char* name : {"sparse50", "sparse90"}) {
        const OperandData d = OperandData::parse(name);
        const ActivityResult r = measure_activity(job(name));
        REQUIRE(r.verified);
        // P(bit = 1) = (1 - z) 128/255: 0.251 at 50% zeros, 0.050 at 90%
        INFO(name);
        CHECK(per_mac(r.operand_toggles, r) ==
              Approx(expected_operand_toggles_per_mac((1.0 - d.zero_fraction) * 128.0 / 255.0, kK)).epsilon(0.06));
    }
}

TEST_CASE("constant operands toggle only when the array fills and drains", "[activity]") {
    const ActivityResult r = measure_activity(job("constant"));
    REQUIRE(r.verified);
    const std::int64_t pes = chipdse::rtl::activity_rows() * chipdse::rtl::activity_cols();
    // per tile and PE: each register goes 0 -> 0x5A once and back once, except in the last PE,
    // which sees no zero before the stream ends: its registers clear at the next tile's start, and
    // the last tile's is outside the GEMM
    const int bits = std::popcount(static_cast<unsigned>(0x5A));
    CHECK(r.operand_toggles == static_cast<std::uint64_t>(r.tiles * pes * 2 * 2 * bits - 2 * bits));
    CHECK(r.product_toggles == static_cast<std::uint64_t>(r.tiles * pes * 2 * std::popcount(90u * 90u)));
}

TEST_CASE("more zeros give fewer toggles and random data is the most expensive", "[activity]") {
    const ActivityResult random = measure_activity(job("random"));
    const ActivityResult s50 = measure_activity(job("sparse50"));
    const ActivityResult s90 = measure_activity(job("sparse90"));
    const ActivityResult constant = measure_activity(job("constant"));
    const double t_random = per_mac(random.total_toggles(), random);
    CHECK(per_mac(s90.total_toggles(), s90) < per_mac(s50.total_toggles(), s50));
    CHECK(per_mac(s50.total_toggles(), s50) < t_random);
    CHECK(per_mac(constant.total_toggles(), constant) < t_random);
    CHECK(per_mac(constant.operand_toggles, constant) < 0.01 * per_mac(random.operand_toggles, random));
    // zero operands give zero products: at 90% zeros 99% of products are 0
    CHECK(per_mac(s90.product_toggles, s90) < 0.05 * per_mac(random.product_toggles, random));
}

TEST_CASE("shapes the harness cannot run are rejected", "[activity]") {
    ActivityJob j = job("random");
    j.m = chipdse::rtl::activity_rows() + 1;
    CHECK_THROWS_AS(measure_activity(j), std::invalid_argument);
    j = job("random", chipdse::rtl::activity_kmax() + 1);
    CHECK_THROWS_WITH(measure_activity(j), Catch::Contains("k: must be in 1..256"));
    CHECK_THROWS_AS(OperandData::parse("sparse70"), std::invalid_argument);
}

TEST_CASE("bf16 operands: sparse and constant data toggle less than random", "[activity]") {
    if (!chipdse::rtl::activity_has_bf16()) {
        WARN("the RTL has no bf16 PE: skipped");
        return;
    }
    auto bf16 = [](const char* data) {
        ActivityJob j = job(data);
        j.precision = chipdse::rtl::ActivityPrecision::kBf16;
        return measure_activity(j);
    };
    const ActivityResult random = bf16("random"), s50 = bf16("sparse50"), s90 = bf16("sparse90"),
                         constant = bf16("constant");
    for (const ActivityResult* r : {&random, &s50, &s90, &constant}) {
        CHECK(r->verified);
        CHECK(r->product_observed);
    }
    CHECK(per_mac(s90.total_toggles(), s90) < per_mac(s50.total_toggles(), s50));
    CHECK(per_mac(s50.total_toggles(), s50) < per_mac(random.total_toggles(), random));
    // constant data: a register changes at most four times per tile (clear -> idle pad -> data ->
    // pad, the pad being -0 for A), so at most 2 x 4 x 16 bits per PE and tile
    CHECK(per_mac(constant.operand_toggles, constant) <= 2.0 * 4 * 16 / kK);
    // two 16-bit registers of independent N(0,1) values: the sign and the 7 fraction bits toggle
    // with probability 1/2 each, the exponent bits less often: between 8 and 16 per MAC
    CHECK(per_mac(random.operand_toggles, random) > 2 * 4.0);
    CHECK(per_mac(random.operand_toggles, random) < 2 * 8.0);
}
