#pragma once
// Switching activity of the output-stationary int8 systolic array (rtl/systolic/systolic_array.sv)
// per GEMM: bit toggles of every PE's operand registers (a_out, b_out), product (prod) and
// accumulator (acc_out), counted cycle by cycle on a verilated model. docs/rtl_activity.md.
// No Verilator headers here: the model lives in systolic_activity.cpp.
#include <cstdint>
#include <string>
#include <vector>

namespace chipdse::rtl {

// The operand data of a GEMM, drawn independently per element from a seeded generator.
struct OperandData {
    enum class Kind { kRandom, kSparse, kConstant };
    Kind kind = Kind::kRandom;
    double zero_fraction = 0;   // kSparse: share of zeros; the rest uniform over the 255 non-zero int8 values
    std::int8_t value = 0;      // kConstant: every element of A and B

    // "random" (uniform int8), "sparse50" / "sparse90" (that percentage of zeros), "constant"
    // (every element 0x5A = 90). Throws std::invalid_argument for other names.
    static OperandData parse(const std::string& name);
    std::string name() const;
    // Probability that one bit of an element is 1 (kRandom and kSparse; closed form).
    double bit_one_probability() const;
};

struct ActivityJob {
    std::int64_t m = 0, n = 0, k = 0;  // C[m x n] = A[m x k] B[k x n]; m, n multiples of the array shape
    OperandData data;
    std::uint64_t seed = 1;
};

struct ActivityResult {
    std::int64_t macs = 0;           // m * n * k
    std::int64_t tiles = 0;
    std::int64_t compute_cycles = 0; // rising edges from each start to its done, summed
    // Bit toggles summed over all PEs and all compute cycles (clear, stream and drain).
    std::uint64_t operand_toggles = 0;      // a_out and b_out
    std::uint64_t product_toggles = 0;      // the multiplier output (combinational, sampled once per cycle)
    std::uint64_t accumulator_toggles = 0;  // acc_out
    bool product_observed = false;          // false when the RTL names no PE product signal
    bool verified = false;                  // the drained result equals a reference int8 GEMM
    std::uint64_t total_toggles() const { return operand_toggles + product_toggles + accumulator_toggles; }
};

// The verilated shape and operand buffer depth (CMake CHIPDSE_ACTIVITY_ROWS/COLS, KMAX 256).
int activity_rows();
int activity_cols();
int activity_kmax();

// Runs the GEMM tile by tile on a fresh model; throws std::invalid_argument for a bad shape
// (m or n not a positive multiple of the array, k outside 1..KMAX).
ActivityResult measure_activity(const ActivityJob& job);

}  // namespace chipdse::rtl
