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

// Who issues the requests. one: a single closed-loop, in-order requester for the whole memory
// (the address mapping spreads its requests over the channels, and a request refused by one
// channel holds back all). per_channel: every channel its own closed-loop, in-order requester
// over that channel's addresses only, as when many independent on-chip streams feed each
// memory controller; the channels are then independent simulations (hbm_parallel.h).
enum class HbmRequesters { kOne, kPerChannel };
const char* requesters_name(HbmRequesters r);                         // "one", "per-channel"
std::optional<HbmRequesters> parse_requesters(std::string_view text);  // the same names

struct HbmTraffic {
    HbmPattern pattern = HbmPattern::kSequential;
    std::int64_t request_bytes = 64;  // a multiple of the burst size; requests are aligned to it
    std::int64_t requests = 20000;    // in all (copy: half reads, half writes)
    std::uint64_t seed = 1;           // of the random pattern
    HbmRequesters requesters = HbmRequesters::kOne;
    // per_channel: channels simulated at once (0 = the hardware's concurrency). The statistics
    // do not depend on it: they are merged in channel order.
    int threads = 1;
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
// as fast as the controllers' queues take them. per_channel: each channel runs alone on its
// slice (channel_config) with its share of the traffic (channel_traffic), on up to `t.threads`
// threads; the records are merged in channel order (bandwidth = all bytes / the latest end,
// latencies and the exact p99 over every record, command counts summed), so the result is the
// same for any thread count.
HbmStats run_hbm_pattern(const HbmConfig& c, const HbmTraffic& t);

// Every completed request of a run and the commands it took: what summarise() reduces.
struct HbmRecords {
    std::vector<HbmDone> done;  // in completion order; ids count from 0 per requester
    HbmCounters commands;
};
// run_hbm_pattern before summarising.
HbmRecords run_hbm_records(const HbmConfig& c, const HbmTraffic& t);

// per_channel: one channel of `c` on its own (same organisation and timing, one channel's
// capacity). A channel's controller does not depend on the others, so this is exactly the channel.
HbmConfig channel_config(const HbmConfig& c);
// per_channel: the seed of channel `ch`'s requester; channel 0 keeps `seed`, so one channel
// per_channel is the one-requester run.
std::uint64_t channel_seed(std::uint64_t seed, int ch);
// per_channel: channel `ch`'s share of `t` on channel_config(c), with one requester: requests /
// channels each, and the first requests % channels channels one more (a channel with no
// requests is not run); seed channel_seed(t.seed, ch).
HbmTraffic channel_traffic(const HbmConfig& c, const HbmTraffic& t, int ch);

// Statistics of completed requests (latency = done - arrival, in cycles) and command counts.
HbmStats summarise(const HbmConfig& c, const std::vector<HbmDone>& done, const HbmCounters& commands);

// For the analytical model: achieved / peak bandwidth of `t` on one channel of `hbm` (channels
// are independent, and the address mapping spreads a pattern evenly over them). Throws
// std::invalid_argument when `hbm` has no timing block or `t` does not fit it.
double hbm_bandwidth_efficiency(const spec::HbmSpec& hbm, const HbmTraffic& t);

}  // namespace chipdse::sysc::hbm
