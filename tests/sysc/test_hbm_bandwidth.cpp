// Bandwidth of access patterns on the plain C++ HBM core against bounds worked out by hand:
// random reads bounded by tFAW, sequential reads approaching the 51.2 GB/s peak of one HBM3-6400
// channel; every preset; the characterisation function the analytical model calls.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "dse/spec/design_loader.h"
#include "sysc/hbm/hbm_characterise.h"

namespace {

using namespace chipdse::sysc::hbm;

std::string memory(const std::string& name) {
    return std::string(CHIPDSE_SOURCE_DIR) + "/arch_configs/memory/" + name + ".yaml";
}

HbmTraffic traffic(HbmPattern p, std::int64_t n = 20000, std::int64_t bytes = 64) {
    HbmTraffic t;
    t.pattern = p;
    t.requests = n;
    t.request_bytes = bytes;
    return t;
}

}  // namespace

TEST_CASE("random 64 B reads are bounded by tFAW", "[hbm][bandwidth]") {
    // By hand, hbm3-6400: a random 64 B read is one ACT (the two bursts share a row, 'co:1'), and
    // a pseudo-channel takes at most 4 ACTs per tFAW = 24 tCK = 15 ns. Two pseudo-channels:
    //   2 x 4 x 64 B / 15 ns = 34.13 GB/s = 66.7% of 51.2 GB/s.
    // tRRD_S (4 tCK: 6 ACTs per 24 tCK) and the data bus (8 bursts x 2 tCK = 16 of 24 tCK) allow more.
    const double bound = 2.0 * 4 * 64 / (24 * 0.625e-9);
    CHECK(bound == Approx(34.133e9).epsilon(1e-4));
    SECTION("without refresh: near the bound; with deeper queues at it") {
        // 32 entries per pseudo-channel hold 16 requests, each in the queue for tRP + tRCDRD + a
        // tCCD_L at least: Little's law keeps the default controller some 10% under the bound
        const HbmConfig c = load_hbm_config(memory("hbm3-6400"), {"hbm.timing.refresh=none"});
        const HbmStats s = run_hbm_pattern(c, traffic(HbmPattern::kRandom));
        CHECK(s.bandwidth_bytes_per_s <= bound);
        CHECK(s.bandwidth_bytes_per_s >= 0.85 * bound);
        CHECK(s.commands.act >= s.requests * 99 / 100);  // (nearly) every request opens a row
        const HbmStats deep = run_hbm_pattern(
            load_hbm_config(memory("hbm3-6400"), {"hbm.timing.refresh=none", "hbm.timing.read_queue=128"}),
            traffic(HbmPattern::kRandom));
        CHECK(deep.bandwidth_bytes_per_s <= bound);
        CHECK(deep.bandwidth_bytes_per_s >= 0.97 * bound);
        // and it is tFAW that binds: a shorter window lets more through
        const HbmStats faw12 = run_hbm_pattern(load_hbm_config(memory("hbm3-6400"),
                                                               {"hbm.timing.refresh=none", "hbm.timing.read_queue=128",
                                                                "hbm.timing.tfaw=16cycles"}),
                                               traffic(HbmPattern::kRandom));
        CHECK(faw12.bandwidth_bytes_per_s > 1.1 * bound);
    }
    SECTION("with refresh: the bound less what tRFC/tREFI takes") {
        const HbmStats s = run_hbm_pattern(load_hbm_config(memory("hbm3-6400")), traffic(HbmPattern::kRandom));
        CHECK(s.bandwidth_bytes_per_s <= bound * (1 - 416.0 / 6240) * 1.01);
        CHECK(s.bandwidth_bytes_per_s >= 0.85 * bound * (1 - 416.0 / 6240));
        CHECK(s.commands.ref >= 2 * s.cycles / 6240 - 2);
        CHECK(s.p99_read_latency_s > s.avg_read_latency_s);
    }
    SECTION("32 B reads: one ACT per burst halves the bound") {
        const HbmStats s = run_hbm_pattern(load_hbm_config(memory("hbm3-6400"), {"hbm.timing.refresh=none"}),
                                           traffic(HbmPattern::kRandom, 20000, 32));
        CHECK(s.bandwidth_bytes_per_s <= bound / 2);
        CHECK(s.bandwidth_bytes_per_s >= 0.85 * bound / 2);
    }
}

TEST_CASE("sequential reads approach the 51.2 GB/s peak of an HBM3-6400 channel", "[hbm][bandwidth]") {
    SECTION("without refresh") {
        const HbmStats s = run_hbm_pattern(load_hbm_config(memory("hbm3-6400"), {"hbm.timing.refresh=none"}),
                                           traffic(HbmPattern::kSequential));
        CHECK(s.peak_bandwidth_bytes_per_s == Approx(51.2e9));
        CHECK(s.efficiency >= 0.97);
        CHECK(s.efficiency <= 1.0);
        CHECK(s.row_hit_rate > 0.9);  // 32 bursts per row
    }
    SECTION("with refresh: within tRFC/tREFI of the peak") {
        const HbmStats s =
            run_hbm_pattern(load_hbm_config(memory("hbm3-6400")), traffic(HbmPattern::kSequential, 50000));
        CHECK(s.efficiency >= 0.90);
        CHECK(s.efficiency <= 1.0 - 416.0 / 6240 / 2);
    }
    SECTION("large requests too") {
        const HbmStats s = run_hbm_pattern(load_hbm_config(memory("hbm3-6400"), {"hbm.timing.refresh=none"}),
                                           traffic(HbmPattern::kSequential, 5000, 512));
        CHECK(s.efficiency >= 0.95);
    }
}

TEST_CASE("copy: half reads, half writes, bus turnarounds and row conflicts cost bandwidth", "[hbm][bandwidth]") {
    const HbmConfig c = load_hbm_config(memory("hbm3-6400"));
    const HbmStats copy = run_hbm_pattern(c, traffic(HbmPattern::kCopy));
    const HbmStats seq = run_hbm_pattern(c, traffic(HbmPattern::kSequential));
    CHECK(copy.reads == 10000);
    CHECK(copy.writes == 10000);
    CHECK(copy.commands.wr == 20000);
    CHECK(copy.avg_write_latency_s > 0);
    // the source and destination share banks (rows 0.. and 8192..): each switch between reads and
    // writes costs a row conflict and a turnaround, and writes drain in batches of at most
    // write_high - write_low = 20 bursts per pseudo-channel
    CHECK(copy.efficiency < 0.6 * seq.efficiency);
    CHECK(copy.efficiency > 0.3);
    // deeper queues make longer batches
    const HbmStats deep = run_hbm_pattern(
        load_hbm_config(memory("hbm3-6400"), {"hbm.timing.read_queue=128", "hbm.timing.write_queue=128"}),
        traffic(HbmPattern::kCopy));
    CHECK(deep.efficiency > 1.5 * copy.efficiency);
}

TEST_CASE("every memory preset loads and streams near its peak", "[hbm][presets]") {
    struct Preset {
        const char* name;
        double peak;
    };
    for (const Preset& p : {Preset{"hbm2-2000", 32e9}, Preset{"hbm2e-3600", 57.6e9}, Preset{"hbm3-6400", 51.2e9},
                            Preset{"hbm3e-9600", 76.8e9}}) {
        INFO(p.name);
        chipdse::spec::LoadedDesign d = chipdse::spec::load_design({memory(p.name)}, {});
        INFO(d.diag.format());
        REQUIRE(d.ok());
        REQUIRE(d.spec.hbm);
        const HbmConfig c = make_hbm_config(*d.spec.hbm);
        CHECK(c.peak_bytes_per_s() == Approx(p.peak).epsilon(1e-3));
        CHECK(d.spec.hbm->bandwidth_per_stack.si() / 8 == Approx(p.peak).epsilon(1e-3));
        const HbmStats s = run_hbm_pattern(c, traffic(HbmPattern::kSequential, 10000));
        // HBM3E's faster clock makes tRP + tRCDRD (86 tCK) longer than a queue's 64 tCK of data
        CHECK(s.efficiency > 0.8);
        const HbmStats r = run_hbm_pattern(c, traffic(HbmPattern::kRandom, 10000));
        CHECK(r.efficiency < s.efficiency);
        CHECK(r.efficiency > 0.2);
    }
}

TEST_CASE("hbm_bandwidth_efficiency: achieved / peak for the analytical model", "[hbm][characterise]") {
    chipdse::spec::LoadedDesign d = chipdse::spec::load_design({memory("hbm3-6400")}, {});
    REQUIRE(d.ok());
    const double seq = hbm_bandwidth_efficiency(*d.spec.hbm, traffic(HbmPattern::kSequential, 10000));
    const double rnd = hbm_bandwidth_efficiency(*d.spec.hbm, traffic(HbmPattern::kRandom, 10000));
    CHECK(seq > 0.9);
    CHECK(seq <= 1.0);
    CHECK(rnd < 0.7);
    CHECK(rnd > 0.5);
    // a whole 16-channel stack streams at the same fraction of its 16 x larger peak
    chipdse::spec::LoadedDesign stack = chipdse::spec::load_design(
        {memory("hbm3-6400")}, {"hbm.timing.channels=16", "hbm.capacity_per_stack=16GiB"});
    REQUIRE(stack.ok());
    CHECK(hbm_bandwidth_efficiency(*stack.spec.hbm, traffic(HbmPattern::kSequential, 10000)) == Approx(seq));
    const HbmConfig c16 = load_hbm_config(memory("hbm3-6400"), {"hbm.timing.channels=16", "hbm.capacity_per_stack=16GiB",
                                                                "hbm.timing.refresh=none"});
    const HbmConfig c1 = load_hbm_config(memory("hbm3-6400"), {"hbm.timing.refresh=none"});
    CHECK(c16.peak_bytes_per_s() == Approx(16 * 51.2e9));
    const HbmStats full = run_hbm_pattern(c16, traffic(HbmPattern::kSequential, 160000));
    const HbmStats one = run_hbm_pattern(c1, traffic(HbmPattern::kSequential, 10000));
    CHECK(full.efficiency == Approx(one.efficiency).margin(0.02));
    // a spec without timing is refused
    chipdse::spec::HbmSpec bare;
    CHECK_THROWS_AS(hbm_bandwidth_efficiency(bare, traffic(HbmPattern::kSequential)), std::invalid_argument);
}

TEST_CASE("a chip's HBM timing block runs too (H100: 16 channels per stack, 5 stacks)", "[hbm][presets]") {
    const HbmConfig c = load_hbm_config(std::string(CHIPDSE_SOURCE_DIR) + "/arch_configs/chips/h100-sxm.yaml");
    CHECK(c.channels == 80);
    CHECK(c.peak_bytes_per_s() == Approx(3.35e12).epsilon(0.01));
    const HbmStats s = run_hbm_pattern(c, traffic(HbmPattern::kSequential, 40000));
    CHECK(s.efficiency > 0.8);
}
