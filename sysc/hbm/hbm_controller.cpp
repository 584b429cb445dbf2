#include "sysc/hbm/hbm_controller.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace chipdse::sysc::hbm {

HbmController::HbmController(const HbmConfig& c, int channel)
    : m_cfg(c),
      m_channel(channel),
      m_dev(c),
      m_q(static_cast<size_t>(c.pseudo_channels)),
      m_ref_due(static_cast<size_t>(c.pseudo_channels), c.t.refi),
      m_ref_pending(static_cast<size_t>(c.pseudo_channels), 0),
      m_row_hits(static_cast<size_t>(c.pseudo_channels * c.banks_per_pc()), 0),
      m_hit_stamp(static_cast<size_t>(c.pseudo_channels * c.banks_per_pc()), 0) {
    for (Queues& q : m_q) {
        q.rq.reserve(static_cast<size_t>(c.read_queue));
        q.wq.reserve(static_cast<size_t>(c.write_queue));
    }
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
    Queues& q = m_q[static_cast<size_t>(b.loc.pc)];
    (write ? q.wq : q.rq).push_back(b);
    m_next = std::min(m_next, b.arrival);
}

void HbmController::update_mode(Queues& q) const {
    const auto w = static_cast<int>(q.wq.size());
    if (q.drain) {
        if (w == 0 || (w <= m_cfg.write_low && !q.rq.empty())) q.drain = false;
    } else if (w > 0 && (w >= m_cfg.write_high || q.rq.empty())) {
        q.drain = true;
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
    if (m_trace) m_trace->push_back({now, cmd, loc});
}

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
    for (Queues& q : m_q) update_mode(q);

    // Column bus: the oldest ready row hit of any pseudo-channel's active queue.
    ++m_stamp;
    const HbmBurst* pick = nullptr;
    int pick_pc = 0;
    for (int pc = 0; pc < pcs; ++pc) {
        Queues& pq = m_q[static_cast<size_t>(pc)];
        const auto& q = pq.drain ? pq.wq : pq.rq;
        const HbmCommand column = pq.drain ? HbmCommand::kWr : HbmCommand::kRd;
        const bool blocked = m_ref_pending[static_cast<size_t>(pc)] != 0;
        // no column command of this pseudo-channel can go before `floor`: then only mark the hits
        const std::int64_t floor = m_dev.column_floor(pc, pq.drain);
        bool found = floor > now;
        for (const HbmBurst& e : q) {
            if (e.arrival > now) {
                next = std::min(next, e.arrival);
                break;
            }
            if (blocked || m_dev.open_row(e.loc.bank) != e.loc.row) continue;
            m_hit_stamp[static_cast<size_t>(e.loc.bank)] = m_stamp;
            if (found) {
                next = std::min(next, floor);
                continue;
            }
            const std::int64_t ready = m_dev.earliest(column, e.loc);
            if (ready <= now) {
                found = true;
                if (!pick || e.seq < pick->seq) {
                    pick = &e;
                    pick_pc = pc;
                }
            } else {
                next = std::min(next, ready);
            }
        }
    }
    bool any = false;
    if (pick) {
        Queues& pq = m_q[static_cast<size_t>(pick_pc)];
        auto& q = pq.drain ? pq.wq : pq.rq;
        const HbmBurst e = *pick;
        const bool write = pq.drain;
        issue(write ? HbmCommand::kWr : HbmCommand::kRd, e.loc, now);
        ++m_row_hits[static_cast<size_t>(e.loc.bank)];
        issued.push_back({e.slot, now + (write ? m_cfg.t.cwl : m_cfg.t.cl) + m_cfg.t.burst, write});
        q.erase(q.begin() + (pick - q.data()));
        any = true;
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
        const HbmBurst* best = nullptr;
        HbmCommand best_cmd = HbmCommand::kAct;
        for (int pc = 0; pc < pcs; ++pc) {
            if (m_ref_pending[static_cast<size_t>(pc)]) continue;  // the REF comes first
            const Queues& pq = m_q[static_cast<size_t>(pc)];
            const std::int64_t act_floor = m_dev.act_floor(pc);  // no ACT of this pseudo-channel before it
            for (const HbmBurst& e : pq.drain ? pq.wq : pq.rq) {
                if (e.arrival > now) break;  // counted above
                const std::int64_t open = m_dev.open_row(e.loc.bank);
                if (open == e.loc.row) continue;  // a hit: the column bus serves it
                HbmCommand cmd = HbmCommand::kAct;
                if (open >= 0) {
                    const auto b = static_cast<size_t>(e.loc.bank);
                    if (m_hit_stamp[b] == m_stamp && m_row_hits[b] < kRowHitCap) continue;  // hits first
                    cmd = HbmCommand::kPre;
                } else if (act_floor > now) {
                    next = std::min(next, act_floor);
                    continue;
                }
                const std::int64_t ready = m_dev.earliest(cmd, e.loc);
                if (ready <= now) {
                    if (!best || e.seq < best->seq) {
                        best = &e;
                        best_cmd = cmd;
                    }
                    break;  // the oldest ready of this pseudo-channel
                }
                next = std::min(next, ready);
            }
        }
        if (best) {
            issue(best_cmd, best->loc, now);
            if (best_cmd == HbmCommand::kAct) m_row_hits[static_cast<size_t>(best->loc.bank)] = 0;
            row = true;
        }
    }
    // after a command the state changed: look again next cycle
    m_next = (any || row) ? now + 1 : next;
}

}  // namespace chipdse::sysc::hbm
