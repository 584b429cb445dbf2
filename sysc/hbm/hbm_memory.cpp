#include "sysc/hbm/hbm_memory.h"

#include <algorithm>
#include <stdexcept>

namespace chipdse::sysc::hbm {

HbmMemory::HbmMemory(const HbmConfig& c)
    : m_cfg(c), m_map(c), m_need(static_cast<size_t>(c.channels * c.pseudo_channels), 0) {
    m_ctrl.reserve(static_cast<size_t>(c.channels));
    for (int ch = 0; ch < c.channels; ++ch) m_ctrl.emplace_back(c, ch);
    for (const HbmController& ctrl : m_ctrl) m_wake.push_back(ctrl.next_cycle());
}

std::int64_t HbmMemory::bursts(std::uint64_t addr, std::int64_t bytes) const {
    if (bytes <= 0) return 0;
    const auto bb = static_cast<std::uint64_t>(m_cfg.burst_bytes);
    return static_cast<std::int64_t>((addr + static_cast<std::uint64_t>(bytes) - 1) / bb - addr / bb + 1);
}

void HbmMemory::decode_request(std::uint64_t addr, std::int64_t bytes) const {
    if (addr == m_decoded_addr && bytes == m_decoded_bytes) return;
    m_locs.clear();
    m_per_queue.clear();
    const auto bb = static_cast<std::uint64_t>(m_cfg.burst_bytes);
    const std::int64_t n = bursts(addr, bytes);
    for (std::int64_t i = 0; i < n; ++i) {
        const HbmLocation l = m_map.decode((addr / bb + static_cast<std::uint64_t>(i)) * bb);
        m_locs.push_back(l);
        const int q = l.channel * m_cfg.pseudo_channels + l.pc;
        if (m_need[static_cast<size_t>(q)]++ == 0) m_per_queue.emplace_back(q, 0);
    }
    for (auto& [q, count] : m_per_queue) {
        count = m_need[static_cast<size_t>(q)];
        m_need[static_cast<size_t>(q)] = 0;
    }
    m_decoded_addr = addr;
    m_decoded_bytes = bytes;
}

bool HbmMemory::fits(std::uint64_t addr, std::int64_t bytes, bool write) const {
    if (bytes <= 0) return false;
    if (bursts(addr, bytes) > static_cast<std::int64_t>(std::max(m_cfg.read_queue, m_cfg.write_queue)) *
                                  m_cfg.channels * m_cfg.pseudo_channels)
        return false;
    decode_request(addr, bytes);
    for (const auto& [q, count] : m_per_queue)
        if (count > (write ? m_cfg.write_queue : m_cfg.read_queue)) return false;
    return true;
}

bool HbmMemory::try_enqueue(std::uint64_t id, std::uint64_t addr, std::int64_t bytes, bool write,
                            std::int64_t arrival) {
    if (bytes <= 0) throw std::invalid_argument("hbm: a request needs at least one byte");
    decode_request(addr, bytes);
    for (const auto& [q, count] : m_per_queue)
        if (count > m_ctrl[static_cast<size_t>(q / m_cfg.pseudo_channels)].free_entries(q % m_cfg.pseudo_channels, write))
            return false;

    std::uint32_t slot;
    if (!m_free.empty()) {
        slot = m_free.back();
        m_free.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(m_slots.size());
        m_slots.emplace_back();
    }
    m_slots[slot] = Slot{id, arrival, 0, bytes, static_cast<std::int64_t>(m_locs.size()), write};
    ++m_in_flight;
    for (const HbmLocation& loc : m_locs) {
        HbmController& c = m_ctrl[static_cast<size_t>(loc.channel)];
        c.enqueue(write, HbmBurst{slot, loc, arrival, 0});
        m_wake[static_cast<size_t>(loc.channel)] = c.next_cycle();
    }
    m_decoded_bytes = -1;  // taken: the next request is another one, even at the same address
    return true;
}

void HbmMemory::step(std::int64_t now, std::vector<HbmDone>& done) {
    m_issued.clear();
    for (size_t ch = 0; ch < m_ctrl.size(); ++ch)
        if (m_wake[ch] <= now) {
            m_ctrl[ch].step(now, m_issued);
            m_wake[ch] = m_ctrl[ch].next_cycle();
        }
    for (const HbmIssued& b : m_issued) {
        Slot& s = m_slots[b.slot];
        s.done = std::max(s.done, b.done);
        if (--s.remaining == 0) {
            done.push_back({s.id, s.arrival, s.done, s.bytes, s.write});
            m_free.push_back(b.slot);
            --m_in_flight;
        }
    }
}

std::int64_t HbmMemory::next_cycle() const {
    std::int64_t n = kNever;
    for (const std::int64_t w : m_wake) n = std::min(n, w);
    return n;
}

HbmCounters HbmMemory::counters() const {
    HbmCounters sum;
    for (const HbmController& c : m_ctrl) sum += c.device().counters();
    return sum;
}

void HbmMemory::set_trace(std::vector<HbmTraceEntry>* trace) {
    for (HbmController& c : m_ctrl) c.set_trace(trace);
}

}  // namespace chipdse::sysc::hbm
