#include "dse/spec/spec_schemas.h"

namespace chipdse::spec {

using config::defaults_to;
using config::ObjectSchema;
using config::Range;
using config::required;

namespace {

const ObjectSchema<HbmTimingSpec>& hbm_timing_schema() {
    using T = HbmTimingSpec;
    static const ObjectSchema<T> s = [] {
        ObjectSchema<T> o("hbm timing");
        auto nn = Range::non_negative();
        o.quantity("tck", &T::tck, "clock period; later times may be written in cycles of it", required(),
                   Range::positive(), true)
            .count("channels", &T::channels, "channels per stack", defaults_to("8"))
            .count("pseudo_channels", &T::pseudo_channels, "pseudo-channels per channel", defaults_to("2"))
            .count("bank_groups", &T::bank_groups, "bank groups per pseudo-channel", defaults_to("4"))
            .count("banks_per_group", &T::banks_per_group, "banks per bank group", defaults_to("4"))
            .quantity("row_size", &T::row_size, "row (page) size per pseudo-channel", defaults_to("1 KiB"))
            .count("burst_length", &T::burst_length, "beats per access", defaults_to("4"))
            .quantity("cl", &T::cl, "read latency (CAS)", required())
            .quantity("cwl", &T::cwl, "write latency", required())
            .quantity("trcd_rd", &T::trcd_rd, "activate to read", required())
            .quantity("trcd_wr", &T::trcd_wr, "activate to write", required())
            .quantity("trp", &T::trp, "precharge to activate", required())
            .quantity("tras", &T::tras, "activate to precharge", required())
            .quantity("trc", &T::trc, "activate to activate, same bank", required())
            .quantity("twr", &T::twr, "write recovery", required())
            .quantity("trtp", &T::trtp, "read to precharge", required())
            .quantity("tccd_s", &T::tccd_s, "column to column, different bank group", required())
            .quantity("tccd_l", &T::tccd_l, "column to column, same bank group", required())
            .quantity("trrd_s", &T::trrd_s, "activate to activate, different bank group", required())
            .quantity("trrd_l", &T::trrd_l, "activate to activate, same bank group", required())
            .quantity("tfaw", &T::tfaw, "four-activate window", required())
            .quantity("twtr_s", &T::twtr_s, "write to read, different bank group", required())
            .quantity("twtr_l", &T::twtr_l, "write to read, same bank group", required())
            .quantity("trtw", &T::trtw, "read to write turnaround", required(), nn)
            .quantity("trfc", &T::trfc, "refresh cycle time (all-bank)", required())
            .quantity("trefi", &T::trefi, "refresh interval", required())
            .check([](const T& t, const config::ConfigNode* node, const std::string& path, config::BindContext& ctx) {
                auto loc = node ? node->loc() : config::SourceLoc{};
                if (t.trc.si() > 0 && t.tras.si() > 0 && t.trp.si() > 0 && t.trc.si() + 1e-15 < t.tras.si() + t.trp.si())
                    ctx.diag.error(config::key_loc(node, "trc"), path + ".trc", "tRC must be at least tRAS + tRP",
                                   units::format_value(t.trc.si(), units::dims::kTime, 6),
                                   ">= " + units::format_value(t.tras.si() + t.trp.si(), units::dims::kTime, 6));
                if (t.trefi.si() > 0 && t.trefi.si() <= t.trfc.si())
                    ctx.diag.error(config::key_loc(node, "trefi"), path + ".trefi", "tREFI must be larger than tRFC",
                                   units::format_value(t.trefi.si(), units::dims::kTime, 6),
                                   "> " + units::format_value(t.trfc.si(), units::dims::kTime, 6));
            });
        return o;
    }();
    return s;
}

}  // namespace

const ObjectSchema<HbmSpec>& hbm_schema() {
    static const ObjectSchema<HbmSpec> s = [] {
        ObjectSchema<HbmSpec> o("hbm");
        o.choice("generation", &HbmSpec::generation,
                 {{"hbm2", HbmGeneration::kHbm2}, {"hbm2e", HbmGeneration::kHbm2e}, {"hbm3", HbmGeneration::kHbm3},
                  {"hbm3e", HbmGeneration::kHbm3e}, {"hbm4", HbmGeneration::kHbm4}, {"gddr", HbmGeneration::kGddr},
                  {"lpddr", HbmGeneration::kLpddr}, {"none", HbmGeneration::kNone}},
                 "memory technology", defaults_to("hbm3"))
            .count("stacks", &HbmSpec::stacks, "HBM stacks (or memory devices) per chip", required())
            .quantity("capacity_per_stack", &HbmSpec::capacity_per_stack, "usable capacity of one stack", required())
            .quantity("bandwidth_per_stack", &HbmSpec::bandwidth_per_stack, "peak bandwidth of one stack", required())
            .number("achievable_fraction", &HbmSpec::achievable_fraction,
                    "sustained fraction of peak bandwidth on streaming access", defaults_to("0.9"),
                    Range{0.0, 1.0, true})
            .quantity("energy_per_bit", &HbmSpec::energy_per_bit, "DRAM + PHY energy per bit moved",
                      defaults_to("0 pJ/bit"), Range::non_negative())
            .optional_object("timing", &HbmSpec::timing, hbm_timing_schema(),
                             "JEDEC timing and organisation (used by the cycle-level HBM model)");
        return o;
    }();
    return s;
}

}  // namespace chipdse::spec
