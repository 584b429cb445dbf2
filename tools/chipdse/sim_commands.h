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
    std::string dataflow;  // os | ws | is; empty: the chip's
    std::string precision = "int8";  // int8 | bf16 (bf16 x bf16 -> fp32; --rtl: output- or weight-stationary)
    bool rtl = false;      // L2: the verilated array instead of the SystemC model
    bool timing_only = false;  // no operands: phases as timed waits (also chosen above kSimGemmCheckedMacs)
    bool double_buffered = false;  // the pipelined array even if the chip's matrix.double_buffered is false
    std::uint64_t seed = 1;
    bool json = false;
    // The matrix engine (--memory simple|hbm): operands over TLM into a double-buffered SRAM
    std::string memory;               // simple | hbm; empty: the array alone (its 64-bit host ports)
    std::int64_t memory_latency = 0;  // simple: cycles from a request's data to its response
    double memory_bandwidth = 0;      // simple: bytes per cycle; 0: unbounded
    double sram_bandwidth = 0;        // operand SRAM fill, bytes per cycle; 0: unbounded
    std::int64_t request_bytes = 64;  // TLM request size; 0 (simple only): one request per transfer
};
// GEMMs with more MACs than this run timing-only unless --rtl: the data check would take minutes.
inline constexpr std::int64_t kSimGemmCheckedMacs = std::int64_t{1} << 32;
int run_sim_gemm(const SimGemmOptions& opt);
int run_sim_gemm_engine(const SimGemmOptions& opt);  // --memory given

// hbm: an access pattern on an HBM memory file (arch_configs/memory/) or a chip's HBM timing
struct SimHbmOptions {
    std::string hbm;
    std::vector<std::string> assignments;
    std::string pattern;                // seq | random | copy
    std::int64_t request_bytes = 64;
    std::int64_t requests = 20000;
    std::uint64_t seed = 1;
    std::string engine = "systemc";     // systemc (the TLM shell) | core (the plain C++ core)
    std::string requesters = "one";     // one | per-channel (core only)
    int threads = 1;                    // per-channel: channels simulated at once, 0 = all cores
    bool json = false;
};
int run_sim_hbm(const SimHbmOptions& opt);

// A byte count for --bytes/--chunk: "4096", "1e6" or a size with its unit ("64 MiB", "1 kB").
// False with a message saying what is wrong.
bool parse_byte_count(const std::string& text, std::int64_t& out, std::string& error);

// link: one message over one link direction (a link file, arch_configs/links/, or a chip's links)
struct SimLinkOptions {
    std::string link;
    std::vector<std::string> assignments;
    std::string bytes;                  // a count or a size with its unit ("64 MiB")
    std::uint64_t seed = 1;             // of the bit-error draws
    std::string engine = "systemc";     // systemc (the TLM shell) | core (the plain C++ core)
    bool json = false;
};
int run_sim_link(const SimLinkOptions& opt);

// allreduce: K chips of a system's chip, connected by the chip's links, all-reducing a buffer
struct SimAllreduceOptions {
    std::string system;
    std::string link;                   // a link file whose link replaces the chip's (the chip keeps its count)
    std::vector<std::string> assignments;
    std::int64_t chips = 0;             // 0: the system's scale-up domain
    std::string bytes;                  // a count or a size with its unit
    std::string algorithm = "ring";     // ring | tree
    std::string topology;               // switch | ring | torus2d | torus3d; empty: the system's scale-up
    std::string dims;                   // torus dimensions "4x4" (default: near-square factors of chips)
    std::string chunk;                  // tree pipeline chunk (default: 1/64 of a tree's half)
    std::uint64_t seed = 1;
    std::string engine = "systemc";
    bool json = false;
};
int run_sim_allreduce(const SimAllreduceOptions& opt);

}  // namespace chipdse::cli
