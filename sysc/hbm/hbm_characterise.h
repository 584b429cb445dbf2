#pragma once
// Access patterns on the HBM model and what they achieve: the characterisation the analytical
// model calls (plain C++, no SystemC; the SystemC shell runs the same patterns in hbm_run.h).
#include <cstdint>
#include <optional>
#include <random>
#include <string_view>
#include <vector>

#include "dse/spec/hbm_spec.h"
#include "sysc/hbm/hbm_config.h"
#include "sysc/hbm/hbm_device.h"
#include "sysc/hbm/hbm_memory.h"

namespace chipdse::sysc::hbm {

// seq: reads of consecutive addresses; random: reads at uniformly random aligned addresses;
// copy: read i from the lower half, write i to the upper half, alternating.
enum class HbmPattern { kSequential, kRandom, kCopy };
const char* pattern_name(HbmPattern p);                         // "seq", "random", "copy"
std::optional<HbmPattern> parse_pattern(std::string_view text);  // the same names

struct HbmTraffic {
    HbmPattern pattern = HbmPattern::kSequential;
    std::int64_t request_bytes = 64;  // a multiple of the burst size; requests are aligned to it
    std::int64_t requests = 20000;    // in all (copy: half reads, half writes)
    std::uint64_t seed = 1;           // of the random pattern
};

struct HbmRequest {
    std::uint64_t addr = 0;
    std::int64_t bytes = 0;
    bool write = false;
};

// The requests of a pattern, in order; the same sequence for the core and the SystemC shell.
class HbmTrafficGenerator {
public:
    HbmTrafficGenerator(const HbmConfig& c, const HbmTraffic& t);
    bool next(HbmRequest& out);

private:
    HbmTraffic m_t;
    std::uint64_t m_slots;  // request-sized slots in the memory
    std::int64_t m_i = 0;
    std::mt19937_64 m_rng;
};

struct HbmStats {
    std::int64_t requests = 0, reads = 0, writes = 0, bytes = 0;
    std::int64_t cycles = 0;  // from the first arrival (cycle 0) to the end of the last data transfer
    double tck_s = 0, time_s = 0;
    double bandwidth_bytes_per_s = 0, peak_bandwidth_bytes_per_s = 0, efficiency = 0;  // efficiency = achieved / peak
    double avg_read_latency_cycles = 0, avg_write_latency_cycles = 0;
    std::int64_t p99_read_latency_cycles = 0, max_read_latency_cycles = 0;
    double avg_read_latency_s = 0, p99_read_latency_s = 0, avg_write_latency_s = 0;
    HbmCounters commands;
    double row_hit_rate = 0;  // 1 - ACT / (RD + WR)
};

// Throws std::invalid_argument (naming the traffic field) when `t` cannot run on `c`.
void validate_traffic(const HbmConfig& c, const HbmTraffic& t);

// Runs `t` on the plain C++ core, event-driven: a closed-loop requester issues requests in order
// as fast as the controllers' queues take them.
HbmStats run_hbm_pattern(const HbmConfig& c, const HbmTraffic& t);

// Statistics of completed requests (latency = done - arrival, in cycles) and command counts.
HbmStats summarise(const HbmConfig& c, const std::vector<HbmDone>& done, const HbmCounters& commands);

// For the analytical model: achieved / peak bandwidth of `t` on one channel of `hbm` (channels
// are independent, and the address mapping spreads a pattern evenly over them). Throws
// std::invalid_argument when `hbm` has no timing block or `t` does not fit it.
double hbm_bandwidth_efficiency(const spec::HbmSpec& hbm, const HbmTraffic& t);

}  // namespace chipdse::sysc::hbm
