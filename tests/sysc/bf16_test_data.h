#pragma once
// Operands for the bf16 MAC tests (tests/sysc against the host's IEEE arithmetic, tests/cosim
// against the verilated mac_bf16.sv): edge values and random (acc, a, b) triples from
// distributions that reach cancellation, ties, underflow and overflow often.
#include <cstdint>
#include <random>
#include <vector>

namespace chipdse::test {

struct MacCase {
    std::uint32_t acc = 0;  // fp32 pattern
    std::uint16_t a = 0, b = 0;  // bf16 patterns
};

// +-0, smallest and largest subnormal, smallest normal, 1, 1 + ulp, 3, largest finite, Inf,
// a quiet and a signalling NaN: each with both signs.
inline std::vector<std::uint16_t> bf16_edge_values() {
    std::vector<std::uint16_t> v;
    for (std::uint16_t x : {0x0000, 0x0001, 0x007f, 0x0080, 0x3f80, 0x3f81, 0x4040, 0x7f7f, 0x7f80, 0x7fc0, 0x7f81}) {
        v.push_back(x);
        v.push_back(static_cast<std::uint16_t>(x | 0x8000));
    }
    return v;
}

inline std::vector<std::uint32_t> fp32_edge_values() {
    std::vector<std::uint32_t> v;
    for (std::uint32_t x : {0x00000000u, 0x00000001u, 0x007fffffu, 0x00800000u, 0x00800001u, 0x3f800000u, 0x3f800001u,
                            0x4b800000u, 0x33800000u, 0x7f7fffffu, 0x7f7f0000u, 0x7f800000u, 0x7fc00000u, 0x7f800001u}) {
        v.push_back(x);
        v.push_back(x | 0x80000000u);
    }
    return v;
}

class MacCaseGenerator {
public:
    explicit MacCaseGenerator(std::uint64_t seed) : m_rng(seed) {}

    // Cycles through five distributions: uniform bit patterns; products and accumulators of
    // nearby magnitudes (cancellation); the same with short significands (exact ties); results
    // near the bottom of the normal range; results near overflow.
    MacCase next() {
        const int kind = static_cast<int>(m_count++ % 5);
        if (kind == 0) return {bits32(), bits16(), bits16()};
        int ea = 0, eb = 0, ec = 0;
        if (kind == 1 || kind == 2) {
            ea = uniform(107, 147);
            eb = uniform(107, 147);
            ec = ea + eb - 127 + uniform(-30, 30);
        } else if (kind == 3) {
            ea = uniform(1, 130);
            eb = clamp(127 - ea + uniform(-10, 20));
            ec = uniform(0, 30);
        } else {
            ea = uniform(180, 254);
            eb = clamp(127 + uniform(240, 260) - ea);
            ec = uniform(230, 255);
        }
        std::uint32_t fa = bits16() & 0x7fu, fb = bits16() & 0x7fu, fc = bits32() & 0x7fffffu;
        if (kind == 2) {  // powers of two and short significands make exact halfway sums
            if (bits16() & 1) fa = 0;
            if (bits16() & 1) fb = 0;
            fc &= ~((1u << uniform(0, 23)) - 1u);
        }
        return {(bits32() & 0x80000000u) | (static_cast<std::uint32_t>(clamp(ec)) << 23) | fc,
                static_cast<std::uint16_t>((bits16() & 0x8000u) | (static_cast<std::uint32_t>(clamp(ea)) << 7) | fa),
                static_cast<std::uint16_t>((bits16() & 0x8000u) | (static_cast<std::uint32_t>(clamp(eb)) << 7) | fb)};
    }

private:
    static int clamp(int e) { return e < 0 ? 0 : (e > 255 ? 255 : e); }
    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_rng); }
    std::uint32_t bits32() { return static_cast<std::uint32_t>(m_rng()); }
    std::uint16_t bits16() { return static_cast<std::uint16_t>(m_rng()); }

    std::mt19937_64 m_rng;
    std::uint64_t m_count = 0;
};

}  // namespace chipdse::test
