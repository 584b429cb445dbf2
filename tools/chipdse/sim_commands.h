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

// hbm: an access pattern on an HBM memory file (arch_configs/memory/) or a chip's HBM timing
struct SimHbmOptions {
    std::string hbm;
    std::vector<std::string> assignments;
    std::string pattern;                // seq | random | copy
    std::int64_t request_bytes = 64;
    std::int64_t requests = 20000;
    std::uint64_t seed = 1;
    std::string engine = "systemc";     // systemc (the TLM shell) | core (the plain C++ core)
    bool json = false;
};
int run_sim_hbm(const SimHbmOptions& opt);

}  // namespace chipdse::cli
