#pragma once
// SystemC/TLM-2.0 matrix engine (L1): the systolic array's passes (plan_tiles) fed from a memory
// target through a two-bank operand SRAM. Step i: the array computes pass i (one timed wait of its
// compute cycles, tile_cycles().compute) while the memory port writes back the results of pass
// i-1 (a tile's results after its last pass) and fetches pass i+1's operands into the other bank;
// the next step starts when both are done, on the engine's clock edge. Before pass 0 the port
// fetches its operands; after the last pass it writes back the last results. Event-driven: a few
// events per step plus one per TLM request, no clock. Timing only (payloads carry no operands).
//
// The memory port is a TLM-2.0 base-protocol initiator: each transfer is cut into requests of at
// most EngineSram::request_bytes, sent in order as soon as the target takes each (END_REQ), and
// the step's memory work ends with its last BEGIN_RESP, and no earlier than the SRAM bank can be
// filled at EngineSram::fill_bytes_per_cycle. Operands are read from consecutive addresses of the
// lower half of the target (a tiled layout a DMA streams), results written to the upper half.
//
// SimpleMemorySc is a target for closed forms: it moves requests one after the other at a fixed
// bandwidth and answers each a fixed latency after its data has moved (double_buffered_cycles).
#include <cstdint>
#include <memory>
#include <systemc>
#include <tlm>
#include <tlm_utils/peq_with_cb_and_phase.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <vector>

#include "sysc/systolic/matrix_engine_run.h"

namespace chipdse::sysc {

class SimpleMemorySc : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<SimpleMemorySc> socket;

    explicit SimpleMemorySc(const sc_core::sc_module_name& name);
    // Rates in cycles of `period`. Only while idle.
    void configure(const sc_core::sc_time& period, const SimpleMemoryTiming& timing);
    std::int64_t bytes_read() const { return m_read; }
    std::int64_t bytes_written() const { return m_written; }

private:
    tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    void peq_cb(tlm::tlm_generic_payload& trans, const tlm::tlm_phase& phase);
    // Serves a request arriving at `arrival`; returns when its response is due.
    sc_core::sc_time serve(tlm::tlm_generic_payload& trans, const sc_core::sc_time& arrival);

    sc_core::sc_time m_period{1, sc_core::SC_NS};
    SimpleMemoryTiming m_timing;
    sc_core::sc_time m_free;  // the data path is busy until then
    std::int64_t m_read = 0, m_written = 0;
    tlm_utils::peq_with_cb_and_phase<SimpleMemorySc> m_peq;
};

class MatrixEngineSc : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<MatrixEngineSc> socket;

    SC_HAS_PROCESS(MatrixEngineSc);
    explicit MatrixEngineSc(const sc_core::sc_module_name& name);

    // Starts a validated job now; `out` is filled when its last write-back is done. Both must stay
    // alive until then. One job at a time. `target_bytes`: the target's size (addresses wrap in it);
    // `granule`: requests are rounded up to whole granules (the HBM's burst), 1 for none.
    void start(const EngineJob& job, EngineRun& out, std::uint64_t target_bytes, std::int64_t granule);
    bool idle() const { return m_job == nullptr; }
    std::int64_t errors() const { return m_errors; }

private:
    struct Work {
        std::int64_t write_bytes = 0, fetch_bytes = 0;
    };

    void control();
    void memory();
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
    // Hands `w` to the memory port / waits until it is done / waits for the next clock edge.
    void begin_work(const Work& w);
    void wait_work();
    void align();
    std::int64_t cycles_since(const sc_core::sc_time& from) const;
    void send(std::uint64_t addr, std::int64_t bytes, bool write);
    tlm::tlm_generic_payload* payload();

    const EngineJob* m_job = nullptr;
    EngineRun* m_out = nullptr;
    bool m_go = false;
    sc_core::sc_event m_start;
    sc_core::sc_time m_period{1, sc_core::SC_NS}, m_epoch;
    std::uint64_t m_half = 0, m_read_addr = 0, m_write_addr = 0;
    std::int64_t m_granule = 1;

    Work m_work;
    bool m_busy = false;  // the memory port has work
    sc_core::sc_event m_work_kick, m_work_done;
    std::int64_t m_outstanding = 0, m_errors = 0;
    tlm::tlm_generic_payload* m_open = nullptr;  // the request whose END_REQ is awaited
    sc_core::sc_event m_end_req, m_response;
    std::vector<std::unique_ptr<tlm::tlm_generic_payload>> m_payloads;
    std::vector<tlm::tlm_generic_payload*> m_free;
    std::vector<unsigned char> m_scratch;  // the payloads' data (timing only: its contents are not used)
};

}  // namespace chipdse::sysc
