#include "sysc/hbm/hbm_device.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace chipdse::sysc::hbm {

const char* command_name(HbmCommand c) {
    switch (c) {
        case HbmCommand::kAct: return "ACT";
        case HbmCommand::kPre: return "PRE";
        case HbmCommand::kRd: return "RD";
        case HbmCommand::kWr: return "WR";
        case HbmCommand::kRef: return "REF";
    }
    return "?";
}

HbmChannelDevice::HbmChannelDevice(const HbmConfig& c)
    : m_cfg(c),
      m_banks(static_cast<size_t>(c.pseudo_channels * c.banks_per_pc())),
      m_groups(static_cast<size_t>(c.pseudo_channels * c.groups_per_pc())),
      m_pcs(static_cast<size_t>(c.pseudo_channels)) {
    // no ACT before cycle 0 may count against tFAW
    for (Pc& p : m_pcs) p.faw.fill(-c.t.faw);
}

bool HbmChannelDevice::can_issue(HbmCommand cmd, const HbmLocation& loc, std::int64_t cycle) const {
    if (cycle < earliest(cmd, loc)) return false;
    const Bank& b = m_banks[static_cast<size_t>(loc.bank)];
    switch (cmd) {
        case HbmCommand::kAct: return b.open_row < 0;
        case HbmCommand::kPre: return b.open_row >= 0;
        case HbmCommand::kRd:
        case HbmCommand::kWr: return b.open_row == loc.row;
        case HbmCommand::kRef: return m_pcs[static_cast<size_t>(loc.pc)].open_banks == 0;
    }
    return false;
}

void HbmChannelDevice::issue(HbmCommand cmd, const HbmLocation& loc, std::int64_t c) {
    if (c < m_last || !can_issue(cmd, loc, c))
        throw std::logic_error(std::string("hbm: ") + command_name(cmd) + " issued against the state or timing at cycle " +
                               std::to_string(c) + " (earliest " + std::to_string(earliest(cmd, loc)) + ")");
    m_last = c;
    const HbmCycles& t = m_cfg.t;
    Bank& b = m_banks[static_cast<size_t>(loc.bank)];
    Group& g = m_groups[static_cast<size_t>(loc.group)];
    Pc& p = m_pcs[static_cast<size_t>(loc.pc)];
    switch (cmd) {
        case HbmCommand::kAct:
            b.open_row = loc.row;
            ++p.open_banks;
            raise(b.next_act, c + t.rc);
            raise(b.next_rd, c + t.rcd_rd);
            raise(b.next_wr, c + t.rcd_wr);
            raise(b.next_pre, c + t.ras);
            raise(g.next_act, c + t.rrd_l);
            raise(p.next_act, c + t.rrd_s);
            raise(p.next_ref, c + t.rc);
            p.faw[static_cast<size_t>(p.faw_pos)] = c;
            p.faw_pos = (p.faw_pos + 1) % 4;
            m_row_bus = c + 1;
            ++m_counters.act;
            break;
        case HbmCommand::kPre:
            b.open_row = -1;
            --p.open_banks;
            raise(b.next_act, c + t.rp);
            raise(p.next_ref, c + t.rp);
            m_row_bus = c + 1;
            ++m_counters.pre;
            break;
        case HbmCommand::kRd: {
            raise(b.next_pre, c + t.rtp);
            // the same bank group takes the long gaps, every other group of the pseudo-channel the short ones
            raise(g.next_rd, c + t.rd_to_rd(true));
            raise(g.next_wr, c + t.rd_to_wr());
            raise(p.next_rd, c + t.rd_to_rd(false));
            raise(p.next_wr, c + t.rd_to_wr());
            m_col_bus = c + 1;
            ++m_counters.rd;
            break;
        }
        case HbmCommand::kWr: {
            raise(b.next_pre, c + t.wr_to_pre());
            raise(g.next_wr, c + t.wr_to_wr(true));
            raise(g.next_rd, c + t.wr_to_rd(true));
            raise(p.next_wr, c + t.wr_to_wr(false));
            raise(p.next_rd, c + t.wr_to_rd(false));
            m_col_bus = c + 1;
            ++m_counters.wr;
            break;
        }
        case HbmCommand::kRef:
            raise(p.next_act, c + t.rfc);
            raise(p.next_ref, c + t.rfc);
            m_row_bus = c + 1;
            ++m_counters.ref;
            break;
    }
}

}  // namespace chipdse::sysc::hbm
