#pragma once
// Switching activity of the output-stationary systolic array (rtl/systolic/systolic_array.sv, int8
// or bf16) per GEMM: bit toggles of every PE's operand registers (a_out, b_out), product and
// accumulator (acc_out), counted cycle by cycle on a verilated model. docs/rtl_activity.md.
// No Verilator headers here: the model lives in systolic_activity.cpp.
#include <cstdint>
#include <string>
#include <vector>

namespace chipdse::rtl {

enum class ActivityPrecision { kInt8, kBf16 };

// The operand data of a GEMM, drawn independently per element from a seeded generator.
//   int8: random = uniform over -128..127; sparse: zeros, the rest uniform over the 255 non-zero
//         values; constant: 0x5A (90).
//   bf16: random = N(0, 1) rounded to bf16; sparse: zeros, the rest N(0, 1); constant: 1.5 (0x3FC0).
struct OperandData {
    enum class Kind { kRandom, kSparse, kConstant };
    Kind kind = Kind::kRandom;
    double zero_fraction = 0;   // kSparse: share of zeros

    // "random", "sparse50" / "sparse90" (that percentage of zeros), "constant". Throws
    // std::invalid_argument for other names.
    static OperandData parse(const std::string& name);
    std::string name() const;
    // Probability that one bit of an int8 element is 1 (kRandom and kSparse; closed form).
    double bit_one_probability() const;
};

// The constant elements of OperandData::Kind::kConstant, as bit patterns.
inline constexpr std::uint8_t kConstantInt8 = 0x5A;
inline constexpr std::uint16_t kConstantBf16 = 0x3FC0;

struct ActivityJob {
    std::int64_t m = 0, n = 0, k = 0;  // C[m x n] = A[m x k] B[k x n]; m, n multiples of the array shape
    OperandData data;
    std::uint64_t seed = 1;
    ActivityPrecision precision = ActivityPrecision::kInt8;
};

struct ActivityResult {
    std::int64_t macs = 0;           // m * n * k
    std::int64_t tiles = 0;
    std::int64_t compute_cycles = 0; // rising edges from each start to its done, summed
    // Bit toggles summed over all PEs and all compute cycles (clear, stream and drain).
    std::uint64_t operand_toggles = 0;      // a_out and b_out
    std::uint64_t product_toggles = 0;      // the multiplier output (combinational, sampled once per cycle):
                                            // int8 prod (16 bits), bf16 the significand product p_sig (16 bits)
    std::uint64_t accumulator_toggles = 0;  // acc_out
    bool product_observed = false;          // false when the RTL names no PE product signal
    bool verified = false;                  // int8: equals a reference GEMM; bf16: within fp32 rounding of one in double
    std::uint64_t total_toggles() const { return operand_toggles + product_toggles + accumulator_toggles; }
};

// The verilated shape and operand buffer depth (CMake CHIPDSE_ACTIVITY_ROWS/COLS, KMAX 256), and
// whether the bf16 array was verilated too (the RTL has the BF16 parameter).
int activity_rows();
int activity_cols();
int activity_kmax();
bool activity_has_bf16();

// Runs the GEMM tile by tile on a fresh model; throws std::invalid_argument for a bad shape
// (m or n not a positive multiple of the array, k outside 1..KMAX) or a precision not built.
ActivityResult measure_activity(const ActivityJob& job);

}  // namespace chipdse::rtl
