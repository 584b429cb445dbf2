#pragma once
// Off-chip memory of a chip: HBM stacks (or other DRAM) with bandwidth, energy, and the JEDEC
// timing and organisation the cycle-level model (sysc/hbm) uses. Keys: hbm_schema().
#include <cstdint>
#include <optional>

#include "dse/units/quantity.h"

namespace chipdse::spec {

// JEDEC-style timing and organisation of one HBM stack; times may be written in cycles of tck.
struct HbmTimingSpec {
    units::Seconds tck;
    std::int64_t channels = 8, pseudo_channels = 2, bank_groups = 4, banks_per_group = 4;
    units::Bits row_size;
    std::int64_t burst_length = 4;
    units::Seconds cl, cwl, trcd_rd, trcd_wr, trp, tras, trc, twr, trtp, tccd_s, tccd_l, trrd_s, trrd_l, tfaw,
        twtr_s, twtr_l, trtw, trfc, trefi;
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

}  // namespace chipdse::spec
