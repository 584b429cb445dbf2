#pragma once
// One channel's read or write queues, indexed by bank: the scheduler's bookkeeping, so that a step
// visits the banks that can take a command instead of every queued burst (plain C++, header only).
//
// Each pseudo-channel's queue keeps the bursts that have not arrived yet in arrival order; a burst
// becomes visible when it and every burst queued before it have arrived (the scheduler's view of
// a queue is its longest arrived prefix). Visible bursts sit at their bank, oldest first, counted
// as hits when they are for the bank's open row. Four bank sets per pseudo-channel follow them:
// banks with a visible hit; open banks with a visible burst for another row (a conflict), apart
// for those without hits and those with; and closed banks with a visible burst; each set oldest
// first. The owner reports every change of a bank's open row.
//
// All bursts of a bank share the timing of their command (earliest() depends on the bank, its
// group and pseudo-channel only), so the oldest hit and the oldest other burst of each bank stand
// for all of the bank's bursts.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "sysc/hbm/hbm_address.h"
#include "sysc/hbm/hbm_config.h"

namespace chipdse::sysc::hbm {

struct HbmBurst {
    std::uint32_t slot = 0;  // the owner's handle of the request the burst belongs to
    HbmLocation loc;
    std::int64_t arrival = 0;
    std::uint64_t seq = 0;  // age order within the channel (set by enqueue)
};

class HbmBankQueues {
public:
    // kConflict: open banks with a burst for another row and no hit; kHeldConflict: the same with
    // hits (their PRE waits for the hits, up to the controller's cap).
    enum Set { kHit = 0, kConflict = 1, kClosed = 2, kHeldConflict = 3 };
    static constexpr int kSets = 4;

    HbmBankQueues(int pseudo_channels, int banks_per_pc, int banks_per_group, int capacity)
        : m_capacity(capacity),
          m_pc(static_cast<size_t>(pseudo_channels)),
          m_bank(static_cast<size_t>(pseudo_channels * banks_per_pc)),
          m_open(static_cast<size_t>(pseudo_channels * banks_per_pc), -1) {
        for (Pc& p : m_pc) p.ring.resize(static_cast<size_t>(capacity));
        for (size_t b = 0; b < m_bank.size(); ++b) {
            m_bank[b].pc = static_cast<int>(b) / banks_per_pc;
            m_bank[b].group = static_cast<int>(b) / banks_per_group;
        }
    }

    // Bursts queued at `pc`, arrived or not.
    int size(int pc) const { return m_pc[static_cast<size_t>(pc)].size; }
    int free_entries(int pc) const { return m_capacity - size(pc); }

    void push(const HbmBurst& b) {
        Pc& p = m_pc[static_cast<size_t>(b.loc.pc)];
        std::size_t at = p.head + static_cast<std::size_t>(p.waiting);
        if (at >= p.ring.size()) at -= p.ring.size();
        p.ring[at] = b;
        ++p.waiting;
        ++p.size;
    }
    // Makes visible the bursts of `pc` that arrived by `now`; returns the arrival of the first
    // burst still waiting, or kNever.
    std::int64_t advance(int pc, std::int64_t now) {
        Pc& p = m_pc[static_cast<size_t>(pc)];
        while (p.waiting > 0) {
            const HbmBurst& b = p.ring[p.head];
            if (b.arrival > now) return b.arrival;
            Bank& k = m_bank[static_cast<size_t>(b.loc.bank)];
            k.bursts.push_back(b);
            if (b.loc.row == m_open[static_cast<size_t>(b.loc.bank)]) ++k.hits;
            if (++p.head == p.ring.size()) p.head = 0;
            --p.waiting;
            classify(b.loc.bank);
        }
        return kNever;
    }

    // A bank of a set, with the age stamp of its oldest hit (hit set) or of its oldest burst that
    // misses its open row (the other sets); each set is in that order.
    struct Member {
        std::uint64_t seq;
        int bank, group;
    };
    const std::vector<Member>& banks(int pc, Set s) const { return m_pc[static_cast<size_t>(pc)].set[s]; }
    // The bank's visible bursts, oldest first.
    const std::vector<HbmBurst>& bursts(int bank) const { return m_bank[static_cast<size_t>(bank)].bursts; }
    int hits(int bank) const { return m_bank[static_cast<size_t>(bank)].hits; }
    // The oldest visible burst of the bank that hits (hit) or misses (!hit) its open row; the bank
    // must have one.
    const HbmBurst& oldest(int bank, bool hit) const {
        const std::int64_t open = m_open[static_cast<size_t>(bank)];
        for (const HbmBurst& b : bursts(bank))
            if ((b.loc.row == open) == hit) return b;
        return bursts(bank).front();  // unreachable for a bank in the matching set
    }

    // Removes a visible burst (by its age stamp) from its bank.
    void remove(int bank, std::uint64_t seq) {
        Bank& k = m_bank[static_cast<size_t>(bank)];
        Pc& p = m_pc[static_cast<size_t>(k.pc)];
        for (auto it = k.bursts.begin(); it != k.bursts.end(); ++it)
            if (it->seq == seq) {
                const bool hit = it->loc.row == m_open[static_cast<size_t>(bank)];
                --p.size;
                k.bursts.erase(it);
                if (hit && --k.hits > 0) rekey_hit(p, bank);  // its oldest hit may change
                break;
            }
        classify(bank);
    }

    // The bank's open row changed to `row` (-1: closed).
    void set_open_row(int bank, std::int64_t row) {
        Bank& k = m_bank[static_cast<size_t>(bank)];
        if (k.bursts.empty()) {  // in no set, and no hits to count
            m_open[static_cast<size_t>(bank)] = row;
            return;
        }
        Pc& p = m_pc[static_cast<size_t>(k.pc)];
        for (int i = 0; i < kSets; ++i)  // every key anew
            if (k.in[i]) place(p, k, bank, static_cast<Set>(i), false);
        m_open[static_cast<size_t>(bank)] = row;
        k.hits = 0;
        if (row >= 0)
            for (const HbmBurst& b : k.bursts) k.hits += b.loc.row == row;
        classify(bank);
    }

private:
    struct Bank {
        std::vector<HbmBurst> bursts;  // visible, oldest first
        int hits = 0;
        int pc = 0, group = 0;  // where the bank is
        bool in[kSets] = {false, false, false, false};  // in each set of its pseudo-channel
    };
    struct Pc {
        std::vector<HbmBurst> ring;  // bursts not visible yet, from `head`, in arrival order
        std::size_t head = 0;
        int waiting = 0, size = 0;
        std::vector<Member> set[kSets];
    };

    void classify(int bank) {
        Bank& k = m_bank[static_cast<size_t>(bank)];
        const bool open = m_open[static_cast<size_t>(bank)] >= 0;
        const auto n = static_cast<int>(k.bursts.size());
        Pc& p = m_pc[static_cast<size_t>(k.pc)];
        const bool want[kSets] = {k.hits > 0, open && n > k.hits && k.hits == 0, !open && n > 0,
                                  open && n > k.hits && k.hits > 0};
        for (int i = 0; i < kSets; ++i)
            if (want[i] != k.in[i]) place(p, k, bank, static_cast<Set>(i), want[i]);
    }
    // The bank's oldest hit may have left: its key in the hit set becomes the next hit's, which is
    // younger, so the bank moves towards the back.
    void rekey_hit(Pc& p, int bank) {
        std::vector<Member>& list = p.set[kHit];
        std::size_t i = 0;
        while (list[i].bank != bank) ++i;
        const std::uint64_t key = oldest(bank, true).seq;
        list[i].seq = key;
        for (; i + 1 < list.size() && list[i + 1].seq < key; ++i) std::swap(list[i], list[i + 1]);
    }
    // Puts the bank into set `s` or takes it out, in the order of the set's key: the bank's oldest
    // hit (hit set) or oldest burst that misses its row (conflict and closed sets). A key stays
    // the same while the bank is in its set: only hits leave a bank, and remove() moves the bank
    // in the hit set (rekey_hit); an ACT or PRE takes the bank out of every set first.
    void place(Pc& p, Bank& k, int bank, Set s, bool in) {
        std::vector<Member>& list = p.set[s];
        if (in == k.in[s]) return;
        k.in[s] = in;
        if (in) {
            const std::uint64_t key = oldest(bank, s == kHit).seq;
            list.push_back({key, bank, k.group});
            for (std::size_t i = list.size() - 1; i > 0 && list[i - 1].seq > key; --i) std::swap(list[i - 1], list[i]);
        } else {
            std::size_t i = 0;
            while (list[i].bank != bank) ++i;
            for (; i + 1 < list.size(); ++i) list[i] = list[i + 1];
            list.pop_back();
        }
    }

    int m_capacity;
    std::vector<Pc> m_pc;
    std::vector<Bank> m_bank;         // per bank of the channel
    std::vector<std::int64_t> m_open;  // per bank: its open row, -1: closed
};

}  // namespace chipdse::sysc::hbm
