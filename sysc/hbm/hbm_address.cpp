#include "sysc/hbm/hbm_address.h"

#include <bit>

namespace chipdse::sysc::hbm {

using spec::HbmAddressField;

HbmLocation make_location(const HbmConfig& c, int channel, int pc, int sid, int bg, int bank, std::int64_t row,
                          std::int64_t column) {
    HbmLocation l;
    l.channel = channel;
    l.pc = pc;
    l.group = pc * c.groups_per_pc() + sid * c.bank_groups + bg;
    l.bank = l.group * c.banks_per_group + bank;
    l.row = row;
    l.column = column;
    return l;
}

HbmAddressMap::HbmAddressMap(const HbmConfig& c) : m_cfg(c) {
    const int low = c.mapping.column_low_bits();
    const std::uint64_t low_radix = std::uint64_t{1} << low;
    for (auto it = c.mapping.msb_first.rbegin(); it != c.mapping.msb_first.rend(); ++it) {
        Digit d{it->field, 1, 1, -1};
        switch (it->field) {
            case HbmAddressField::kRow: d.radix = static_cast<std::uint64_t>(c.rows); break;
            case HbmAddressField::kStackId: d.radix = static_cast<std::uint64_t>(c.stack_ids); break;
            case HbmAddressField::kBank: d.radix = static_cast<std::uint64_t>(c.banks_per_group); break;
            case HbmAddressField::kBankGroup: d.radix = static_cast<std::uint64_t>(c.bank_groups); break;
            case HbmAddressField::kPseudoChannel: d.radix = static_cast<std::uint64_t>(c.pseudo_channels); break;
            case HbmAddressField::kChannel: d.radix = static_cast<std::uint64_t>(c.channels); break;
            case HbmAddressField::kColumn:
                if (it->low_bits > 0) {
                    d.radix = low_radix;
                } else {
                    d.radix = static_cast<std::uint64_t>(c.columns) / low_radix;
                    d.scale = low_radix;
                }
                break;
        }
        if (std::has_single_bit(d.radix)) d.shift = std::countr_zero(d.radix);
        if (d.radix > 1) m_lsb_first.push_back(d);  // a field of one value takes no address bits
    }
}

HbmLocation HbmAddressMap::decode(std::uint64_t addr) const {
    std::uint64_t v = addr / static_cast<std::uint64_t>(m_cfg.burst_bytes);
    std::uint64_t f[7] = {};  // row, sid, bank, bg, pc, channel, column
    for (const Digit& d : m_lsb_first) {
        std::uint64_t x;
        if (d.shift >= 0) {  // the common case, without a division
            x = v & (d.radix - 1);
            v >>= d.shift;
        } else {
            x = v % d.radix;
            v /= d.radix;
        }
        f[static_cast<int>(d.field)] += x * d.scale;
    }
    // wrap: whatever is left above the most significant field is dropped
    return make_location(m_cfg, static_cast<int>(f[5]), static_cast<int>(f[4]), static_cast<int>(f[1]),
                         static_cast<int>(f[3]), static_cast<int>(f[2]), static_cast<std::int64_t>(f[0]),
                         static_cast<std::int64_t>(f[6]));
}

std::uint64_t HbmAddressMap::encode(const HbmLocation& loc) const {
    const HbmConfig& c = m_cfg;
    const int in_group = loc.group % c.groups_per_pc();
    std::uint64_t f[7] = {};
    f[0] = static_cast<std::uint64_t>(loc.row);
    f[1] = static_cast<std::uint64_t>(in_group / c.bank_groups);
    f[2] = static_cast<std::uint64_t>(loc.bank % c.banks_per_group);
    f[3] = static_cast<std::uint64_t>(in_group % c.bank_groups);
    f[4] = static_cast<std::uint64_t>(loc.pc);
    f[5] = static_cast<std::uint64_t>(loc.channel);
    f[6] = static_cast<std::uint64_t>(loc.column);
    std::uint64_t v = 0;
    for (auto it = m_lsb_first.rbegin(); it != m_lsb_first.rend(); ++it)
        v = v * it->radix + (f[static_cast<int>(it->field)] / it->scale) % it->radix;
    return v * static_cast<std::uint64_t>(c.burst_bytes);
}

}  // namespace chipdse::sysc::hbm
