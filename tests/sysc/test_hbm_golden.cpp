// Golden outputs of the HBM scheduler: the full command trace (hashed), every completion and the
// statistics of runs on several memories, patterns, channel counts and queue depths, with and
// without refresh. The pinned values are the outputs of the reference FR-FCFS implementation
// (queue scans every step) as it stood before the scheduler's bookkeeping was made incremental;
// any change to them is a change of the model's behaviour, not of its speed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "sysc/hbm/hbm_characterise.h"
#include "sysc/hbm/hbm_memory.h"
#include "sysc/hbm/hbm_run.h"

namespace {

using namespace chipdse::sysc::hbm;

std::string memory(const char* name) {
    return std::string(CHIPDSE_SOURCE_DIR) + "/arch_configs/memory/" + name + ".yaml";
}
std::string chip(const char* name) {
    return std::string(CHIPDSE_SOURCE_DIR) + "/arch_configs/chips/" + name + ".yaml";
}

struct Hash {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a, 64 bit
    void add(std::int64_t v) {
        auto u = static_cast<std::uint64_t>(v);
        for (int i = 0; i < 8; ++i, u >>= 8) {
            h ^= u & 0xff;
            h *= 1099511628211ull;
        }
    }
};

struct Golden {
    std::uint64_t trace = 0, done = 0;  // hashes of the command trace and of the completions, in order
    std::int64_t commands = 0, cycles = 0;
};

Golden hash(const std::vector<HbmTraceEntry>& trace, const std::vector<HbmDone>& done) {
    Hash t, d;
    for (const HbmTraceEntry& e : trace) {
        t.add(e.cycle);
        t.add(static_cast<std::int64_t>(e.cmd));
        t.add(e.loc.channel);
        t.add(e.loc.pc);
        t.add(e.loc.bank);
        t.add(e.loc.row);
        t.add(e.loc.column);
    }
    std::int64_t cycles = 0;
    for (const HbmDone& x : done) {
        d.add(static_cast<std::int64_t>(x.id));
        d.add(x.arrival);
        d.add(x.done);
        d.add(x.bytes);
        d.add(x.write);
        cycles = std::max(cycles, x.done);
    }
    return {t.h, d.h, static_cast<std::int64_t>(trace.size()), cycles};
}

// The closed-loop requester of run_hbm_pattern, with the trace on.
Golden closed_loop(const HbmConfig& c, const HbmTraffic& t) {
    HbmMemory mem(c);
    std::vector<HbmTraceEntry> trace;
    mem.set_trace(&trace);
    HbmTrafficGenerator gen(c, t);
    std::vector<HbmDone> done;
    HbmRequest req;
    bool have = gen.next(req);
    std::uint64_t id = 0;
    std::int64_t now = 0;
    while (done.size() < static_cast<size_t>(t.requests)) {
        while (have && mem.try_enqueue(id, req.addr, req.bytes, req.write, now)) {
            ++id;
            have = gen.next(req);
        }
        const std::int64_t next = mem.next_cycle();
        if (next == kNever) FAIL("the memory stalled");
        now = std::max(now, next);
        mem.step(now, done);
        ++now;
    }
    return hash(trace, done);
}

// An open-loop requester: random reads and writes of 1 to 8 bursts at random addresses, arriving
// at random gaps, each queued up to `ahead` cycles before its arrival (so queues hold bursts that
// have not arrived yet) or, when the queues are full, as soon as they take it.
Golden open_loop(const HbmConfig& c, std::int64_t n, std::int64_t mean_gap, std::int64_t ahead, std::uint64_t seed) {
    HbmMemory mem(c);
    std::vector<HbmTraceEntry> trace;
    mem.set_trace(&trace);
    std::mt19937_64 rng(seed);
    const auto bursts = static_cast<std::uint64_t>(c.capacity_bytes() / c.burst_bytes);
    struct Req {
        std::uint64_t addr;
        std::int64_t bytes, at;
        bool write;
    };
    std::vector<Req> reqs;
    std::int64_t at = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        at += static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(2 * mean_gap + 1));
        const auto len = static_cast<std::int64_t>(1 + rng() % 8);
        const bool write = rng() % 3 == 0;
        const std::uint64_t addr = (rng() % (bursts - 8)) * static_cast<std::uint64_t>(c.burst_bytes);
        reqs.push_back({addr, len * c.burst_bytes, at, write});
    }
    std::vector<HbmDone> done;
    size_t next = 0;
    std::int64_t now = 0;  // the next cycle to step; every cycle before it is stepped
    while (done.size() < reqs.size()) {
        while (next < reqs.size() && reqs[next].at <= now + ahead &&
               mem.try_enqueue(next, reqs[next].addr, reqs[next].bytes, reqs[next].write, std::max(now, reqs[next].at)))
            ++next;
        std::int64_t step = mem.next_cycle();
        if (next < reqs.size()) step = std::min(step, std::max(now, reqs[next].at - ahead));
        if (step == kNever) FAIL("the memory stalled");
        step = std::max(step, now);
        if (mem.next_cycle() <= step) mem.step(step, done);
        now = step + 1;
    }
    return hash(trace, done);
}

void pin(const Golden& g, std::uint64_t trace, std::uint64_t done, std::int64_t commands, std::int64_t cycles) {
    CHECK(g.trace == trace);
    CHECK(g.done == done);
    CHECK(g.commands == commands);
    CHECK(g.cycles == cycles);
}

void pin(const HbmStats& s, std::int64_t cycles, double avg_read, std::int64_t p99_read, double avg_write,
         HbmCounters cmds) {
    CHECK(s.cycles == cycles);
    CHECK(s.avg_read_latency_cycles == Approx(avg_read).epsilon(1e-12));
    CHECK(s.p99_read_latency_cycles == p99_read);
    CHECK(s.avg_write_latency_cycles == Approx(avg_write).epsilon(1e-12));
    CHECK(s.commands.act == cmds.act);
    CHECK(s.commands.pre == cmds.pre);
    CHECK(s.commands.rd == cmds.rd);
    CHECK(s.commands.wr == cmds.wr);
    CHECK(s.commands.ref == cmds.ref);
}

HbmTraffic traffic(HbmPattern p, std::int64_t n, std::int64_t bytes = 64) {
    HbmTraffic t;
    t.pattern = p;
    t.requests = n;
    t.request_bytes = bytes;
    return t;
}

const std::vector<std::string> kStack16 = {"hbm.timing.channels=16", "hbm.capacity_per_stack=16GiB"};

}  // namespace

TEST_CASE("golden: HBM3-6400, one channel", "[hbm][golden]") {
    const HbmConfig c = load_hbm_config(memory("hbm3-6400"));
    pin(closed_loop(c, traffic(HbmPattern::kRandom, 20000)),
        0xc7b28ff3f4baad29ull, 0xd15278c3c2ef1c2dull, 80212, 72988);
    pin(closed_loop(c, traffic(HbmPattern::kSequential, 20000)),
        0x8a5a6ce299811c4aull, 0x3a665649a295f224ull, 42556, 43281);
    pin(closed_loop(c, traffic(HbmPattern::kCopy, 20000)),
        0xc71f4cc0cb3ec7fbull, 0x3d1e4b9998518f37ull, 59670, 114913);
    pin(closed_loop(c, traffic(HbmPattern::kCopy, 6000, 256)),
        0xaa933a01e4e85d52ull, 0x5ca783b17c1a9345ull, 71885, 138600);
    pin(open_loop(c, 20000, 4, 0, 7), 0x21f2e89e56e8e7eaull, 0x74b384df569b140cull, 208176, 230888);
    pin(open_loop(c, 20000, 3, 20, 8), 0x3799b82f9dd26ab3ull, 0x8dfc8b57065d9719ull, 207395, 232265);
    const HbmConfig none = load_hbm_config(memory("hbm3-6400"), {"hbm.timing.refresh=none"});
    pin(closed_loop(none, traffic(HbmPattern::kRandom, 20000)),
        0xd09e334f1f3c177eull, 0x3bcdc72bae85e119ull, 79936, 67533);
    pin(open_loop(none, 20000, 2, 5, 9), 0x1e9cc4a3dbbf461cull, 0x4352ac961bc9abddull, 206408, 212819);
}

TEST_CASE("golden: HBM3-6400, a 16-channel stack", "[hbm][golden]") {
    const HbmConfig c = load_hbm_config(memory("hbm3-6400"), kStack16);
    pin(closed_loop(c, traffic(HbmPattern::kRandom, 60000)),
        0x06d27b97fe93293full, 0x1874411fd8cbf69cull, 239506, 17849);
    pin(closed_loop(c, traffic(HbmPattern::kSequential, 40000)),
        0x308e330de246de03ull, 0xdbd1803f2e6b8893ull, 84096, 5056);
    pin(closed_loop(c, traffic(HbmPattern::kCopy, 40000)),
        0x9cda876ebf62f5b3ull, 0x38e5e229f7753743ull, 117888, 14048);
    pin(open_loop(c, 40000, 1, 30, 10), 0xd1e4a801e6653bcfull, 0xc8b79d5e03ba0542ull, 407886, 40716);
    pin(open_loop(c, 40000, 0, 0, 11), 0x2e9070f8137136eaull, 0x06eba99faabcf81full, 409506, 38903);
}

TEST_CASE("golden: HBM2-2000, one channel and a stack", "[hbm][golden]") {
    const HbmConfig c = load_hbm_config(memory("hbm2-2000"));
    pin(closed_loop(c, traffic(HbmPattern::kRandom, 20000)),
        0x08e184ac2ea125a2ull, 0x7e34ae3156a71ab6ull, 80184, 84372);
    pin(closed_loop(c, traffic(HbmPattern::kCopy, 20000, 128)),
        0xf2aa6774bed92881ull, 0xffe0b689362bf70aull, 119212, 155114);
    pin(open_loop(c, 20000, 6, 10, 12), 0xf8219643daf4444aull, 0x86e971e6dae1f8e1ull, 206348, 245370);
    const HbmConfig stack =
        load_hbm_config(memory("hbm2-2000"), {"hbm.timing.channels=8", "hbm.capacity_per_stack=4GiB"});
    pin(closed_loop(stack, traffic(HbmPattern::kRandom, 30000)),
        0x5e1fe60fa5b10799ull, 0xb0fe90338e75b8d9ull, 120012, 17827);
}

TEST_CASE("golden: H100 SXM's HBM3 timing (128-entry queues)", "[hbm][golden]") {
    HbmConfig one = load_hbm_config(chip("h100-sxm"));
    const HbmConfig all = one;
    one.channels = 1;  // as hbm_bandwidth_efficiency characterises it
    pin(closed_loop(one, traffic(HbmPattern::kCopy, 20000)),
        0xe552845e4ae55f2full, 0x6712e5e72c4a05c0ull, 48456, 112045);
    pin(closed_loop(one, traffic(HbmPattern::kRandom, 20000)),
        0x8aaa7c7f185a1536ull, 0xb9549ff07da6ce62ull, 80195, 227655);
    pin(closed_loop(one, traffic(HbmPattern::kSequential, 20000)),
        0x8c1f706b8456776aull, 0x6a8269a423d4ef86ull, 42728, 90383);
    pin(open_loop(one, 20000, 3, 40, 13), 0x1ed6c4992eb377c4ull, 0x635d0254b6d85e21ull, 203692, 640129);
    pin(closed_loop(all, traffic(HbmPattern::kRandom, 60000)),
        0xc0a3eeafa3800d99ull, 0x6b449ba5e0c71a82ull, 237434, 8393);
    pin(closed_loop(all, traffic(HbmPattern::kCopy, 40000)),
        0xd0d11cf3ef5855c3ull, 0x211fae5f73e632e3ull, 88960, 2397);
}

TEST_CASE("golden: the statistics the characteriser reports", "[hbm][golden]") {
    pin(run_hbm_pattern(load_hbm_config(memory("hbm3-6400")), traffic(HbmPattern::kRandom, 20000)),
        72988, 124.48895, 629, 0, {20127, 20063, 40000, 0, 22});
    pin(run_hbm_pattern(load_hbm_config(memory("hbm3-6400"), kStack16), traffic(HbmPattern::kRandom, 60000)),
        17849, 107.8057, 304, 0, {60233, 59209, 120000, 0, 64});
    HbmConfig h100 = load_hbm_config(chip("h100-sxm"));
    h100.channels = 1;
    pin(run_hbm_pattern(h100, traffic(HbmPattern::kCopy, 20000)),
        112045, 1480.7103999999999, 2882, 742.88999999999999, {4234, 4202, 20000, 20000, 20});
}

TEST_CASE("golden: the SystemC shell on a 16-channel stack", "[hbm][golden][systemc]") {
    pin(run_hbm_systemc(load_hbm_config(memory("hbm3-6400"), kStack16), traffic(HbmPattern::kRandom, 20000)),
        5673, 102.93375, 214, 0, {19999, 18975, 40000, 0, 0});
    pin(run_hbm_systemc(load_hbm_config(memory("hbm3-6400"), kStack16), traffic(HbmPattern::kCopy, 20000)),
        6942, 378.45920000000001, 863, 171.15039999999999, {9216, 9088, 20000, 20000, 32});
}
