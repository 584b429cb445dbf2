#pragma once
// Where a byte address lives: channel, pseudo-channel, bank group and bank (flat indices within
// the channel), row and column. Decoding follows the config's address mapping (mixed radix, so
// counts need not be powers of two); addresses past the capacity wrap around.
#include <cstdint>
#include <vector>

#include "sysc/hbm/hbm_config.h"

namespace chipdse::sysc::hbm {

struct HbmLocation {
    int channel = 0;
    int pc = 0;     // pseudo-channel within the channel
    int group = 0;  // (pc, sid, bank group) flattened: pc * groups_per_pc + sid * bank_groups + bg
    int bank = 0;   // group * banks_per_group + bank
    std::int64_t row = 0;
    std::int64_t column = 0;  // in bursts
};

// A location from its fields (tests and tools address banks directly).
HbmLocation make_location(const HbmConfig& c, int channel, int pc, int sid, int bg, int bank, std::int64_t row,
                          std::int64_t column);

class HbmAddressMap {
public:
    explicit HbmAddressMap(const HbmConfig& c);

    // The location of the burst holding byte `addr`.
    HbmLocation decode(std::uint64_t addr) const;
    // The byte address of the burst at `loc` (inverse of decode for addresses below the capacity).
    std::uint64_t encode(const HbmLocation& loc) const;

private:
    struct Digit {
        spec::HbmAddressField field;
        std::uint64_t radix;
        std::uint64_t scale;  // for a split column: 1 for the low part, 2^low_bits for the rest
        int shift;            // log2(radix) when the radix is a power of two, else -1
    };
    HbmConfig m_cfg;
    std::vector<Digit> m_lsb_first;
};

}  // namespace chipdse::sysc::hbm
