#pragma once
// The bf16 x bf16 -> fp32 multiply-accumulate of rtl/systolic/mac_bf16.sv, bit for bit, in plain
// C++, and the bf16 GEMM that the array computes with it (docs/systolic.md, "bf16 path").
//
// Policy, the same as the RTL's: the product a * b is exact (8-bit significands), then made fp32
// (above the range: +-Inf; below 2^-126: +-0); acc + product is rounded once to nearest, ties to
// even. Subnormal inputs read as zeros of their sign; a result below 2^-126 flushes to a zero of
// its sign; every NaN result is 0x7FC00000. All else is IEEE 754 binary32.
// Values are bit patterns: bf16 in std::uint16_t, fp32 in std::uint32_t.
#include <cstdint>
#include <span>
#include <vector>

namespace chipdse::sysc {

inline constexpr std::uint32_t kFp32QuietNan = 0x7fc00000u;

// acc + a * b under the policy above. Written independently of the RTL's guard/round/sticky
// datapath: the exact sum in a 64-bit integer, then one rounding.
std::uint32_t bf16_mac(std::uint32_t acc, std::uint16_t a, std::uint16_t b);

// The bf16 nearest to x, ties to even (Inf stays Inf, a NaN becomes a quiet NaN of its sign),
// subnormals kept; and the exact float of a bf16 or fp32 pattern.
std::uint16_t bf16_from_float(float x);
float bf16_to_float(std::uint16_t x);
float fp32_from_bits(std::uint32_t x);
std::uint32_t fp32_bits(float x);

// C[m x n] = A[m x k] * B[k x n] (row-major bf16 patterns), every element accumulated from +0 with
// bf16_mac over k = 0, 1, ..., k-1: the order of the array's PEs. Returns fp32 patterns.
std::vector<std::uint32_t> bf16_gemm(std::int64_t m, std::int64_t n, std::int64_t k, std::span<const std::uint16_t> a,
                                     std::span<const std::uint16_t> b);

}  // namespace chipdse::sysc
