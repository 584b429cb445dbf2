// The verilated mac_bf16.sv (plain C++ model, no SystemC) against the C++ reference MAC, which is
// itself checked against the host's IEEE arithmetic (tests/sysc/test_bf16_mac.cpp): bit for bit
// on every combination of edge values and on millions of random triples.
#include <catch2/catch.hpp>
#include <cstdint>

#include "Vmac_bf16.h"
#include "bf16_test_data.h"
#include "sysc/systolic/bf16_mac.h"

using namespace chipdse;

namespace {

struct Mac {
    Vmac_bf16 model;
    std::uint32_t operator()(std::uint32_t acc, std::uint16_t a, std::uint16_t b) {
        model.acc = acc;
        model.a = a;
        model.b = b;
        model.eval();
        return model.sum;
    }
};

}  // namespace

TEST_CASE("mac_bf16.sv equals the C++ reference MAC on every combination of edge values", "[bf16]") {
    Mac mac;
    int mismatches = 0;
    for (std::uint32_t acc : test::fp32_edge_values())
        for (std::uint16_t a : test::bf16_edge_values())
            for (std::uint16_t b : test::bf16_edge_values()) {
                const std::uint32_t want = sysc::bf16_mac(acc, a, b), got = mac(acc, a, b);
                if (got != want && mismatches++ < 10)
                    FAIL_CHECK(std::hex << "acc=" << acc << " a=" << a << " b=" << b << ": RTL " << got << ", reference " << want);
            }
    CHECK(mismatches == 0);
}

TEST_CASE("mac_bf16.sv equals the C++ reference MAC on 4 million random triples", "[bf16]") {
    Mac mac;
    test::MacCaseGenerator gen(42);
    int mismatches = 0;
    for (int i = 0; i < 4'000'000; ++i) {
        const test::MacCase c = gen.next();
        const std::uint32_t want = sysc::bf16_mac(c.acc, c.a, c.b), got = mac(c.acc, c.a, c.b);
        if (got != want && mismatches++ < 10)
            FAIL_CHECK(std::hex << "acc=" << c.acc << " a=" << c.a << " b=" << c.b << ": RTL " << got << ", reference " << want);
    }
    CHECK(mismatches == 0);
}
