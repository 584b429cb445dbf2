#pragma once
// SystemC/TLM-2.0 timing shell of the HBM model (L1): a target socket that takes read and write
// transactions of any size and answers each when its data has moved, as the plain C++ core
// (HbmMemory) says. The shell holds no clock: after every step it asks the core for the next
// cycle at which anything can happen and sleeps until then, so idle cycles cost nothing.
//
// Transactions: the base protocol's four phases (nb_transport_fw, BEGIN_REQ may be refused for a
// while: END_REQ comes when the controllers' queues take it; BEGIN_RESP when the last burst's
// data has moved), or b_transport (blocks the caller as long), or transport_dbg (data only).
// Reads return what was written (a sparse byte store; unwritten bytes read as 0). Errors:
// TLM_ADDRESS_ERROR_RESPONSE past the capacity, TLM_BYTE_ENABLE_ERROR_RESPONSE for byte
// enables, TLM_BURST_ERROR_RESPONSE for streaming or a request larger than a queue,
// TLM_COMMAND_ERROR_RESPONSE for TLM_IGNORE_COMMAND.
//
// Timing: cycle c starts at epoch + c tCK (epoch: the time of configure()). A request that
// arrives at time t is queued for the first cycle starting at or after t; the core steps cycle c
// one time-resolution unit after its start, so every request that arrives at a cycle's start
// takes part in it, as in the core's own runner; responses go out at the start of the cycle the
// data transfer ends.
#include <cstdint>
#include <memory>
#include <queue>
#include <systemc>
#include <tlm>
#include <tlm_utils/peq_with_cb_and_phase.h>
#include <tlm_utils/simple_target_socket.h>
#include <unordered_map>
#include <vector>

#include "sysc/hbm/hbm_memory.h"

namespace chipdse::sysc::hbm {

class HbmSc : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<HbmSc> socket;

    SC_HAS_PROCESS(HbmSc);
    explicit HbmSc(const sc_core::sc_module_name& name);

    // A new, empty memory of `config` whose cycle 0 starts now. Only while no transaction is in
    // flight; the byte store is kept unless `clear_data`.
    void configure(const HbmConfig& config, bool clear_data = true);
    bool configured() const { return m_mem != nullptr; }
    const HbmMemory& memory() const { return *m_mem; }
    bool idle() const { return m_pending.empty() && m_blocked == nullptr; }

    sc_core::sc_time time_of(std::int64_t cycle) const;
    std::int64_t cycle_at(const sc_core::sc_time& t) const;  // the first cycle starting at or after t

private:
    struct Pending {
        tlm::tlm_generic_payload* trans = nullptr;
        sc_core::sc_event* done = nullptr;  // b_transport: notified at the response time; null: AT
    };
    struct Response {
        std::int64_t cycle;
        std::uint64_t seq, id;
        bool operator>(const Response& o) const { return cycle != o.cycle ? cycle > o.cycle : seq > o.seq; }
    };

    tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                       sc_core::sc_time& delay);
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
    void peq_cb(tlm::tlm_generic_payload& trans, const tlm::tlm_phase& phase);
    void wake();
    void reschedule();

    // Checks a request; on a bad one sets its error status and returns false.
    bool check(tlm::tlm_generic_payload& trans) const;
    // Queues `trans` at the current time if the controllers take it.
    bool try_accept(tlm::tlm_generic_payload& trans, sc_core::sc_event* done);
    void respond(std::uint64_t id);
    void copy_data(tlm::tlm_generic_payload& trans, bool into_store);

    std::unique_ptr<HbmMemory> m_mem;
    double m_tck_s = 1e-9;
    sc_core::sc_time m_epoch;
    sc_core::sc_event m_wake, m_space;
    tlm_utils::peq_with_cb_and_phase<HbmSc> m_peq;
    std::int64_t m_tick = -1;       // the cycle the pending wake-up steps, -1: none
    std::int64_t m_last_step = -1;  // the last cycle stepped
    std::uint64_t m_next_id = 0, m_seq = 0;
    std::unordered_map<std::uint64_t, Pending> m_pending;
    std::priority_queue<Response, std::vector<Response>, std::greater<>> m_responses;
    std::vector<HbmDone> m_done;
    tlm::tlm_generic_payload* m_blocked = nullptr;  // BEGIN_REQ refused so far (queues full)
    bool m_resp_busy = false;                       // a BEGIN_RESP awaits its END_RESP
    tlm::tlm_generic_payload* m_resp_trans = nullptr;
    std::unordered_map<std::uint64_t, std::vector<unsigned char>> m_pages;  // the byte store, 4 KiB pages
    // Recent answers of time_of() and cycle_at(), direct-mapped: the shell asks both for the same
    // few cycles and times many times over (every request, response and wake-up of a cycle).
    static constexpr std::size_t kMemo = 16;
    struct TimeOf {
        std::int64_t cycle = -1;
        sc_core::sc_time time;
    };
    struct CycleAt {
        bool valid = false;
        sc_core::sc_time time;
        std::int64_t cycle = 0;
    };
    mutable TimeOf m_time_of[kMemo];
    mutable CycleAt m_cycle_at[kMemo];
};

}  // namespace chipdse::sysc::hbm
