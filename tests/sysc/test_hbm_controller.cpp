// The HBM controller and memory (plain C++ core): address mapping, closed-form row-hit, row-miss
// and row-conflict latencies, FR-FCFS order, write drain, whole-request acceptance, and every
// command of long random runs checked against an independent table of the JEDEC gaps.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "sysc/hbm/hbm_characterise.h"
#include "sysc/hbm/hbm_memory.h"

namespace {

using namespace chipdse::sysc::hbm;

const std::string kHbm3 = std::string(CHIPDSE_SOURCE_DIR) + "/arch_configs/memory/hbm3-6400.yaml";

HbmConfig hbm3(const std::vector<std::string>& set = {}) { return load_hbm_config(kHbm3, set); }

// Runs requests (id = index) arriving at given cycles, each enqueued at its cycle or as soon as
// there is room; returns the completions by id.
struct Request {
    std::uint64_t addr;
    std::int64_t bytes;
    bool write;
    std::int64_t at;
};
std::vector<HbmDone> run(HbmMemory& mem, const std::vector<Request>& reqs) {
    std::vector<HbmDone> done, by_id(reqs.size());
    size_t next = 0;
    std::int64_t now = 0;
    while (done.size() < reqs.size()) {
        while (next < reqs.size() && reqs[next].at <= now &&
               mem.try_enqueue(next, reqs[next].addr, reqs[next].bytes, reqs[next].write, now))
            ++next;
        if (mem.next_cycle() <= now) mem.step(now, done);
        std::int64_t n = mem.next_cycle();
        if (next < reqs.size()) n = std::min(n, reqs[next].at);
        REQUIRE((n != kNever || done.size() == reqs.size()));
        now = std::max(now + 1, n);
    }
    for (const HbmDone& d : done) by_id[d.id] = d;
    return by_id;
}

std::int64_t latency(const HbmDone& d) { return d.done - d.arrival; }

}  // namespace

TEST_CASE("address mapping ro-ba-sid-co-bg-pc-ch-co:1 decodes and encodes", "[hbm][mapping]") {
    const HbmConfig c = hbm3();
    const HbmAddressMap map(c);
    auto check = [&](std::uint64_t addr, int pc, int sid, int bg, int bank, std::int64_t row, std::int64_t col) {
        INFO("address " << addr);
        const HbmLocation l = map.decode(addr);
        const HbmLocation w = make_location(c, 0, pc, sid, bg, bank, row, col);
        CHECK(l.channel == 0);
        CHECK(l.pc == w.pc);
        CHECK(l.group == w.group);
        CHECK(l.bank == w.bank);
        CHECK(l.row == w.row);
        CHECK(l.column == w.column);
        CHECK(map.encode(l) == addr);
    };
    check(0, 0, 0, 0, 0, 0, 0);
    check(32, 0, 0, 0, 0, 0, 1);       // co:1: a 64 B request stays in one row
    check(64, 1, 0, 0, 0, 0, 0);       // then the pseudo-channel
    check(128, 0, 0, 1, 0, 0, 0);      // then the bank group
    check(512, 0, 0, 0, 0, 0, 2);      // then the rest of the column
    check(8192, 0, 1, 0, 0, 0, 0);     // a whole row of every group and PC, then the SID
    check(16384, 0, 0, 0, 1, 0, 0);    // the bank
    check(65536, 0, 0, 0, 0, 1, 0);    // the row
    std::mt19937_64 rng(3);
    for (int i = 0; i < 1000; ++i) {
        const std::uint64_t a = (rng() % static_cast<std::uint64_t>(c.capacity_bytes())) / 32 * 32;
        CHECK(map.encode(map.decode(a)) == a);
    }
    // past the capacity the address wraps around
    CHECK(map.decode(static_cast<std::uint64_t>(c.capacity_bytes()) + 64).pc == 1);
}

TEST_CASE("other mappings: channels interleave as the string says", "[hbm][mapping]") {
    const HbmConfig c = hbm3({"hbm.timing.channels=4", "hbm.capacity_per_stack=4GiB",
                              "hbm.timing.address_mapping=ro-ch-ba-sid-bg-pc-co"});
    const HbmAddressMap map(c);
    CHECK(map.decode(32).column == 1);
    CHECK(map.decode(32 * 32).pc == 1);
    // 32 columns x 2 PC x 4 BG x 2 SID x 4 banks = 2048 bursts = 64 KiB per channel, then the next channel
    CHECK(map.decode(65536).channel == 1);
    CHECK(map.decode(65536).row == 0);
    CHECK(map.decode(4 * 65536).channel == 0);
    CHECK(map.decode(4 * 65536).row == 1);
    std::mt19937_64 rng(5);
    for (int i = 0; i < 1000; ++i) {
        const std::uint64_t a = (rng() % static_cast<std::uint64_t>(c.capacity_bytes())) / 32 * 32;
        CHECK(map.encode(map.decode(a)) == a);
    }
}

TEST_CASE("encode is the inverse of decode on random locations", "[hbm][mapping]") {
    for (const char* mapping : {"ro-ba-sid-co-bg-pc-ch-co:1", "ro-ch-ba-sid-bg-pc-co"}) {
        const HbmConfig c = hbm3({"hbm.timing.channels=16", "hbm.capacity_per_stack=16GiB",
                                  std::string("hbm.timing.address_mapping=") + mapping});
        const HbmAddressMap map(c);
        std::mt19937_64 rng(11);
        auto pick = [&](std::int64_t n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
        for (int i = 0; i < 2000; ++i) {
            const HbmLocation l = make_location(c, pick(c.channels), pick(c.pseudo_channels), pick(c.stack_ids),
                                                pick(c.bank_groups), pick(c.banks_per_group), pick(c.rows),
                                                pick(c.columns));
            const std::uint64_t a = map.encode(l);
            INFO(mapping << ": address " << a);
            REQUIRE(a < static_cast<std::uint64_t>(c.capacity_bytes()));
            CHECK(a % static_cast<std::uint64_t>(c.burst_bytes) == 0);
            const HbmLocation d = map.decode(a);
            CHECK(d.channel == l.channel);
            CHECK(d.pc == l.pc);
            CHECK(d.group == l.group);
            CHECK(d.bank == l.bank);
            CHECK(d.row == l.row);
            CHECK(d.column == l.column);
        }
    }
}

TEST_CASE("closed-form latencies: row miss, row hit, row conflict", "[hbm][latency]") {
    const HbmConfig c = hbm3({"hbm.timing.refresh=none"});
    const HbmCycles& t = c.t;
    HbmMemory mem(c);
    std::vector<HbmTraceEntry> trace;
    mem.set_trace(&trace);
    // bank (pc 0, sid 0, bg 0, bank 0): row 0 at address 0, row 1 at 64 KiB
    const auto d = run(mem, {{0, 32, false, 0},          // miss: the bank is closed
                             {32, 32, false, 200},       // hit: row 0 is open
                             {65536, 32, false, 400},    // conflict: row 0 open, row 1 wanted
                             {65536 + 512, 64, false, 600},  // 64 B: columns 2 and 3, the second a tCCD_L later
                             {16384, 32, true, 800},     // write miss in bank 1
                             {16384 + 32, 32, true, 1000}});  // write hit
    CHECK(latency(d[0]) == t.rcd_rd + t.cl + t.burst);                 // 53 cycles = 33.1 ns
    CHECK(latency(d[1]) == t.cl + t.burst);                            // 22 cycles = 13.75 ns
    CHECK(latency(d[2]) == t.rp + t.rcd_rd + t.cl + t.burst);          // 79 cycles = 49.4 ns
    CHECK(latency(d[3]) == t.cl + t.burst + t.ccd_l);                  // the second burst waits tCCD_L
    CHECK(latency(d[4]) == t.rcd_wr + t.cwl + t.burst);                // 27 cycles
    CHECK(latency(d[5]) == t.cwl + t.burst);                           // 12 cycles
    CHECK(latency(d[0]) == 53);
    CHECK(latency(d[1]) == 22);
    CHECK(latency(d[2]) == 79);
    // the commands behind them
    std::vector<std::pair<HbmCommand, std::int64_t>> got;
    for (const auto& e : trace) got.emplace_back(e.cmd, e.cycle);
    const std::vector<std::pair<HbmCommand, std::int64_t>> want = {
        {HbmCommand::kAct, 0},   {HbmCommand::kRd, 31},  {HbmCommand::kRd, 200}, {HbmCommand::kPre, 400},
        {HbmCommand::kAct, 426}, {HbmCommand::kRd, 457}, {HbmCommand::kRd, 600}, {HbmCommand::kRd, 604},
        {HbmCommand::kAct, 800}, {HbmCommand::kWr, 815}, {HbmCommand::kWr, 1000}};
    CHECK(got == want);
}

TEST_CASE("FR-FCFS: a younger row hit goes before an older row conflict", "[hbm][scheduler]") {
    const HbmConfig c = hbm3({"hbm.timing.refresh=none"});
    HbmMemory mem(c);
    std::vector<HbmTraceEntry> trace;
    mem.set_trace(&trace);
    // open row 0 of bank 0, then at cycle 100: an older request for row 1 and a younger one for row 0
    const auto d = run(mem, {{0, 32, false, 0}, {65536, 32, false, 100}, {32, 32, false, 100}});
    CHECK(latency(d[2]) == c.t.cl + c.t.burst);  // served at once
    CHECK(d[2].done < d[1].done);
    // the conflict's PRE waited for the hit's RD (tRTP after it)
    auto pre = std::find_if(trace.begin(), trace.end(), [](const auto& e) { return e.cmd == HbmCommand::kPre; });
    REQUIRE(pre != trace.end());
    CHECK(pre->cycle == 100 + c.t.rtp);
}

TEST_CASE("write drain: reads first below the high watermark, writes first above it", "[hbm][scheduler]") {
    const HbmConfig c = hbm3({"hbm.timing.refresh=none"});
    auto first_command = [&](int writes) {
        HbmMemory mem(c);
        std::vector<HbmTraceEntry> trace;
        mem.set_trace(&trace);
        std::vector<Request> reqs;
        // writes and one read to pseudo-channel 0 (its write_high is 26), all arriving at 0
        for (int i = 0; i < writes; ++i) reqs.push_back({static_cast<std::uint64_t>(i) * 128, 32, true, 0});
        reqs.push_back({std::uint64_t{1} << 29, 32, false, 0});
        run(mem, reqs);
        for (const auto& e : trace)
            if (e.cmd == HbmCommand::kRd || e.cmd == HbmCommand::kWr) return e.cmd;
        return HbmCommand::kRef;
    };
    CHECK(c.write_high == 26);
    CHECK(first_command(25) == HbmCommand::kRd);
    CHECK(first_command(26) == HbmCommand::kWr);
    // with no read waiting, writes drain whatever their number
    HbmMemory mem(c);
    const auto d = run(mem, {{0, 32, true, 0}});
    CHECK(latency(d[0]) == c.t.rcd_wr + c.t.cwl + c.t.burst);
}

TEST_CASE("a request is accepted whole or not at all", "[hbm][queues]") {
    const HbmConfig c = hbm3();
    HbmMemory mem(c);
    // queues are per pseudo-channel: 15 reads of 64 B at multiples of 128 B fill 30 of PC 0's 32 entries
    for (int i = 0; i < 15; ++i) REQUIRE(mem.try_enqueue(i, static_cast<std::uint64_t>(i) * 128, 64, false, 0));
    CHECK(mem.controller(0).queued(0, false) == 30);
    CHECK(mem.try_enqueue(98, 1 << 20, 64, false, 0));  // 2 more in PC 0: full
    CHECK(mem.controller(0).free_entries(0, false) == 0);
    CHECK(mem.try_enqueue(97, (1 << 20) + 64, 64, false, 0));  // PC 1 has room
    CHECK_FALSE(mem.try_enqueue(99, 1 << 21, 128, false, 0));   // 2 bursts in each PC: PC 0 is full
    CHECK(mem.controller(0).queued(1, false) == 2);            // nothing of it was taken
    CHECK(mem.try_enqueue(96, 1 << 21, 32, true, 0));  // the write queue is separate
    CHECK(mem.in_flight() == 18);
    // an unaligned request covers every burst it touches
    CHECK(mem.bursts(16, 32) == 2);
    CHECK(mem.fits(0, 64 * 32, false));        // 32 bursts in each pseudo-channel
    CHECK_FALSE(mem.fits(0, 65 * 32, false));  // 33 in pseudo-channel 0
    HbmTraffic too_big;
    too_big.request_bytes = 33 * 32;
    CHECK_THROWS_WITH(validate_traffic(c, too_big), Catch::Contains("more than a queue holds"));
    too_big.request_bytes = 48;
    CHECK_THROWS_WITH(validate_traffic(c, too_big), Catch::Contains("multiple of the burst size, 32 B"));
}

// An independent statement of the JEDEC gaps between two commands on one channel; returns the
// least cycles `b` must follow `a` (0: no rule).
std::int64_t min_gap(const HbmConfig& c, const HbmTraceEntry& a, const HbmTraceEntry& b) {
    const HbmCycles& t = c.t;
    using C = HbmCommand;
    const bool row_a = a.cmd == C::kAct || a.cmd == C::kPre || a.cmd == C::kRef;
    const bool row_b = b.cmd == C::kAct || b.cmd == C::kPre || b.cmd == C::kRef;
    std::int64_t g = (row_a == row_b) ? 1 : 0;  // one command per bus per cycle
    auto need = [&](std::int64_t v) { g = std::max(g, v); };
    const bool same_pc = a.loc.pc == b.loc.pc, same_group = same_pc && a.loc.group == b.loc.group,
               same_bank = same_pc && a.loc.bank == b.loc.bank;
    if (!same_pc) return g;
    if (a.cmd == C::kAct && b.cmd == C::kAct) need(same_bank ? t.rc : same_group ? t.rrd_l : t.rrd_s);
    if (same_bank && a.cmd == C::kAct && b.cmd == C::kRd) need(t.rcd_rd);
    if (same_bank && a.cmd == C::kAct && b.cmd == C::kWr) need(t.rcd_wr);
    if (same_bank && a.cmd == C::kAct && b.cmd == C::kPre) need(t.ras);
    if (same_bank && a.cmd == C::kPre && b.cmd == C::kAct) need(t.rp);
    if (same_bank && a.cmd == C::kRd && b.cmd == C::kPre) need(t.rtp);
    if (same_bank && a.cmd == C::kWr && b.cmd == C::kPre) need(t.cwl + t.burst + t.wr);
    const bool col_a = a.cmd == C::kRd || a.cmd == C::kWr, col_b = b.cmd == C::kRd || b.cmd == C::kWr;
    if (col_a && col_b) {
        if (a.cmd == b.cmd) need(std::max(same_group ? t.ccd_l : t.ccd_s, t.burst));
        if (a.cmd == C::kWr && b.cmd == C::kRd) need(t.cwl + t.burst + (same_group ? t.wtr_l : t.wtr_s));
        if (a.cmd == C::kRd && b.cmd == C::kWr) need(std::max(t.rtw, t.cl + t.burst - t.cwl));
    }
    if (a.cmd == C::kRef && b.cmd == C::kAct) need(t.rfc);
    if (a.cmd == C::kPre && b.cmd == C::kRef) need(t.rp);
    if (a.cmd == C::kAct && b.cmd == C::kRef) need(t.rc);
    return g;
}

TEST_CASE("long mixed runs never break a JEDEC gap, tFAW, or the bank states", "[hbm][scheduler][slow]") {
    for (const char* mapping : {"ro-ba-sid-co-bg-pc-ch-co:1", "ro-co-ba-sid-bg-pc-ch"}) {
        const HbmConfig c = hbm3({std::string("hbm.timing.address_mapping=") + mapping});
        HbmMemory mem(c);
        std::vector<HbmTraceEntry> trace;
        mem.set_trace(&trace);
        std::mt19937_64 rng(11);
        std::vector<Request> reqs;
        std::int64_t at = 0;
        for (int i = 0; i < 6000; ++i) {
            // a few hot rows (hits and conflicts), some random addresses; reads and writes
            const std::uint64_t addr = (rng() % 4 == 0) ? (rng() % 8) * 65536 + (rng() % 64) * 32
                                                         : (rng() % (std::uint64_t{1} << 30)) / 32 * 32;
            reqs.push_back({addr, 32 * static_cast<std::int64_t>(1 + rng() % 2), rng() % 3 == 0, at});
            at += static_cast<std::int64_t>(rng() % 6);
        }
        const auto d = run(mem, reqs);
        INFO("mapping " << mapping << ", " << trace.size() << " commands");
        REQUIRE(trace.size() > 12000);
        std::map<int, std::int64_t> open;  // bank -> row
        std::map<int, std::vector<std::int64_t>> acts;  // per pseudo-channel
        int violations = 0;
        for (size_t i = 0; i < trace.size(); ++i) {
            const HbmTraceEntry& b = trace[i];
            for (size_t j = i; j-- > 0;) {
                const HbmTraceEntry& a = trace[j];
                if (b.cycle - a.cycle > 500) break;
                const std::int64_t gap = min_gap(c, a, b);
                if (b.cycle - a.cycle < gap && violations++ < 5)
                    FAIL_CHECK(command_name(a.cmd) << "@" << a.cycle << " then " << command_name(b.cmd) << "@"
                                                   << b.cycle << ": gap " << gap);
            }
            if (b.cmd == HbmCommand::kAct) {
                CHECK(open.count(b.loc.bank) == 0);
                open[b.loc.bank] = b.loc.row;
                auto& w = acts[b.loc.pc];
                w.push_back(b.cycle);
                if (w.size() >= 5) CHECK(w.back() - w[w.size() - 5] >= c.t.faw);
            } else if (b.cmd == HbmCommand::kPre) {
                CHECK(open.erase(b.loc.bank) == 1);
            } else if (b.cmd == HbmCommand::kRef) {
                for (const auto& [bank, row] : open) CHECK(bank / c.banks_per_pc() != b.loc.pc);
            } else {
                REQUIRE(open.count(b.loc.bank) == 1);
                CHECK(open[b.loc.bank] == b.loc.row);
            }
        }
        CHECK(violations == 0);
        for (const HbmDone& x : d) CHECK(latency(x) >= (x.write ? c.t.cwl : c.t.cl) + c.t.burst);
    }
}

TEST_CASE("the same traffic gives the same result", "[hbm][determinism]") {
    const HbmConfig c = hbm3();
    HbmTraffic t;
    t.pattern = HbmPattern::kRandom;
    t.requests = 3000;
    const HbmStats a = run_hbm_pattern(c, t), b = run_hbm_pattern(c, t);
    CHECK(a.cycles == b.cycles);
    CHECK(a.avg_read_latency_cycles == b.avg_read_latency_cycles);
    CHECK(a.commands.act == b.commands.act);
    t.seed = 2;
    CHECK(run_hbm_pattern(c, t).cycles != a.cycles);
}
