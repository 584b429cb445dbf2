#include "sysc/hbm/hbm_characterise.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "sysc/hbm/hbm_parallel.h"

namespace chipdse::sysc::hbm {

const char* pattern_name(HbmPattern p) {
    switch (p) {
        case HbmPattern::kSequential: return "seq";
        case HbmPattern::kRandom: return "random";
        case HbmPattern::kCopy: return "copy";
    }
    return "?";
}

std::optional<HbmPattern> parse_pattern(std::string_view text) {
    for (HbmPattern p : {HbmPattern::kSequential, HbmPattern::kRandom, HbmPattern::kCopy})
        if (text == pattern_name(p)) return p;
    return std::nullopt;
}

const char* requesters_name(HbmRequesters r) {
    switch (r) {
        case HbmRequesters::kOne: return "one";
        case HbmRequesters::kPerChannel: return "per-channel";
    }
    return "?";
}

std::optional<HbmRequesters> parse_requesters(std::string_view text) {
    for (HbmRequesters r : {HbmRequesters::kOne, HbmRequesters::kPerChannel})
        if (text == requesters_name(r)) return r;
    return std::nullopt;
}

HbmTrafficGenerator::HbmTrafficGenerator(const HbmConfig& c, const HbmTraffic& t)
    : m_t(t),
      m_slots(static_cast<std::uint64_t>(c.capacity_bytes() / std::max<std::int64_t>(1, t.request_bytes))),
      m_rng(t.seed) {
    if (m_slots < 2) m_slots = 2;
}

bool HbmTrafficGenerator::next(HbmRequest& out) {
    if (m_i >= m_t.requests) return false;
    const auto r = static_cast<std::uint64_t>(m_t.request_bytes);
    const auto i = static_cast<std::uint64_t>(m_i++);
    out.bytes = m_t.request_bytes;
    out.write = false;
    switch (m_t.pattern) {
        case HbmPattern::kSequential: out.addr = (i % m_slots) * r; break;
        case HbmPattern::kRandom: out.addr = (m_rng() % m_slots) * r; break;
        case HbmPattern::kCopy: {
            const std::uint64_t half = m_slots / 2;
            out.write = (i % 2) == 1;
            out.addr = ((out.write ? half : 0) + (i / 2) % half) * r;
            break;
        }
    }
    return true;
}

void validate_traffic(const HbmConfig& c_all, const HbmTraffic& t) {
    if (t.threads < 0)
        throw std::invalid_argument("threads: must be 0 (the hardware's concurrency) or more; got " +
                                    std::to_string(t.threads));
    // per_channel: every request is checked against the one channel it runs on
    const HbmConfig c = t.requesters == HbmRequesters::kPerChannel ? channel_config(c_all) : c_all;
    const std::string bb = std::to_string(c.burst_bytes);
    if (t.requests <= 0)
        throw std::invalid_argument("requests: must be positive; got " + std::to_string(t.requests));
    if (t.request_bytes <= 0 || t.request_bytes % c.burst_bytes != 0)
        throw std::invalid_argument("request_bytes: must be a positive multiple of the burst size, " + bb +
                                    " B; got " + std::to_string(t.request_bytes));
    const std::int64_t bursts = t.request_bytes / c.burst_bytes;
    const std::int64_t queue = std::min(c.read_queue, c.write_queue);
    if (t.request_bytes > c.capacity_bytes() / 2)
        throw std::invalid_argument("request_bytes: must be at most half the capacity (" +
                                    std::to_string(c.capacity_bytes() / 2) + " B); got " +
                                    std::to_string(t.request_bytes));
    // a request is taken whole: its bursts must fit into one queue even if all map there
    if (bursts > queue)
        throw std::invalid_argument("request_bytes: " + std::to_string(t.request_bytes) + " B is " +
                                    std::to_string(bursts) + " bursts, more than a queue holds (" +
                                    std::to_string(queue) + " entries of " + bb + " B)");
}

namespace {

// The closed-loop, in-order requester of `t` on a memory of its own: the reference loop.
HbmRecords run_one_requester(const HbmConfig& c, const HbmTraffic& t) {
    HbmMemory mem(c);
    HbmTrafficGenerator gen(c, t);
    HbmRecords r;
    std::vector<HbmDone>& done = r.done;
    done.reserve(static_cast<size_t>(t.requests));
    HbmRequest req;
    bool have = gen.next(req);
    std::uint64_t id = 0;
    std::int64_t now = 0;
    while (done.size() < static_cast<size_t>(t.requests)) {
        // the requester first, then the controllers: a request arriving at `now` can be served at `now`
        while (have && mem.try_enqueue(id, req.addr, req.bytes, req.write, now)) {
            ++id;
            have = gen.next(req);
        }
        const std::int64_t next = mem.next_cycle();
        if (next == kNever) throw std::logic_error("hbm: the memory stalled with requests outstanding");
        now = std::max(now, next);
        mem.step(now, done);
        ++now;
    }
    r.commands = mem.counters();
    return r;
}

// Each channel alone on its slice, on a pool of threads; merged in channel order.
HbmRecords run_per_channel(const HbmConfig& c, const HbmTraffic& t) {
    const HbmConfig one = channel_config(c);
    std::vector<HbmRecords> per(static_cast<size_t>(c.channels));
    parallel_for(per.size(), t.threads, [&](std::size_t ch) {
        const HbmTraffic share = channel_traffic(c, t, static_cast<int>(ch));
        if (share.requests > 0) per[ch] = run_one_requester(one, share);
    });
    HbmRecords all;
    all.done.reserve(static_cast<size_t>(t.requests));
    for (HbmRecords& r : per) {
        all.done.insert(all.done.end(), r.done.begin(), r.done.end());
        all.commands += r.commands;
        r = HbmRecords{};
    }
    return all;
}

}  // namespace

HbmConfig channel_config(const HbmConfig& c) {
    HbmConfig one = c;
    one.channels = 1;
    return one;
}

std::uint64_t channel_seed(std::uint64_t seed, int ch) {
    // the golden-ratio increment of splitmix64: distinct channels, distinct well-spread seeds
    return seed + static_cast<std::uint64_t>(ch) * 0x9E3779B97F4A7C15ull;
}

HbmTraffic channel_traffic(const HbmConfig& c, const HbmTraffic& t, int ch) {
    HbmTraffic share = t;
    share.requesters = HbmRequesters::kOne;
    share.threads = 1;
    share.requests = t.requests / c.channels + (ch < t.requests % c.channels ? 1 : 0);
    share.seed = channel_seed(t.seed, ch);
    return share;
}

HbmRecords run_hbm_records(const HbmConfig& c, const HbmTraffic& t) {
    validate_traffic(c, t);
    return t.requesters == HbmRequesters::kPerChannel ? run_per_channel(c, t) : run_one_requester(c, t);
}

HbmStats run_hbm_pattern(const HbmConfig& c, const HbmTraffic& t) {
    const HbmRecords r = run_hbm_records(c, t);
    return summarise(c, r.done, r.commands);
}

HbmStats summarise(const HbmConfig& c, const std::vector<HbmDone>& done, const HbmCounters& commands) {
    HbmStats s;
    s.tck_s = c.tck_s;
    s.peak_bandwidth_bytes_per_s = c.peak_bytes_per_s();
    s.commands = commands;
    std::vector<std::int64_t> read_lat;
    read_lat.reserve(done.size());
    double write_sum = 0;
    for (const HbmDone& d : done) {
        ++s.requests;
        s.bytes += d.bytes;
        s.cycles = std::max(s.cycles, d.done);
        if (d.write) {
            ++s.writes;
            write_sum += static_cast<double>(d.done - d.arrival);
        } else {
            ++s.reads;
            read_lat.push_back(d.done - d.arrival);
        }
    }
    s.time_s = static_cast<double>(s.cycles) * c.tck_s;
    if (s.time_s > 0) s.bandwidth_bytes_per_s = static_cast<double>(s.bytes) / s.time_s;
    if (s.peak_bandwidth_bytes_per_s > 0) s.efficiency = s.bandwidth_bytes_per_s / s.peak_bandwidth_bytes_per_s;
    if (!read_lat.empty()) {
        s.avg_read_latency_cycles =
            static_cast<double>(std::accumulate(read_lat.begin(), read_lat.end(), std::int64_t{0})) /
            static_cast<double>(read_lat.size());
        const auto k = static_cast<size_t>(std::ceil(0.99 * static_cast<double>(read_lat.size()))) - 1;
        std::nth_element(read_lat.begin(), read_lat.begin() + static_cast<std::ptrdiff_t>(k), read_lat.end());
        s.p99_read_latency_cycles = read_lat[k];
        s.max_read_latency_cycles = *std::max_element(read_lat.begin(), read_lat.end());
    }
    if (s.writes > 0) s.avg_write_latency_cycles = write_sum / static_cast<double>(s.writes);
    s.avg_read_latency_s = s.avg_read_latency_cycles * c.tck_s;
    s.p99_read_latency_s = static_cast<double>(s.p99_read_latency_cycles) * c.tck_s;
    s.avg_write_latency_s = s.avg_write_latency_cycles * c.tck_s;
    const std::int64_t columns = commands.rd + commands.wr;
    if (columns > 0) s.row_hit_rate = std::max(0.0, 1.0 - static_cast<double>(commands.act) / static_cast<double>(columns));
    return s;
}

double hbm_bandwidth_efficiency(const spec::HbmSpec& hbm, const HbmTraffic& t) {
    HbmConfig c = make_hbm_config(hbm);
    c.channels = 1;  // one channel stands for all: same organisation, its share of the capacity
    return run_hbm_pattern(c, t).efficiency;
}

}  // namespace chipdse::sysc::hbm
