#pragma once
// SystemC timing shell of the systolic array (L1), any dataflow. Queued GEMM jobs run pass by pass
// (plan_tiles): for each pass the shell spends the load, compute and readout cycles of the
// functional/timing core (systolic_model.h) and takes the pass's partial results from the core.
// Cycles are measured from simulated time, not copied from the core. A double-buffered array
// (SystolicConfig::double_buffered) spends each pass's share of the pipelined timeline as its
// compute phase (tile_cycles), so the passes' compute phases add up to the overlapped GEMM.
//
// Two processes, one per mode:
//   clocked      an SC_CTHREAD on the clock's rising edge; every cycle of every phase is an edge.
//   timing-only  an SC_THREAD that spends each phase as one timed wait of cycles x period (no
//                operands, no clock): event-driven, a few events per pass whatever its length.
#include <deque>
#include <functional>
#include <systemc>
#include <utility>

#include "sysc/systolic/systolic_model.h"

namespace chipdse::sysc {

class SystolicSc : public sc_core::sc_module {
public:
    sc_core::sc_in<bool> clk;

    SC_HAS_PROCESS(SystolicSc);
    // `period` must be the period of the clock bound to clk.
    SystolicSc(const sc_core::sc_module_name& name, const sc_core::sc_time& period);

    // Queues a validated job; `out` is filled when its last pass has been read out. Both must
    // stay alive until then. Any array shape and dataflow: the shell is configured per job.
    // Timing-only jobs go to the timed process and need no clock.
    void submit(const GemmJob& job, GemmRun& out);
    bool idle() const { return m_queue.empty() && m_timed_queue.empty(); }
    // True when some queued job needs the clock.
    bool needs_clock() const { return !m_queue.empty(); }

    // Called on the clock edge at which the clocked queue runs empty; a bench stops its clock here.
    std::function<void()> on_idle;

private:
    void main();
    void timed_main();
    template <class Spend>
    void run_job(const GemmJob& job, GemmRun& out, Spend spend);
    // Waits `cycles` rising edges and adds the cycles that simulated time says passed to `phase`.
    void spend_clocked(std::int64_t cycles, std::int64_t& phase);
    // One timed wait of `cycles` periods, measured the same way.
    void spend_timed(std::int64_t cycles, std::int64_t& phase);

    sc_core::sc_time m_period;
    std::deque<std::pair<const GemmJob*, GemmRun*>> m_queue, m_timed_queue;
    sc_core::sc_event m_timed_kick;
};

}  // namespace chipdse::sysc
