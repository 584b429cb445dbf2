#include <cmath>
#include <cstdlib>

#include "dse/spec/spec_schemas.h"

namespace chipdse::spec {

using config::defaults_to;
using config::ObjectSchema;
using config::Range;
using config::required;

int HbmAddressMapping::column_low_bits() const {
    for (const Part& p : msb_first)
        if (p.field == HbmAddressField::kColumn && p.low_bits > 0) return p.low_bits;
    return 0;
}

std::optional<HbmAddressMapping> parse_hbm_address_mapping(std::string_view text, std::string& error) {
    struct Name {
        const char* text;
        HbmAddressField field;
    };
    static const Name kNames[] = {{"ro", HbmAddressField::kRow},         {"sid", HbmAddressField::kStackId},
                                  {"ba", HbmAddressField::kBank},        {"bg", HbmAddressField::kBankGroup},
                                  {"pc", HbmAddressField::kPseudoChannel}, {"ch", HbmAddressField::kChannel},
                                  {"co", HbmAddressField::kColumn}};
    HbmAddressMapping m;
    int seen[7] = {};
    int column_low = 0, column_whole = 0;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t dash = text.find('-', pos);
        if (dash == std::string_view::npos) dash = text.size();
        std::string_view tok = text.substr(pos, dash - pos);
        pos = dash + 1;
        std::string_view name = tok, bits;
        if (size_t colon = tok.find(':'); colon != std::string_view::npos) {
            name = tok.substr(0, colon);
            bits = tok.substr(colon + 1);
        }
        const Name* found = nullptr;
        for (const Name& n : kNames)
            if (name == n.text) found = &n;
        if (!found) {
            error = tok.empty() ? "empty field" : "unknown field '" + std::string(tok) + "'";
            return std::nullopt;
        }
        HbmAddressMapping::Part part{found->field, 0};
        if (!bits.empty() || tok.find(':') != std::string_view::npos) {
            if (found->field != HbmAddressField::kColumn) {
                error = "only the column can be split ('co:N'); got '" + std::string(tok) + "'";
                return std::nullopt;
            }
            int n = 0;
            for (char ch : bits) {
                if (ch < '0' || ch > '9' || n > 20) {
                    n = -1;
                    break;
                }
                n = n * 10 + (ch - '0');
            }
            if (bits.empty() || n < 1 || n > 20) {
                error = "'co:N' needs N bits, a whole number from 1 to 20; got '" + std::string(tok) + "'";
                return std::nullopt;
            }
            part.low_bits = n;
            ++column_low;
        } else if (found->field == HbmAddressField::kColumn) {
            ++column_whole;
        }
        const int index = static_cast<int>(found - kNames);
        if (found->field != HbmAddressField::kColumn && seen[index]++) {
            error = "field '" + std::string(name) + "' appears twice";
            return std::nullopt;
        }
        m.msb_first.push_back(part);
        if (dash == text.size()) break;
    }
    if (column_low > 1 || column_whole > 1) {
        error = "the column appears more than once (at most 'co' and one 'co:N')";
        return std::nullopt;
    }
    if (column_whole == 0) {
        error = "missing field 'co'";
        return std::nullopt;
    }
    for (int i = 0; i < 6; ++i)
        if (!seen[i]) {
            error = std::string("missing field '") + kNames[i].text + "'";
            return std::nullopt;
        }
    return m;
}

std::int64_t hbm_rows_per_bank(const HbmSpec& hbm) {
    if (!hbm.timing) return 0;
    const HbmTimingSpec& t = *hbm.timing;
    const double banks = static_cast<double>(t.channels * t.pseudo_channels * t.stack_ids * t.bank_groups *
                                             t.banks_per_group);
    if (banks <= 0 || t.row_size.si() <= 0) return 0;
    return static_cast<std::int64_t>(std::floor(hbm.capacity_per_stack.si() / (banks * t.row_size.si()) + 1e-9));
}

namespace {

std::string number(double v) { return config::detail::number_text(v); }

void check_timing(const HbmTimingSpec& t, const config::ConfigNode* node, const std::string& path,
                  config::BindContext& ctx) {
    auto err = [&](const std::string& key, const std::string& problem, const std::string& got,
                   const std::string& expected) {
        ctx.diag.error(config::key_loc(node, key), path + "." + key, problem, got, expected);
    };
    if (t.trc.si() > 0 && t.tras.si() > 0 && t.trp.si() > 0 && t.trc.si() + 1e-15 < t.tras.si() + t.trp.si())
        err("trc", "tRC must be at least tRAS + tRP", units::format_value(t.trc.si(), units::dims::kTime, 6),
            ">= " + units::format_value(t.tras.si() + t.trp.si(), units::dims::kTime, 6));
    if (t.trefi.si() > 0 && t.trefi.si() <= t.trfc.si())
        err("trefi", "tREFI must be larger than tRFC", units::format_value(t.trefi.si(), units::dims::kTime, 6),
            "> " + units::format_value(t.trfc.si(), units::dims::kTime, 6));
    if (t.tck.si() <= 0) return;  // reported by the field itself

    // one burst must take a whole number of clocks, and move whole bytes
    const double beats = t.beats_per_tck();
    const double burst_tck = static_cast<double>(t.burst_length) / beats;
    if (!(beats > 0) || std::abs(burst_tck - std::round(burst_tck)) > 1e-3 * burst_tck || std::round(burst_tck) < 1) {
        const bool rate = t.data_rate.has_value();
        err(rate ? "data_rate" : "burst_length", "a burst must last a whole number of tCK",
            "burst_length " + std::to_string(t.burst_length) + " at " + number(beats) + " beats per tCK (" +
                number(burst_tck) + " tCK)",
            "burst_length a multiple of data_rate x tck (beats per tCK)");
    }
    if ((t.dq_width * t.burst_length) % 8 != 0)
        err("dq_width", "a burst must move whole bytes (dq_width x burst_length divisible by 8)",
            std::to_string(t.dq_width) + " x " + std::to_string(t.burst_length), "a multiple of 8 bits");
    const double burst_bits = static_cast<double>(t.dq_width * t.burst_length);
    double columns = 0;
    if (t.row_size.si() > 0 && burst_bits > 0) {
        columns = t.row_size.si() / burst_bits;
        if (std::abs(columns - std::round(columns)) > 1e-9 || std::round(columns) < 1)
            err("row_size", "a row must hold a whole number of bursts",
                units::format_value(t.row_size.si(), units::dims::kInfo, 6),
                "a multiple of one burst, " + number(burst_bits / 8) + " B");
    }
    if (t.write_low_watermark >= t.write_high_watermark)
        err("write_low_watermark", "the write queue's low watermark must be below its high watermark",
            number(t.write_low_watermark), "< " + number(t.write_high_watermark));

    std::string why;
    auto mapping = parse_hbm_address_mapping(t.address_mapping, why);
    if (!mapping) {
        err("address_mapping", why, "'" + t.address_mapping + "'",
            "fields ro, sid, ba, bg, pc, ch, co from most to least significant, e.g. '" +
                std::string(kDefaultHbmAddressMapping) + "'");
    } else if (int low = mapping->column_low_bits(); low > 0 && columns >= 1) {
        const auto cols = static_cast<std::int64_t>(std::round(columns));
        if (cols % (std::int64_t{1} << low) != 0)
            err("address_mapping", "'co:" + std::to_string(low) + "' needs a multiple of " +
                                       std::to_string(std::int64_t{1} << low) + " bursts per row",
                "'" + t.address_mapping + "' with " + std::to_string(cols) + " bursts per row",
                "fewer low column bits");
    }
}

const ObjectSchema<HbmTimingSpec>& hbm_timing_schema() {
    using T = HbmTimingSpec;
    static const ObjectSchema<T> s = [] {
        ObjectSchema<T> o("hbm timing");
        auto nn = Range::non_negative();
        o.quantity("tck", &T::tck, "clock period; later times may be written in cycles of it", required(),
                   Range::positive(), true)
            .optional_quantity("data_rate", &T::data_rate,
                               "data rate per DQ pin (absent: 2 / tck, data on both clock edges)")
            .count("channels", &T::channels, "channels per stack", defaults_to("8"))
            .count("pseudo_channels", &T::pseudo_channels, "pseudo-channels per channel", defaults_to("2"))
            .count("stack_ids", &T::stack_ids, "stack IDs (SIDs): sets of banks stacked in one pseudo-channel",
                   defaults_to("1"))
            .count("bank_groups", &T::bank_groups, "bank groups per pseudo-channel and SID", defaults_to("4"))
            .count("banks_per_group", &T::banks_per_group, "banks per bank group", defaults_to("4"))
            .count("dq_width", &T::dq_width, "data pins (DQ) per pseudo-channel", defaults_to("32"))
            .quantity("row_size", &T::row_size, "row (page) size per pseudo-channel", defaults_to("1 KiB"))
            .count("burst_length", &T::burst_length, "beats per access", defaults_to("4"))
            .text("address_mapping", &T::address_mapping,
                  "address bits from most to least significant: ro sid ba bg pc ch co, 'co:N' = N low column bits",
                  defaults_to(kDefaultHbmAddressMapping))
            .count("read_queue", &T::read_queue, "read queue entries per pseudo-channel (one burst each)", defaults_to("32"))
            .count("write_queue", &T::write_queue, "write queue entries per pseudo-channel (one burst each)",
                   defaults_to("32"))
            .number("write_high_watermark", &T::write_high_watermark,
                    "write-queue fill (fraction) at which the controller starts draining writes", defaults_to("0.8"),
                    Range{0.0, 1.0, true})
            .number("write_low_watermark", &T::write_low_watermark,
                    "write-queue fill (fraction) at which a write drain stops", defaults_to("0.2"),
                    Range::between(0.0, 1.0))
            .choice("refresh", &T::refresh, {{"all_bank", HbmRefresh::kAllBank}, {"none", HbmRefresh::kNone}},
                    "refresh: all banks of a pseudo-channel every tREFI, or none", defaults_to("all_bank"))
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
            .check(check_timing);
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
                             "JEDEC timing and organisation (used by the cycle-level HBM model)")
            .check([](const HbmSpec& h, const config::ConfigNode* node, const std::string& path,
                      config::BindContext& ctx) {
                if (!h.timing || h.capacity_per_stack.si() <= 0 || h.timing->row_size.si() <= 0) return;
                if (hbm_rows_per_bank(h) < 1) {
                    const HbmTimingSpec& t = *h.timing;
                    const double row_bits = t.row_size.si() * static_cast<double>(t.channels * t.pseudo_channels *
                                                                                  t.stack_ids * t.bank_groups *
                                                                                  t.banks_per_group);
                    ctx.diag.error(config::key_loc(node, "capacity_per_stack"), path + ".capacity_per_stack",
                                   "too small for one row in every bank of the timing organisation",
                                   units::format_value(h.capacity_per_stack.si(), units::dims::kInfo, 6),
                                   ">= " + units::format_value(row_bits, units::dims::kInfo, 6));
                }
            });
        return o;
    }();
    return s;
}

}  // namespace chipdse::spec
