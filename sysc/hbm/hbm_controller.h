#pragma once
// One channel's memory controller (plain C++, no SystemC): read and write queues of bursts, an
// open-page FR-FCFS scheduler with write-drain watermarks, and all-bank refresh per
// pseudo-channel, driving the channel's HbmChannelDevice.
//
// Contract: the owner enqueues bursts with an arrival cycle later than the last cycle stepped,
// then calls step(now) for now = next_cycle() (or any later cycle up to it). step issues at most
// one row command (ACT, PRE, REF) and one column command (RD, WR) at `now` and reports each burst
// whose column command issued, with the cycle its data transfer ends. next_cycle() is the first
// cycle at which step can issue anything: the core never spends work on a cycle where nothing
// can happen.
//
// Policy (docs/hbm.md): each pseudo-channel has its own read and write queue; its active queue is
// the read queue, or the write queue while draining (from write_high entries down to write_low, or
// whenever no read waits). The column bus takes the oldest ready row hit of any active queue; the
// row bus serves a due refresh first, then the oldest request whose ACT or PRE is ready. A row is
// not closed while its queue still has hits for it, unless it has served kRowHitCap of them since
// it opened. Refresh is all-bank per pseudo-channel, every tREFI, all pseudo-channels at once; a
// pseudo-channel whose refresh is due takes no new commands but the precharges and the REF.
//
// The queues are kept per bank (HbmBankQueues): a step looks at banks, not at every queued burst,
// and decides exactly what a scan of the queues in age order would, next_cycle() included.
#include <cstdint>
#include <vector>

#include "sysc/hbm/hbm_bank_queues.h"
#include "sysc/hbm/hbm_device.h"

namespace chipdse::sysc::hbm {

// A burst whose column command issued: its data transfer ends at cycle `done`.
struct HbmIssued {
    std::uint32_t slot = 0;
    std::int64_t done = 0;
    bool write = false;
};

struct HbmTraceEntry {
    std::int64_t cycle = 0;
    HbmCommand cmd = HbmCommand::kAct;
    HbmLocation loc;
};

class HbmController {
public:
    static constexpr int kRowHitCap = 32;

    HbmController(const HbmConfig& c, int channel);

    int free_entries(int pc, bool write) const { return m_queues[write].free_entries(pc); }
    // Queues a burst at its pseudo-channel. Throws std::logic_error when that queue is full or
    // `b.arrival` is not after the last step.
    void enqueue(bool write, HbmBurst b);
    void step(std::int64_t now, std::vector<HbmIssued>& issued);
    std::int64_t next_cycle() const { return m_next; }

    bool draining(int pc) const { return m_drain[static_cast<size_t>(pc)] != 0; }
    std::size_t queued(int pc, bool write) const { return static_cast<std::size_t>(m_queues[write].size(pc)); }
    const HbmChannelDevice& device() const { return m_dev; }
    // Every command issued is appended to `trace` (null: none).
    void set_trace(std::vector<HbmTraceEntry>* trace) { m_trace = trace; }

private:
    void update_mode(int pc);
    void issue(HbmCommand cmd, const HbmLocation& loc, std::int64_t now);
    HbmLocation bank_location(int pc, int bank) const;

    HbmConfig m_cfg;
    int m_channel;
    HbmChannelDevice m_dev;
    HbmBankQueues m_queues[2];   // the read queues, the write queues
    std::vector<char> m_drain;  // per pseudo-channel: the write queue is the active one
    std::uint64_t m_seq = 0;
    std::vector<std::int64_t> m_ref_due;  // per pseudo-channel
    std::vector<char> m_ref_pending;
    std::vector<int> m_row_hits;               // per bank: column commands since its ACT
    std::vector<int> m_capped;                 // per pseudo-channel: banks with kRowHitCap of them
    std::int64_t m_next = kNever, m_last_step = -1;
    std::vector<HbmTraceEntry>* m_trace = nullptr;
};

}  // namespace chipdse::sysc::hbm
