#pragma once
// `chipdse sim ...`: the cycle-level block models (SystemC, and RTL under Verilator).
#include <cstdint>
#include <string>
#include <vector>

namespace chipdse::cli {

struct SimGemmOptions {
    std::string chip;
    std::vector<std::string> assignments;
    std::int64_t m = 0, n = 0, k = 0;
    std::string dataflow;  // empty: the chip's
    bool rtl = false;      // L2: the verilated array instead of the SystemC model
    std::uint64_t seed = 1;
    bool json = false;
};
int run_sim_gemm(const SimGemmOptions& opt);

}  // namespace chipdse::cli
