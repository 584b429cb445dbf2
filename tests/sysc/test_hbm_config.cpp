// The HBM spec keys the cycle-level model adds: every shipped memory and chip file loads, bad
// values give located messages, and the address mapping grammar.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "dse/spec/design_loader.h"
#include "sysc/hbm/hbm_config.h"

namespace {

namespace fs = std::filesystem;
namespace spec = chipdse::spec;
using namespace chipdse::sysc::hbm;

const fs::path kRoot = CHIPDSE_SOURCE_DIR;

// A one-channel memory file with the given timing lines (after the required ones).
std::string memory_yaml(const std::string& extra_timing, const std::string& extra_hbm = "") {
    return "hbm:\n"
           "  stacks: 1\n"
           "  capacity_per_stack: 1 GiB\n"
           "  bandwidth_per_stack: 51.2 GB/s\n" +
           extra_hbm +
           "  timing:\n"
           "    tck: 0.625 ns\n"
           "    channels: 1\n"
           "    burst_length: 8\n"
           "    data_rate: 6.4 Gb/s\n"
           "    cl: 20 cycles\n    cwl: 10 cycles\n    trcd_rd: 31 cycles\n    trcd_wr: 15 cycles\n"
           "    trp: 26 cycles\n    tras: 45 cycles\n    trc: 72 cycles\n    twr: 33 cycles\n"
           "    trtp: 9 cycles\n    tccd_s: 2 cycles\n    tccd_l: 4 cycles\n    trrd_s: 4 cycles\n"
           "    trrd_l: 5 cycles\n    tfaw: 24 cycles\n    twtr_s: 7 cycles\n    twtr_l: 10 cycles\n"
           "    trtw: 20 cycles\n    trfc: 416 cycles\n    trefi: 6240 cycles\n" +
           extra_timing;
}

struct Loaded {
    spec::LoadedDesign d;
    std::string messages;
};

Loaded load_text(const std::string& text) {
    // one file per process and call: CTest runs the cases of this binary in parallel processes
    static int calls = 0;
    const fs::path dir = fs::temp_directory_path() / "chipdse_test_hbm_config" /
                         (std::to_string(::getpid()) + "-" + std::to_string(++calls));
    fs::create_directories(dir);
    const fs::path p = dir / "memory.yaml";
    std::ofstream(p) << text;
    Loaded l{spec::load_design({p.string()}, {}), {}};
    l.messages = l.d.diag.format();
    fs::remove_all(dir);
    return l;
}

}  // namespace

TEST_CASE("every shipped memory and chip file loads, and memory files hold a lone hbm section", "[hbm][config]") {
    int memories = 0;
    for (const auto& e : fs::directory_iterator(kRoot / "arch_configs" / "memory")) {
        INFO(e.path());
        spec::LoadedDesign d = spec::load_design({e.path().string()}, {});
        INFO(d.diag.format());
        CHECK(d.ok());
        CHECK(d.spec.hbm.has_value());
        CHECK_FALSE(d.spec.chip.has_value());
        REQUIRE(d.spec.hbm);
        REQUIRE(d.spec.hbm->timing);
        CHECK_NOTHROW(make_hbm_config(*d.spec.hbm));
        ++memories;
    }
    CHECK(memories >= 4);
    for (const auto& e : fs::directory_iterator(kRoot / "arch_configs" / "chips")) {
        INFO(e.path());
        spec::LoadedDesign d = spec::load_design({e.path().string()}, {});
        INFO(d.diag.format());
        CHECK(d.ok());
        if (d.ok() && d.spec.chip && d.spec.chip->hbm.timing) CHECK_NOTHROW(make_hbm_config(d.spec.chip->hbm));
    }
}

TEST_CASE("the new keys take their defaults", "[hbm][config]") {
    Loaded l = load_text(memory_yaml(""));
    INFO(l.messages);
    REQUIRE(l.d.ok());
    const spec::HbmTimingSpec& t = *l.d.spec.hbm->timing;
    CHECK(t.stack_ids == 1);
    CHECK(t.dq_width == 32);
    CHECK(t.read_queue == 32);
    CHECK(t.write_queue == 32);
    CHECK(t.write_high_watermark == 0.8);
    CHECK(t.write_low_watermark == 0.2);
    CHECK(t.address_mapping == spec::kDefaultHbmAddressMapping);
    CHECK(t.refresh == spec::HbmRefresh::kAllBank);
    CHECK(t.beats_per_tck() == Approx(4));
    const HbmConfig c = make_hbm_config(*l.d.spec.hbm);
    CHECK(c.rows == 32768);  // 1 GiB / (2 PC x 16 banks x 1 KiB)
    CHECK(c.t.burst == 2);
    // without data_rate a tCK carries two beats (Ramulator's convention, as chips/h100-sxm.yaml)
    std::string text = memory_yaml("");
    const std::string rate_line = "    data_rate: 6.4 Gb/s\n";
    text.erase(text.find(rate_line), rate_line.size());
    Loaded ddr = load_text(text);
    INFO(ddr.messages);
    REQUIRE(ddr.d.ok());
    CHECK(make_hbm_config(*ddr.d.spec.hbm).t.burst == 4);
}

TEST_CASE("bad HBM values are reported at their line with the rule", "[hbm][config]") {
    struct Case {
        std::string timing, hbm, expect;
    };
    const std::vector<Case> cases = {
        {"    address_mapping: ro-ba-sid-co-bg-pc-chan\n", "",
         "hbm.timing.address_mapping: unknown field 'chan'; got 'ro-ba-sid-co-bg-pc-chan'"},
        {"    address_mapping: ro-ba-co-bg-pc-ch\n", "", "hbm.timing.address_mapping: missing field 'sid'"},
        {"    address_mapping: ro-ba-ba-sid-co-bg-pc-ch\n", "", "field 'ba' appears twice"},
        {"    address_mapping: ro-ba-sid-co-bg:1-pc-ch\n", "", "only the column can be split"},
        {"    address_mapping: ro-ba-sid-co-bg-pc-ch-co:6\n", "", "'co:6' needs a multiple of 64 bursts per row"},
        {"    address_mapping: ro-ba-sid-co:x-bg-pc-ch\n", "", "'co:N' needs N bits"},
        {"    write_low_watermark: 0.9\n", "", "hbm.timing.write_low_watermark: the write queue's low watermark must be below"},
        {"    write_high_watermark: 1.5\n", "", "hbm.timing.write_high_watermark"},
        {"    read_queue: 0\n", "", "hbm.timing.read_queue"},
        {"    read_queu: 16\n", "", "did you mean 'read_queue'"},
        {"    refresh: per_bank\n", "", "hbm.timing.refresh"},
        {"    row_size: 1000 B\n", "", "hbm.timing.row_size: a row must hold a whole number of bursts"},
        {"    stack_ids: 65536\n", "", "hbm.capacity_per_stack: too small for one row in every bank"},
    };
    for (const Case& c : cases) {
        Loaded l = load_text(memory_yaml(c.timing, c.hbm));
        INFO(c.timing << l.messages);
        CHECK_FALSE(l.d.ok());
        CHECK_THAT(l.messages, Catch::Contains(c.expect));
        CHECK_THAT(l.messages, Catch::Contains("memory.yaml:"));
    }
    // a data rate that makes a burst last a fraction of tCK
    std::string odd = memory_yaml("");
    odd.replace(odd.find("6.4 Gb/s"), 8, "5 Gb/s");
    Loaded l = load_text(odd);
    INFO(l.messages);
    CHECK_THAT(l.messages, Catch::Contains("memory.yaml:9: hbm.timing.data_rate: a burst must last a whole number of tCK"));
    CHECK_THAT(l.messages, Catch::Contains("3.125 beats per tCK"));
}

TEST_CASE("address mapping grammar", "[hbm][config][mapping]") {
    std::string why;
    auto m = spec::parse_hbm_address_mapping("ro-ba-sid-co-bg-pc-ch-co:1", why);
    REQUIRE(m);
    CHECK(m->msb_first.size() == 8);
    CHECK(m->column_low_bits() == 1);
    CHECK(spec::parse_hbm_address_mapping("ch-pc-ro-ba-bg-sid-co", why));
    CHECK_FALSE(spec::parse_hbm_address_mapping("", why));
    CHECK(why == "empty field");
    CHECK_FALSE(spec::parse_hbm_address_mapping("ro-ba-sid-co-bg-pc-ch-co:1-co:2", why));
    CHECK_THAT(why, Catch::Contains("more than once"));
    CHECK_FALSE(spec::parse_hbm_address_mapping("ro-ba-sid-co:2-bg-pc-ch", why));
    CHECK(why == "missing field 'co'");
}

TEST_CASE("load_hbm_config reports located errors and missing sections", "[hbm][config]") {
    CHECK_THROWS_WITH(load_hbm_config((kRoot / "arch_configs/memory/hbm3-6400.yaml").string(),
                                      {"hbm.timing.read_queue=0"}),
                      Catch::Contains("hbm.timing.read_queue"));
    CHECK_THROWS_WITH(load_hbm_config((kRoot / "arch_configs/chips/h200-sxm.yaml").string()),
                      Catch::Contains("timing"));
    const HbmConfig c = load_hbm_config((kRoot / "arch_configs/memory/hbm3-6400.yaml").string(),
                                        {"hbm.timing.read_queue=64", "hbm.timing.refresh=none"});
    CHECK(c.read_queue == 64);
    CHECK_FALSE(c.refresh);
}
