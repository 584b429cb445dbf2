#pragma once
// The DRAM side of one HBM channel: bank state machines (closed / open on a row) and every JEDEC
// timing rule between commands, as "earliest cycle" fields per bank, bank group, pseudo-channel
// and command bus (plain C++, no SystemC).
//
// Contract: earliest(cmd, loc) is the first cycle at which timing allows `cmd` at `loc` given
// every command issued so far; it ignores the bank's state. can_issue() adds the state rule
// (ACT needs a closed bank, PRE an open one, RD/WR the open row, REF every bank of the
// pseudo-channel closed). issue() applies a command at a cycle no earlier than the last one and
// throws std::logic_error if can_issue() is false: a controller that does that has a bug.
#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "sysc/hbm/hbm_address.h"
#include "sysc/hbm/hbm_config.h"

namespace chipdse::sysc::hbm {

enum class HbmCommand : std::uint8_t { kAct, kPre, kRd, kWr, kRef };
const char* command_name(HbmCommand c);

struct HbmCounters {
    std::int64_t act = 0, pre = 0, rd = 0, wr = 0, ref = 0;
    HbmCounters& operator+=(const HbmCounters& o) {
        act += o.act, pre += o.pre, rd += o.rd, wr += o.wr, ref += o.ref;
        return *this;
    }
};

class HbmChannelDevice {
public:
    explicit HbmChannelDevice(const HbmConfig& c);

    std::int64_t earliest(HbmCommand cmd, const HbmLocation& loc) const {
        return earliest(cmd, loc.pc, loc.group, loc.bank);
    }
    // The same by index: a command's timing depends on its bank, bank group and pseudo-channel.
    std::int64_t earliest(HbmCommand cmd, int pc, int group, int bank) const {
        const Bank& b = m_banks[static_cast<size_t>(bank)];
        const Group& g = m_groups[static_cast<size_t>(group)];
        const Pc& p = m_pcs[static_cast<size_t>(pc)];
        switch (cmd) {
            case HbmCommand::kAct: return std::max({b.next_act, g.next_act, act_floor(pc)});
            case HbmCommand::kPre: return std::max(b.next_pre, m_row_bus);
            case HbmCommand::kRd: return std::max({b.next_rd, g.next_rd, p.next_rd, m_col_bus});
            case HbmCommand::kWr: return std::max({b.next_wr, g.next_wr, p.next_wr, m_col_bus});
            case HbmCommand::kRef: return std::max(p.next_ref, m_row_bus);
        }
        return kNever;
    }
    // Lower bounds of earliest() over every bank of pseudo-channel `pc` (the scheduler skips a
    // pseudo-channel whose bound lies in the future).
    std::int64_t act_floor(int pc) const {
        const Pc& p = m_pcs[static_cast<size_t>(pc)];
        return std::max({p.next_act, p.faw[static_cast<size_t>(p.faw_pos)] + m_cfg.t.faw, m_row_bus});
    }
    std::int64_t column_floor(int pc, bool write) const {
        const Pc& p = m_pcs[static_cast<size_t>(pc)];
        return std::max(write ? p.next_wr : p.next_rd, m_col_bus);
    }
    bool can_issue(HbmCommand cmd, const HbmLocation& loc, std::int64_t cycle) const;
    void issue(HbmCommand cmd, const HbmLocation& loc, std::int64_t cycle);

    // The open row of the bank at `loc`, or -1 when it is closed.
    std::int64_t open_row(int bank) const { return m_banks[static_cast<size_t>(bank)].open_row; }
    int open_banks(int pc) const { return m_pcs[static_cast<size_t>(pc)].open_banks; }
    const HbmCounters& counters() const { return m_counters; }
    const HbmConfig& config() const { return m_cfg; }

private:
    struct Bank {
        std::int64_t open_row = -1;
        std::int64_t next_act = 0, next_pre = 0, next_rd = 0, next_wr = 0;
    };
    struct Group {
        std::int64_t next_act = 0, next_rd = 0, next_wr = 0;
    };
    struct Pc {
        std::int64_t next_act = 0, next_rd = 0, next_wr = 0;
        std::int64_t next_ref = 0;              // every bank's tRP / tRC satisfied
        std::array<std::int64_t, 4> faw{};      // the last four ACTs, oldest at faw_pos
        int faw_pos = 0;
        int open_banks = 0;
    };
    static void raise(std::int64_t& field, std::int64_t value) {
        if (value > field) field = value;
    }

    HbmConfig m_cfg;
    std::vector<Bank> m_banks;
    std::vector<Group> m_groups;
    std::vector<Pc> m_pcs;
    std::int64_t m_row_bus = 0, m_col_bus = 0;  // one row and one column command per cycle per channel
    std::int64_t m_last = 0;
    HbmCounters m_counters;
};

}  // namespace chipdse::sysc::hbm
