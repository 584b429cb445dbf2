#pragma once
// A whole HBM memory (every channel of every stack) behind one request interface: requests of
// any size are split into bursts by the address mapping and queued at their channels'
// controllers; a request is done when its last burst's data has moved. Plain C++, no SystemC:
// the cycle-level core that tests, the characterisation runner and the SystemC shell all drive.
//
// Contract: try_enqueue(..., arrival) with arrival later than the last cycle stepped; then
// step(now) for now = next_cycle(), repeatedly. A request is accepted whole or not at all.
// step() reports each request whose last burst was issued, with the cycle its data transfer
// ends (known at issue: RD + CL + burst, WR + CWL + burst).
#include <cstdint>
#include <vector>

#include "sysc/hbm/hbm_address.h"
#include "sysc/hbm/hbm_controller.h"

namespace chipdse::sysc::hbm {

struct HbmDone {
    std::uint64_t id = 0;
    std::int64_t arrival = 0, done = 0;
    std::int64_t bytes = 0;
    bool write = false;
};

class HbmMemory {
public:
    explicit HbmMemory(const HbmConfig& c);

    const HbmConfig& config() const { return m_cfg; }
    const HbmAddressMap& address_map() const { return m_map; }

    // Bursts a request of `bytes` at `addr` covers.
    std::int64_t bursts(std::uint64_t addr, std::int64_t bytes) const;
    // Whether the request could ever be accepted: its bursts fit into empty queues.
    bool fits(std::uint64_t addr, std::int64_t bytes, bool write) const;
    bool try_enqueue(std::uint64_t id, std::uint64_t addr, std::int64_t bytes, bool write, std::int64_t arrival);

    void step(std::int64_t now, std::vector<HbmDone>& done);
    std::int64_t next_cycle() const;
    // Requests accepted whose last burst has not issued yet.
    std::size_t in_flight() const { return m_in_flight; }

    HbmCounters counters() const;
    const HbmController& controller(int channel) const { return m_ctrl[static_cast<size_t>(channel)]; }
    void set_trace(std::vector<HbmTraceEntry>* trace);

private:
    struct Slot {
        std::uint64_t id = 0;
        std::int64_t arrival = 0, done = 0, bytes = 0;
        std::int64_t remaining = 0;
        bool write = false;
    };
    // The bursts of a request (m_locs) and how many go to each queue (channel x pseudo-channel):
    // m_per_queue. A refused request is retried until taken: the last one is kept decoded.
    void decode_request(std::uint64_t addr, std::int64_t bytes) const;

    HbmConfig m_cfg;
    HbmAddressMap m_map;
    std::vector<HbmController> m_ctrl;
    std::vector<std::int64_t> m_wake;  // per channel: its controller's next_cycle(), side by side
    std::vector<Slot> m_slots;
    std::vector<std::uint32_t> m_free;
    std::size_t m_in_flight = 0;
    mutable std::vector<int> m_need;  // scratch, all 0 between calls
    mutable std::vector<HbmLocation> m_locs;
    mutable std::vector<std::pair<int, int>> m_per_queue;
    mutable std::uint64_t m_decoded_addr = 0;
    mutable std::int64_t m_decoded_bytes = -1;
    std::vector<HbmIssued> m_issued;
};

}  // namespace chipdse::sysc::hbm
