#pragma once
// Off-chip memory of a chip: HBM stacks (or other DRAM) with bandwidth, energy, and the JEDEC
// timing and organisation the cycle-level model (sysc/hbm) uses. Keys: hbm_schema().
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dse/units/quantity.h"

namespace chipdse::spec {

enum class HbmRefresh { kAllBank, kNone };

// JEDEC-style timing and organisation of one HBM stack; times may be written in cycles of tck.
// A memory file for `chipdse sim hbm` may describe a single channel (channels: 1): the "stack" is
// then that channel, and capacity_per_stack / bandwidth_per_stack are the channel's.
struct HbmTimingSpec {
    units::Seconds tck;
    std::optional<units::BitsPerSecond> data_rate;  // per DQ pin; absent: 2 / tck (data on both CK edges)
    std::int64_t channels = 8, pseudo_channels = 2, stack_ids = 1, bank_groups = 4, banks_per_group = 4;
    std::int64_t dq_width = 32;  // data pins per pseudo-channel
    units::Bits row_size;
    std::int64_t burst_length = 4;
    std::string address_mapping;
    std::int64_t read_queue = 32, write_queue = 32;  // entries per pseudo-channel, one burst each
    double write_high_watermark = 0.8, write_low_watermark = 0.2;
    HbmRefresh refresh = HbmRefresh::kAllBank;
    units::Seconds cl, cwl, trcd_rd, trcd_wr, trp, tras, trc, twr, trtp, tccd_s, tccd_l, trrd_s, trrd_l, tfaw,
        twtr_s, twtr_l, trtw, trfc, trefi;

    // Data beats per tCK: data_rate * tck, or 2 when data_rate is absent.
    double beats_per_tck() const { return data_rate ? data_rate->si() * tck.si() : 2.0; }
    // Bytes one column command moves on one pseudo-channel: dq_width * burst_length / 8.
    double burst_bytes() const { return static_cast<double>(dq_width * burst_length) / 8.0; }
    // Peak bandwidth of one stack in bytes per second.
    double peak_bytes_per_s_per_stack() const {
        return static_cast<double>(channels * pseudo_channels * dq_width) * beats_per_tck() / tck.si() / 8.0;
    }
};

enum class HbmGeneration { kHbm2, kHbm2e, kHbm3, kHbm3e, kHbm4, kGddr, kLpddr, kNone };

struct HbmSpec {
    HbmGeneration generation = HbmGeneration::kHbm3;
    std::int64_t stacks = 1;
    units::Bits capacity_per_stack;
    units::BitsPerSecond bandwidth_per_stack;
    double achievable_fraction = 0.9;  // sustained / peak bandwidth on streaming access
    units::JoulesPerBit energy_per_bit;
    std::optional<HbmTimingSpec> timing;
};

// The address mapping of the cycle-level model: fields from the most to the least significant,
// written "ro-ba-sid-co-bg-pc-ch-co:1". Below the least significant field are the byte offsets
// within one burst. `co:N` places the N low bits of the column there (the plain `co` takes the
// rest), so that a request of 2^N bursts stays in one row.
enum class HbmAddressField { kRow, kStackId, kBank, kBankGroup, kPseudoChannel, kChannel, kColumn };

struct HbmAddressMapping {
    struct Part {
        HbmAddressField field;
        int low_bits = 0;  // > 0 only for the `co:N` part
    };
    std::vector<Part> msb_first;
    int column_low_bits() const;  // N of `co:N`, 0 when the column is not split
};

inline constexpr const char* kDefaultHbmAddressMapping = "ro-ba-sid-co-bg-pc-ch-co:1";

// Parses a mapping; on failure returns std::nullopt and says why in `error`.
std::optional<HbmAddressMapping> parse_hbm_address_mapping(std::string_view text, std::string& error);

// Rows per bank implied by the capacity and the organisation (0 when the capacity is too small
// for one row in every bank).
std::int64_t hbm_rows_per_bank(const HbmSpec& hbm);

}  // namespace chipdse::spec
