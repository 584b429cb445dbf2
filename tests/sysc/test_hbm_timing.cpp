// HBM timing gates, one JEDEC parameter at a time, on the plain C++ device of one channel of
// arch_configs/memory/hbm3-6400.yaml: a command is not allowed one cycle before its gap has
// passed and is allowed at that cycle. Refresh (tREFI, tRFC) through the controller.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sysc/hbm/hbm_controller.h"
#include "sysc/hbm/hbm_device.h"

namespace {

using namespace chipdse::sysc::hbm;

const std::string kHbm3 = std::string(CHIPDSE_SOURCE_DIR) + "/arch_configs/memory/hbm3-6400.yaml";

const HbmConfig& hbm3() {
    static const HbmConfig c = load_hbm_config(kHbm3);
    return c;
}

// pc, sid, bank group, bank, row of channel 0
HbmLocation at(int pc, int sid, int bg, int bank, std::int64_t row = 0) {
    return make_location(hbm3(), 0, pc, sid, bg, bank, row, 0);
}

// `cmd` at `loc` is refused at cycle gap - 1 and allowed at gap.
void gate(const HbmChannelDevice& d, HbmCommand cmd, const HbmLocation& loc, std::int64_t gap) {
    INFO(command_name(cmd) << " at cycle " << gap);
    CHECK_FALSE(d.can_issue(cmd, loc, gap - 1));
    CHECK(d.can_issue(cmd, loc, gap));
    CHECK(d.earliest(cmd, loc) == gap);
}

}  // namespace

TEST_CASE("hbm3-6400 takes the issue's organisation and clocks", "[hbm][config]") {
    const HbmConfig& c = hbm3();
    CHECK(c.tck_s == Approx(0.625e-9));
    CHECK(c.channels == 1);
    CHECK(c.pseudo_channels == 2);
    CHECK(c.stack_ids == 2);
    CHECK(c.bank_groups == 4);
    CHECK(c.banks_per_group == 4);
    CHECK(c.burst_bytes == 32);  // BL8 x 32 DQ
    CHECK(c.columns == 32);      // 1 KiB page
    CHECK(c.rows == 16384);      // 1 GiB / (2 PC x 2 SID x 16 banks x 1 KiB)
    CHECK(c.capacity_bytes() == (std::int64_t{1} << 30));
    CHECK(c.read_queue == 32);
    CHECK(c.write_queue == 32);
    CHECK(c.write_high == 26);  // ceil(0.8 x 32)
    CHECK(c.write_low == 6);    // floor(0.2 x 32)
    CHECK(c.peak_bytes_per_s() == Approx(51.2e9));
    const HbmCycles& t = c.t;
    CHECK(t.burst == 2);  // 8 beats at 4 per tCK (6.4 Gb/s x 0.625 ns)
    const std::vector<std::pair<std::int64_t, std::int64_t>> want = {
        {t.cl, 20},   {t.cwl, 10},  {t.rcd_rd, 31}, {t.rcd_wr, 15}, {t.rp, 26},    {t.ras, 45},   {t.rc, 72},
        {t.wr, 33},   {t.rtp, 9},   {t.ccd_s, 2},   {t.ccd_l, 4},   {t.rrd_s, 4},  {t.rrd_l, 5},  {t.faw, 24},
        {t.wtr_s, 7}, {t.wtr_l, 10}, {t.rtw, 20},  {t.rfc, 416},   {t.refi, 6240}};
    for (size_t i = 0; i < want.size(); ++i) {
        INFO("parameter " << i);
        CHECK(want[i].first == want[i].second);
    }
}

TEST_CASE("tRCDRD and tRCDWR: activate to read and to write", "[hbm][timing]") {
    HbmChannelDevice d(hbm3());
    const HbmLocation a = at(0, 0, 0, 0);
    d.issue(HbmCommand::kAct, a, 0);
    gate(d, HbmCommand::kRd, a, 31);
    gate(d, HbmCommand::kWr, a, 15);
}

TEST_CASE("tRAS, tRP and tRC on one bank", "[hbm][timing]") {
    HbmChannelDevice d(hbm3());
    const HbmLocation a = at(0, 0, 0, 0, 7), a2 = at(0, 0, 0, 0, 8);
    d.issue(HbmCommand::kAct, a, 0);
    SECTION("tRAS: activate to precharge") { gate(d, HbmCommand::kPre, a, 45); }
    SECTION("tRC: activate to activate (tRAS + tRP = 71 < tRC = 72)") {
        d.issue(HbmCommand::kPre, a, 45);
        gate(d, HbmCommand::kAct, a2, 72);
    }
    SECTION("tRP: precharge to activate") {
        d.issue(HbmCommand::kPre, a, 100);
        gate(d, HbmCommand::kAct, a2, 126);
    }
}

TEST_CASE("tCCD_S and tCCD_L: column to column", "[hbm][timing]") {
    HbmChannelDevice d(hbm3());
    const HbmLocation a = at(0, 0, 0, 0), other_group = at(0, 0, 1, 0), same_group = at(0, 0, 0, 1);
    d.issue(HbmCommand::kAct, a, 0);
    d.issue(HbmCommand::kAct, other_group, 4);
    d.issue(HbmCommand::kAct, same_group, 9);
    SECTION("reads") {
        d.issue(HbmCommand::kRd, a, 50);
        gate(d, HbmCommand::kRd, other_group, 52);  // tCCD_S 2 (= one burst)
        gate(d, HbmCommand::kRd, same_group, 54);   // tCCD_L 4
        gate(d, HbmCommand::kRd, a, 54);
    }
    SECTION("writes") {
        d.issue(HbmCommand::kWr, a, 50);
        gate(d, HbmCommand::kWr, other_group, 52);
        gate(d, HbmCommand::kWr, same_group, 54);
    }
    SECTION("another stack ID is another bank group") {
        const HbmLocation sid1 = at(0, 1, 0, 0);
        d.issue(HbmCommand::kAct, sid1, 14);
        d.issue(HbmCommand::kRd, a, 50);
        gate(d, HbmCommand::kRd, sid1, 52);
    }
}

TEST_CASE("tRRD_S and tRRD_L: activate to activate", "[hbm][timing]") {
    HbmChannelDevice d(hbm3());
    d.issue(HbmCommand::kAct, at(0, 0, 0, 0), 0);
    gate(d, HbmCommand::kAct, at(0, 0, 1, 0), 4);  // another bank group
    gate(d, HbmCommand::kAct, at(0, 0, 0, 1), 5);  // the same bank group
    // the other pseudo-channel only waits for the shared row command bus
    gate(d, HbmCommand::kAct, at(1, 0, 0, 0), 1);
}

TEST_CASE("tFAW: a fifth activate waits for the four-activate window", "[hbm][timing]") {
    HbmChannelDevice d(hbm3());
    for (int bg = 0; bg < 4; ++bg) d.issue(HbmCommand::kAct, at(0, 0, bg, 0), 4 * bg);  // 0, 4, 8, 12 (tRRD_S)
    // tRRD_S alone would allow 16; the window of the ACT at 0 ends at tFAW = 24
    gate(d, HbmCommand::kAct, at(0, 1, 0, 0), 24);
    d.issue(HbmCommand::kAct, at(0, 1, 0, 0), 24);
    gate(d, HbmCommand::kAct, at(0, 1, 1, 0), 28);  // the window now starts at the ACT at 4
    // tFAW counts per pseudo-channel: the other one is free
    gate(d, HbmCommand::kAct, at(1, 0, 0, 0), 25);
}

TEST_CASE("tWTR_S and tWTR_L: write to read (CWL + burst + tWTR)", "[hbm][timing]") {
    HbmChannelDevice d(hbm3());
    const HbmLocation a = at(0, 0, 0, 0), other_group = at(0, 0, 1, 0), same_group = at(0, 0, 0, 1);
    d.issue(HbmCommand::kAct, a, 0);
    d.issue(HbmCommand::kAct, other_group, 4);
    d.issue(HbmCommand::kAct, same_group, 9);
    d.issue(HbmCommand::kWr, a, 50);
    gate(d, HbmCommand::kRd, other_group, 50 + 10 + 2 + 7);
    gate(d, HbmCommand::kRd, same_group, 50 + 10 + 2 + 10);
    gate(d, HbmCommand::kRd, a, 50 + 10 + 2 + 10);
}

TEST_CASE("tRTW: read to write", "[hbm][timing]") {
    HbmChannelDevice d(hbm3());
    const HbmLocation a = at(0, 0, 0, 0), b = at(0, 0, 1, 0);
    d.issue(HbmCommand::kAct, a, 0);
    d.issue(HbmCommand::kAct, b, 4);
    d.issue(HbmCommand::kRd, a, 50);
    gate(d, HbmCommand::kWr, b, 70);  // tRTW 20 > CL + burst - CWL = 12
    gate(d, HbmCommand::kWr, a, 70);
}

TEST_CASE("tRTP and tWR: read and write to precharge", "[hbm][timing]") {
    HbmChannelDevice d(hbm3());
    const HbmLocation a = at(0, 0, 0, 0);
    d.issue(HbmCommand::kAct, a, 0);
    SECTION("tRTP") {
        d.issue(HbmCommand::kRd, a, 50);
        gate(d, HbmCommand::kPre, a, 59);
    }
    SECTION("tWR: CWL + burst + tWR after the write") {
        d.issue(HbmCommand::kWr, a, 50);
        gate(d, HbmCommand::kPre, a, 50 + 10 + 2 + 33);
    }
}

TEST_CASE("tRFC: refresh to activate, and refresh needs every bank closed for tRP", "[hbm][timing]") {
    HbmChannelDevice d(hbm3());
    const HbmLocation a = at(0, 1, 3, 3);
    d.issue(HbmCommand::kAct, a, 0);
    CHECK_FALSE(d.can_issue(HbmCommand::kRef, a, 1000));  // a bank is open
    d.issue(HbmCommand::kPre, a, 100);
    gate(d, HbmCommand::kRef, a, 126);
    d.issue(HbmCommand::kRef, a, 126);
    gate(d, HbmCommand::kAct, at(0, 0, 0, 0), 126 + 416);
    gate(d, HbmCommand::kAct, at(1, 0, 0, 0), 127);  // the other pseudo-channel is not refreshing
}

TEST_CASE("state rules: commands against the bank state are refused", "[hbm][timing]") {
    HbmChannelDevice d(hbm3());
    const HbmLocation a = at(0, 0, 0, 0, 5);
    CHECK_FALSE(d.can_issue(HbmCommand::kRd, a, 100));  // bank closed
    CHECK_FALSE(d.can_issue(HbmCommand::kPre, a, 100));
    CHECK_THROWS_AS(d.issue(HbmCommand::kRd, a, 100), std::logic_error);
    d.issue(HbmCommand::kAct, a, 0);
    CHECK_FALSE(d.can_issue(HbmCommand::kAct, a, 1000));                 // already open
    CHECK_FALSE(d.can_issue(HbmCommand::kRd, at(0, 0, 0, 0, 6), 1000));  // another row
    CHECK(d.can_issue(HbmCommand::kRd, a, 1000));
    // one row command per cycle on the channel's row bus, one column command on its column bus
    CHECK_FALSE(d.can_issue(HbmCommand::kAct, at(1, 0, 0, 0), 0));
}

TEST_CASE("tREFI: all-bank refresh of each pseudo-channel every tREFI", "[hbm][timing][refresh]") {
    HbmController ctrl(hbm3(), 0);
    std::vector<HbmTraceEntry> trace;
    ctrl.set_trace(&trace);
    std::vector<HbmIssued> issued;
    while (ctrl.next_cycle() < 4 * 6240) ctrl.step(ctrl.next_cycle(), issued);
    std::vector<std::pair<int, std::int64_t>> refs;
    for (const auto& e : trace) {
        REQUIRE(e.cmd == HbmCommand::kRef);  // nothing else to do
        refs.emplace_back(e.loc.pc, e.cycle);
    }
    // both pseudo-channels at each tREFI, one cycle apart on the channel's row command bus
    const std::vector<std::pair<int, std::int64_t>> want = {{0, 6240},  {1, 6241},  {0, 12480},
                                                            {1, 12481}, {0, 18720}, {1, 18721}};
    CHECK(refs == want);
}

TEST_CASE("tRFC/tREFI: a read arriving when its refresh falls due waits tRFC", "[hbm][timing][refresh]") {
    HbmController ctrl(hbm3(), 0);
    std::vector<HbmTraceEntry> trace;
    ctrl.set_trace(&trace);
    ctrl.enqueue(false, HbmBurst{0, at(0, 0, 0, 0), 6240});
    std::vector<HbmIssued> issued;
    while (issued.empty()) ctrl.step(ctrl.next_cycle(), issued);
    REQUIRE(trace.size() == 4);
    CHECK(trace[0].cmd == HbmCommand::kRef);
    CHECK(trace[0].cycle == 6240);
    CHECK(trace[1].cmd == HbmCommand::kRef);  // the other pseudo-channel, next cycle of the row bus
    CHECK(trace[1].loc.pc == 1);
    CHECK(trace[2].cmd == HbmCommand::kAct);
    CHECK(trace[2].cycle == 6240 + 416);
    CHECK(trace[3].cmd == HbmCommand::kRd);
    CHECK(trace[3].cycle == 6240 + 416 + 31);
    CHECK(issued[0].done == 6240 + 416 + 31 + 20 + 2);
}
