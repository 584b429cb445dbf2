#include "sysc/systolic/bf16_mac.h"

#include <bit>
#include <cstddef>
#include <stdexcept>

namespace chipdse::sysc {
namespace {

enum class Kind { kZero, kNormal, kInf, kNan };

// A decoded value: sign, and for kNormal the value sig * 2^(exp - 23) with 2^23 <= sig < 2^24.
struct Value {
    Kind kind = Kind::kZero;
    bool sign = false;
    int exp = 0;
    std::uint64_t sig = 0;
};

Value decode(bool sign, int biased_exp, std::uint32_t fraction, int fraction_bits) {
    const int max_exp = 255;
    if (biased_exp == 0) return {Kind::kZero, sign, 0, 0};  // zero, or subnormal read as zero
    if (biased_exp == max_exp) return {fraction != 0 ? Kind::kNan : Kind::kInf, sign, 0, 0};
    return {Kind::kNormal, sign, biased_exp - 127, (std::uint64_t{1} << 23) | (std::uint64_t{fraction} << (23 - fraction_bits))};
}

Value decode_bf16(std::uint16_t x) { return decode((x >> 15) != 0, (x >> 7) & 0xff, x & 0x7fu, 7); }
Value decode_fp32(std::uint32_t x) { return decode((x >> 31) != 0, static_cast<int>((x >> 23) & 0xff), x & 0x7fffffu, 23); }

std::uint32_t zero(bool sign) { return sign ? 0x80000000u : 0u; }
std::uint32_t inf(bool sign) { return zero(sign) | 0x7f800000u; }

// sig * 2^(exp - 23), 2^23 <= sig < 2^24, with the range policy: +-Inf above, +-0 below.
std::uint32_t encode(bool sign, int exp, std::uint64_t sig) {
    if (exp > 127) return inf(sign);
    if (exp < -126) return zero(sign);
    return zero(sign) | (static_cast<std::uint32_t>(exp + 127) << 23) | static_cast<std::uint32_t>(sig & 0x7fffffu);
}

// The exact product as an fp32 pattern (the range policy applied), or a special kind.
Value product(const Value& a, const Value& b) {
    const bool sign = a.sign != b.sign;
    if (a.kind == Kind::kNan || b.kind == Kind::kNan) return {Kind::kNan, sign, 0, 0};
    if (a.kind == Kind::kInf || b.kind == Kind::kInf) {
        if (a.kind == Kind::kZero || b.kind == Kind::kZero) return {Kind::kNan, sign, 0, 0};
        return {Kind::kInf, sign, 0, 0};
    }
    if (a.kind == Kind::kZero || b.kind == Kind::kZero) return {Kind::kZero, sign, 0, 0};
    // (a.sig >> 16) * (b.sig >> 16): two 8-bit significands, 16 bits, exact.
    std::uint64_t p = (a.sig >> 16) * (b.sig >> 16);  // value p * 2^(a.exp + b.exp - 14)
    int exp = a.exp + b.exp;
    if (p >= (std::uint64_t{1} << 15)) {
        ++exp;
        p <<= 8;
    } else {
        p <<= 9;
    }
    const std::uint32_t bits = encode(sign, exp, p);
    return decode_fp32(bits);
}

}  // namespace

std::uint32_t bf16_mac(std::uint32_t acc, std::uint16_t a, std::uint16_t b) {
    const Value c = decode_fp32(acc);
    const Value p = product(decode_bf16(a), decode_bf16(b));
    if (c.kind == Kind::kNan || p.kind == Kind::kNan) return kFp32QuietNan;
    if (c.kind == Kind::kInf && p.kind == Kind::kInf && c.sign != p.sign) return kFp32QuietNan;
    if (c.kind == Kind::kInf) return inf(c.sign);
    if (p.kind == Kind::kInf) return inf(p.sign);
    if (c.kind == Kind::kZero && p.kind == Kind::kZero) return zero(c.sign && p.sign);
    if (p.kind == Kind::kZero) return acc;
    if (c.kind == Kind::kZero) return encode(p.sign, p.exp, p.sig);

    // Both normal: x has the larger magnitude.
    const bool c_larger = c.exp > p.exp || (c.exp == p.exp && c.sig >= p.sig);
    const Value& x = c_larger ? c : p;
    const Value& y = c_larger ? p : c;
    // x.sig << 39 < 2^63, so the sum fits in 64 bits. A y more than 39 binades below x is taken
    // 39 binades below: it stays below a quarter of x's ulp and nonzero, so the rounding is the same.
    constexpr int kShift = 39;
    const int d = x.exp - y.exp;
    const std::uint64_t sx = x.sig << kShift;
    const std::uint64_t sy = d >= kShift ? y.sig : y.sig << (kShift - d);
    const std::uint64_t s = x.sign == y.sign ? sx + sy : sx - sy;  // value s * 2^(x.exp - 23 - 39)
    if (s == 0) return 0;  // exact cancellation: +0
    const int msb = 63 - std::countl_zero(s);
    std::uint64_t q = 0;
    int sh = msb - 23;  // q * 2^sh == s, rounded to 24 bits
    if (sh > 0) {
        q = s >> sh;
        const std::uint64_t rem = s & ((std::uint64_t{1} << sh) - 1), half = std::uint64_t{1} << (sh - 1);
        if (rem > half || (rem == half && (q & 1) != 0)) ++q;
        if (q == (std::uint64_t{1} << 24)) {
            q >>= 1;
            ++sh;
        }
    } else {
        q = s << -sh;
    }
    return encode(x.sign, x.exp - kShift + sh, q);
}

std::uint16_t bf16_from_float(float x) {
    const std::uint32_t bits = fp32_bits(x);
    if ((bits & 0x7f800000u) == 0x7f800000u && (bits & 0x7fffffu) != 0)
        return static_cast<std::uint16_t>((bits >> 16) | 0x40u);
    const std::uint32_t bias = 0x7fffu + ((bits >> 16) & 1u);
    return static_cast<std::uint16_t>((bits + bias) >> 16);
}

float bf16_to_float(std::uint16_t x) { return fp32_from_bits(std::uint32_t{x} << 16); }
float fp32_from_bits(std::uint32_t x) { return std::bit_cast<float>(x); }
std::uint32_t fp32_bits(float x) { return std::bit_cast<std::uint32_t>(x); }

std::vector<std::uint32_t> bf16_gemm(std::int64_t m, std::int64_t n, std::int64_t k, std::span<const std::uint16_t> a,
                                     std::span<const std::uint16_t> b) {
    if (m < 0 || n < 0 || k < 0 || static_cast<std::int64_t>(a.size()) != m * k ||
        static_cast<std::int64_t>(b.size()) != k * n)
        throw std::invalid_argument("bf16_gemm: operands must be m x k and k x n");
    std::vector<std::uint32_t> c(static_cast<std::size_t>(m * n), 0);
    for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t j = 0; j < n; ++j) {
            std::uint32_t acc = 0;
            for (std::int64_t kk = 0; kk < k; ++kk)
                acc = bf16_mac(acc, a[static_cast<std::size_t>(i * k + kk)], b[static_cast<std::size_t>(kk * n + j)]);
            c[static_cast<std::size_t>(i * n + j)] = acc;
        }
    return c;
}

}  // namespace chipdse::sysc
