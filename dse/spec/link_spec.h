#pragma once
// Chip-to-chip links of a chip. Keys: link_schema().
#include <cstdint>

#include "dse/units/quantity.h"

namespace chipdse::spec {

struct LinkSpec {
    std::int64_t count = 0;          // chip-to-chip links per chip
    units::BitsPerSecond bandwidth;  // per link, per direction
    units::Seconds latency;          // per hop
    units::JoulesPerBit energy_per_bit;
};

}  // namespace chipdse::spec
