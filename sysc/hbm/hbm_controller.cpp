#include "sysc/hbm/hbm_controller.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace chipdse::sysc::hbm {

HbmController::HbmController(const HbmConfig& c, int channel)
    : m_cfg(c),
      m_channel(channel),
      m_dev(c),
      m_queues{HbmBankQueues(c.pseudo_channels, c.banks_per_pc(), c.banks_per_group, c.read_queue),
               HbmBankQueues(c.pseudo_channels, c.banks_per_pc(), c.banks_per_group, c.write_queue)},
      m_drain(static_cast<size_t>(c.pseudo_channels), 0),
      m_ref_due(static_cast<size_t>(c.pseudo_channels), c.t.refi),
      m_ref_pending(static_cast<size_t>(c.pseudo_channels), 0),
      m_row_hits(static_cast<size_t>(c.pseudo_channels * c.banks_per_pc()), 0),
      m_capped(static_cast<size_t>(c.pseudo_channels), 0) {
    // every pseudo-channel of the memory refreshes at the same time: with one in-order requester
    // (the characterisation runs), staggered refreshes would each stall every channel in turn
    if (c.refresh) m_next = c.t.refi;
}

void HbmController::enqueue(bool write, HbmBurst b) {
    if (free_entries(b.loc.pc, write) <= 0) throw std::logic_error("hbm controller: enqueue into a full queue");
    if (b.arrival <= m_last_step)
        throw std::logic_error("hbm controller: burst arrives at cycle " + std::to_string(b.arrival) +
                               ", not after the last cycle stepped (" + std::to_string(m_last_step) + ")");
    b.seq = m_seq++;
    m_queues[write].push(b);
    m_next = std::min(m_next, b.arrival);
}

inline void HbmController::update_mode(int pc) {
    char& drain = m_drain[static_cast<size_t>(pc)];
    const int w = m_queues[1].size(pc);
    const bool reads = m_queues[0].size(pc) > 0;
    if (drain) {
        if (w == 0 || (w <= m_cfg.write_low && reads)) drain = 0;
    } else if (w > 0 && (w >= m_cfg.write_high || !reads)) {
        drain = 1;
    }
}

HbmLocation HbmController::bank_location(int pc, int bank) const {
    HbmLocation l;
    l.channel = m_channel;
    l.pc = pc;
    l.bank = bank;
    l.group = bank / m_cfg.banks_per_group;
    return l;
}

void HbmController::issue(HbmCommand cmd, const HbmLocation& loc, std::int64_t now) {
    m_dev.issue(cmd, loc, now);
    if (cmd == HbmCommand::kAct || cmd == HbmCommand::kPre) {
        const std::int64_t row = m_dev.open_row(loc.bank);
        m_queues[0].set_open_row(loc.bank, row);
        m_queues[1].set_open_row(loc.bank, row);
    }
    if (m_trace) m_trace->push_back({now, cmd, loc});
}

// The step is the reference FR-FCFS scan of every queued burst (docs/hbm.md), computed per bank:
// the bursts of a bank share their command's timing, so each bank's oldest hit and oldest other
// burst decide what the scan would, and `next` takes the same minimum.
void HbmController::step(std::int64_t now, std::vector<HbmIssued>& issued) {
    if (now <= m_last_step) throw std::logic_error("hbm controller: cycles must increase");
    m_last_step = now;
    std::int64_t next = kNever;
    const int pcs = m_cfg.pseudo_channels;

    if (m_cfg.refresh)
        for (size_t pc = 0; pc < m_ref_due.size(); ++pc) {
            if (!m_ref_pending[pc] && now >= m_ref_due[pc]) {
                // refreshes that fell in a time the memory sat idle (not simulated) count as done
                m_ref_due[pc] += (now - m_ref_due[pc]) / m_cfg.t.refi * m_cfg.t.refi;
                m_ref_pending[pc] = 1;
            }
            if (!m_ref_pending[pc]) next = std::min(next, m_ref_due[pc]);
        }
    for (int pc = 0; pc < pcs; ++pc) update_mode(pc);

    // Column bus: the oldest ready row hit of any pseudo-channel's active queue.
    int pick_pc = -1, pick_bank = -1;
    std::uint64_t pick_seq = 0;
    for (int pc = 0; pc < pcs; ++pc) {
        const bool write = m_drain[static_cast<size_t>(pc)] != 0;
        HbmBankQueues& q = m_queues[write];
        next = std::min(next, q.advance(pc, now));  // the first burst not arrived yet
        if (m_ref_pending[static_cast<size_t>(pc)]) continue;
        const auto& hit_banks = q.banks(pc, HbmBankQueues::kHit);
        if (hit_banks.empty()) continue;
        // no column command of this pseudo-channel can go before `floor`
        const std::int64_t floor = m_dev.column_floor(pc, write);
        if (floor > now) {
            next = std::min(next, floor);
            continue;
        }
        const HbmCommand column = write ? HbmCommand::kWr : HbmCommand::kRd;
        // oldest first: the first ready bank is the pseudo-channel's candidate (a step that
        // issues a command has no use for `next`)
        for (const auto& m : hit_banks) {
            if (pick_pc >= 0 && m.seq > pick_seq) break;
            const std::int64_t ready = m_dev.earliest(column, pc, m.group, m.bank);
            if (ready <= now) {
                pick_pc = pc;
                pick_bank = m.bank;
                pick_seq = m.seq;
                break;
            }
            next = std::min(next, ready);
        }
    }
    // the picked bank's hits, counted before its column command, still come first on the row bus
    const bool any = pick_pc >= 0;
    if (any) {
        const bool write = m_drain[static_cast<size_t>(pick_pc)] != 0;
        const HbmBurst e = m_queues[write].oldest(pick_bank, true);
        issue(write ? HbmCommand::kWr : HbmCommand::kRd, e.loc, now);
        if (++m_row_hits[static_cast<size_t>(e.loc.bank)] == kRowHitCap) ++m_capped[static_cast<size_t>(pick_pc)];
        issued.push_back({e.slot, now + (write ? m_cfg.t.cwl : m_cfg.t.cl) + m_cfg.t.burst, write});
        m_queues[write].remove(e.loc.bank, e.seq);
    }

    // Row bus: a due refresh first (close every bank, then REF), then the oldest ready ACT or PRE.
    bool row = false;
    if (m_cfg.refresh)
        for (int pc = 0; pc < pcs && !row; ++pc) {
            if (!m_ref_pending[static_cast<size_t>(pc)]) continue;
            if (m_dev.open_banks(pc) > 0) {
                const int first = pc * m_cfg.banks_per_pc();
                for (int b = first; b < first + m_cfg.banks_per_pc(); ++b) {
                    if (m_dev.open_row(b) < 0) continue;
                    const HbmLocation loc = bank_location(pc, b);
                    const std::int64_t ready = m_dev.earliest(HbmCommand::kPre, loc);
                    if (ready <= now) {
                        issue(HbmCommand::kPre, loc, now);
                        row = true;
                        break;
                    }
                    next = std::min(next, ready);
                }
            } else {
                const HbmLocation loc = bank_location(pc, pc * m_cfg.banks_per_pc());
                const std::int64_t ready = m_dev.earliest(HbmCommand::kRef, loc);
                if (ready <= now) {
                    issue(HbmCommand::kRef, loc, now);
                    m_ref_pending[static_cast<size_t>(pc)] = 0;
                    m_ref_due[static_cast<size_t>(pc)] += m_cfg.t.refi;
                    row = true;
                } else {
                    next = std::min(next, ready);
                }
            }
        }
    if (!row) {
        int best_pc = -1, best_bank = -1;
        std::uint64_t best_seq = 0;
        HbmCommand best_cmd = HbmCommand::kAct;
        // true when the bank is ready: then no younger bank of its set can win
        auto consider = [&](int pc, const HbmBankQueues::Member& m, HbmCommand cmd) {
            const std::int64_t ready = m_dev.earliest(cmd, pc, m.group, m.bank);
            if (ready > now) {
                next = std::min(next, ready);
                return false;
            }
            if (best_pc < 0 || m.seq < best_seq) {
                best_pc = pc;
                best_bank = m.bank;
                best_seq = m.seq;
                best_cmd = cmd;
            }
            return true;
        };
        for (int pc = 0; pc < pcs; ++pc) {
            if (m_ref_pending[static_cast<size_t>(pc)]) continue;  // the REF comes first
            const HbmBankQueues& q = m_queues[m_drain[static_cast<size_t>(pc)] != 0];
            // An open bank wanted for another row: a PRE, unless its hits come first (this step's
            // column command counts as one, even its bank's last). Every set is oldest first: the
            // first ready bank of each is the pseudo-channel's candidate (a step that issues a
            // command has no use for `next`).
            const auto capped = [&](int bank) { return m_row_hits[static_cast<size_t>(bank)] >= kRowHitCap; };
            for (const auto& m : q.banks(pc, HbmBankQueues::kConflict)) {
                if (best_pc >= 0 && m.seq > best_seq) break;
                if (m.bank == pick_bank && !capped(m.bank)) continue;
                if (consider(pc, m, HbmCommand::kPre)) break;
            }
            // a conflict with hits only once its bank has served the cap of them
            if (m_capped[static_cast<size_t>(pc)] > 0)
                for (const auto& m : q.banks(pc, HbmBankQueues::kHeldConflict)) {
                    if (best_pc >= 0 && m.seq > best_seq) break;
                    if (!capped(m.bank)) continue;
                    if (consider(pc, m, HbmCommand::kPre)) break;
                }
            // a closed bank: an ACT, none of this pseudo-channel before act_floor
            const auto& closed = q.banks(pc, HbmBankQueues::kClosed);
            if (closed.empty()) continue;
            const std::int64_t act_floor = m_dev.act_floor(pc);
            if (act_floor > now) {
                next = std::min(next, act_floor);
                continue;
            }
            for (const auto& m : closed) {
                if (best_pc >= 0 && m.seq > best_seq) break;
                if (consider(pc, m, HbmCommand::kAct)) break;
            }
        }
        if (best_pc >= 0) {
            const HbmLocation loc = m_queues[m_drain[static_cast<size_t>(best_pc)] != 0].oldest(best_bank, false).loc;
            issue(best_cmd, loc, now);
            if (best_cmd == HbmCommand::kAct) {
                int& hits = m_row_hits[static_cast<size_t>(best_bank)];
                if (hits >= kRowHitCap) --m_capped[static_cast<size_t>(best_pc)];
                hits = 0;
            }
            row = true;
        }
    }
    // after a command the state changed: look again next cycle
    m_next = (any || row) ? now + 1 : next;
}

}  // namespace chipdse::sysc::hbm
