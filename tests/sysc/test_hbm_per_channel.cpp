// Per-channel requesters on the plain C++ HBM core: the same statistics for any thread count,
// one channel equal to the one-requester run, a stack equal to its channels run one by one, and
// a channel's slice being exactly that channel's addresses of the whole memory.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <random>
#include <string>
#include <vector>

#include "sysc/hbm/hbm_characterise.h"
#include "sysc/hbm/hbm_parallel.h"
#include "sysc/hbm/hbm_run.h"

namespace {

using namespace chipdse::sysc::hbm;

HbmConfig hbm3(const std::vector<std::string>& set = {}) {
    return load_hbm_config(std::string(CHIPDSE_SOURCE_DIR) + "/arch_configs/memory/hbm3-6400.yaml", set);
}

const std::vector<std::string> kStack16 = {"hbm.timing.channels=16", "hbm.capacity_per_stack=16GiB"};

HbmTraffic traffic(HbmPattern p, std::int64_t n, HbmRequesters r, int threads = 1) {
    HbmTraffic t;
    t.pattern = p;
    t.requests = n;
    t.requesters = r;
    t.threads = threads;
    return t;
}

// Every field, compared exactly (doubles bit for bit).
void check_same(const HbmStats& a, const HbmStats& b) {
    CHECK(a.requests == b.requests);
    CHECK(a.reads == b.reads);
    CHECK(a.writes == b.writes);
    CHECK(a.bytes == b.bytes);
    CHECK(a.cycles == b.cycles);
    CHECK(a.tck_s == b.tck_s);
    CHECK(a.time_s == b.time_s);
    CHECK(a.bandwidth_bytes_per_s == b.bandwidth_bytes_per_s);
    CHECK(a.peak_bandwidth_bytes_per_s == b.peak_bandwidth_bytes_per_s);
    CHECK(a.efficiency == b.efficiency);
    CHECK(a.avg_read_latency_cycles == b.avg_read_latency_cycles);
    CHECK(a.avg_write_latency_cycles == b.avg_write_latency_cycles);
    CHECK(a.p99_read_latency_cycles == b.p99_read_latency_cycles);
    CHECK(a.max_read_latency_cycles == b.max_read_latency_cycles);
    CHECK(a.avg_read_latency_s == b.avg_read_latency_s);
    CHECK(a.p99_read_latency_s == b.p99_read_latency_s);
    CHECK(a.avg_write_latency_s == b.avg_write_latency_s);
    CHECK(a.commands.act == b.commands.act);
    CHECK(a.commands.pre == b.commands.pre);
    CHECK(a.commands.rd == b.commands.rd);
    CHECK(a.commands.wr == b.commands.wr);
    CHECK(a.commands.ref == b.commands.ref);
    CHECK(a.row_hit_rate == b.row_hit_rate);
}

}  // namespace

TEST_CASE("per-channel requesters: the same statistics for any thread count", "[hbm][per_channel]") {
    const HbmConfig c = hbm3(kStack16);
    for (HbmPattern p : {HbmPattern::kRandom, HbmPattern::kCopy, HbmPattern::kSequential}) {
        INFO(pattern_name(p));
        const HbmStats one = run_hbm_pattern(c, traffic(p, 16 * 1500 + 7, HbmRequesters::kPerChannel, 1));
        CHECK(one.requests == 16 * 1500 + 7);
        for (int threads : {2, 3, 16, 0}) {
            INFO("threads " << threads);
            check_same(run_hbm_pattern(c, traffic(p, 16 * 1500 + 7, HbmRequesters::kPerChannel, threads)), one);
        }
    }
}

TEST_CASE("per-channel requesters on one channel are the one-requester run", "[hbm][per_channel]") {
    for (HbmPattern p : {HbmPattern::kRandom, HbmPattern::kCopy, HbmPattern::kSequential}) {
        INFO(pattern_name(p));
        const HbmConfig c = hbm3();
        REQUIRE(c.channels == 1);
        HbmTraffic t = traffic(p, 20000, HbmRequesters::kOne);
        t.seed = 42;
        const HbmStats one = run_hbm_pattern(c, t);
        t.requesters = HbmRequesters::kPerChannel;
        t.threads = 4;
        check_same(run_hbm_pattern(c, t), one);
    }
}

TEST_CASE("per-channel requesters on 16 channels are 16 one-channel runs", "[hbm][per_channel]") {
    const HbmConfig c = hbm3(kStack16);
    HbmConfig one = c;  // by hand: one channel of the stack, one channel's capacity
    one.channels = 1;
    REQUIRE(one.capacity_bytes() * 16 == c.capacity_bytes());
    const std::int64_t n = 16 * 1000 + 5;  // the first 5 channels take 1001 requests, the rest 1000
    HbmTraffic t = traffic(HbmPattern::kRandom, n, HbmRequesters::kPerChannel, 3);
    t.seed = 9;
    const HbmStats merged = run_hbm_pattern(c, t);

    std::vector<HbmDone> all;
    HbmCounters commands;
    std::int64_t bytes = 0, cycles = 0;
    for (int ch = 0; ch < 16; ++ch) {
        HbmTraffic share = traffic(HbmPattern::kRandom, ch < 5 ? 1001 : 1000, HbmRequesters::kOne);
        share.seed = 9 + static_cast<std::uint64_t>(ch) * 0x9E3779B97F4A7C15ull;
        CHECK(channel_seed(9, ch) == share.seed);
        const HbmRecords r = run_hbm_records(one, share);
        all.insert(all.end(), r.done.begin(), r.done.end());
        commands += r.commands;
        const HbmStats s = run_hbm_pattern(one, share);
        bytes += s.bytes;
        cycles = std::max(cycles, s.cycles);
    }
    check_same(merged, summarise(c, all, commands));
    CHECK(merged.bytes == bytes);
    CHECK(merged.cycles == cycles);
    CHECK(merged.bandwidth_bytes_per_s == static_cast<double>(bytes) / (static_cast<double>(cycles) * c.tck_s));
    CHECK(merged.commands.rd == 2 * n);  // 64 B = two bursts
    // no request waits for another channel's: above what one in-order requester gets from the stack
    const HbmStats single = run_hbm_pattern(c, traffic(HbmPattern::kRandom, n, HbmRequesters::kOne));
    CHECK(merged.bandwidth_bytes_per_s > single.bandwidth_bytes_per_s);
}

TEST_CASE("fewer requests than channels: the first channels take one each", "[hbm][per_channel]") {
    const HbmConfig c = hbm3(kStack16);
    const HbmStats s = run_hbm_pattern(c, traffic(HbmPattern::kRandom, 5, HbmRequesters::kPerChannel, 0));
    CHECK(s.requests == 5);
    CHECK(s.commands.rd == 10);
    CHECK(channel_traffic(c, traffic(HbmPattern::kRandom, 5, HbmRequesters::kPerChannel), 5).requests == 0);
}

TEST_CASE("a channel's slice is that channel's addresses of the whole memory", "[hbm][per_channel][mapping]") {
    // channel_config's address of a burst, lifted by the whole map's encode, decodes to the same
    // pseudo-channel, bank, row and column of channel ch: the slice needs no rejection sampling
    const HbmConfig c = hbm3(kStack16);
    const HbmAddressMap whole(c), slice(channel_config(c));
    std::mt19937_64 rng(7);
    const auto capacity = static_cast<std::uint64_t>(channel_config(c).capacity_bytes());
    for (int i = 0; i < 2000; ++i) {
        const std::uint64_t local = rng() % capacity / 32 * 32;
        const int ch = static_cast<int>(rng() % 16);
        HbmLocation l = slice.decode(local);
        CHECK(l.channel == 0);
        l.channel = ch;
        const std::uint64_t global = whole.encode(l);
        const HbmLocation g = whole.decode(global);
        CHECK(g.channel == ch);
        CHECK(g.pc == l.pc);
        CHECK(g.bank == l.bank);
        CHECK(g.row == l.row);
        CHECK(g.column == l.column);
        l.channel = 0;
        CHECK(slice.encode(l) == local);
    }
}

TEST_CASE("per-channel requesters: bad thread counts and the SystemC shell are refused", "[hbm][per_channel]") {
    const HbmConfig c = hbm3(kStack16);
    CHECK_THROWS_WITH(run_hbm_pattern(c, traffic(HbmPattern::kRandom, 100, HbmRequesters::kPerChannel, -1)),
                      Catch::Contains("threads: must be 0"));
    CHECK_THROWS_WITH(run_hbm_systemc(c, traffic(HbmPattern::kRandom, 100, HbmRequesters::kPerChannel)),
                      Catch::Contains("per-channel requesters run on the core"));
    CHECK(parse_requesters("per-channel") == HbmRequesters::kPerChannel);
    CHECK(parse_requesters("one") == HbmRequesters::kOne);
    CHECK_FALSE(parse_requesters("per_channel"));
}

TEST_CASE("parallel_for runs every job once and rethrows a job's exception", "[hbm][per_channel]") {
    for (int threads : {1, 2, 5, 0}) {
        std::vector<int> hits(37, 0);
        parallel_for(hits.size(), threads, [&](std::size_t i) { hits[i] += 1; });
        CHECK(hits == std::vector<int>(37, 1));
        CHECK_THROWS_WITH(parallel_for(8, threads,
                                       [](std::size_t i) {
                                           if (i == 3) throw std::runtime_error("job 3");
                                       }),
                          "job 3");
    }
    CHECK(resolve_threads(0, 4) >= 1);
    CHECK(resolve_threads(8, 3) == 3);
    CHECK(resolve_threads(2, 0) == 1);
}
