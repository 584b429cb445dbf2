#pragma once
// SystemC timing shell of the output-stationary systolic array (L1). A clocked thread takes
// queued GEMM jobs and runs them tile by tile: for each tile it spends the load, compute and
// readout cycles of the functional/timing core (systolic_model.h) on its clock, and takes the
// tile's results from the core. Cycles are measured from simulated time, not copied from the core.
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

    // Queues a validated job; `out` is filled when its last tile has been read out. Both must
    // stay alive until then. Any array shape: the shell is configured per job.
    void submit(const GemmJob& job, GemmRun& out) { m_queue.emplace_back(&job, &out); }
    bool idle() const { return m_queue.empty(); }

    // Called on the clock edge at which the queue runs empty; a bench stops its clock here.
    std::function<void()> on_idle;

private:
    void main();
    void run_job(const GemmJob& job, GemmRun& out);
    // Waits `cycles` rising edges and adds the cycles that simulated time says passed to `phase`.
    void spend(std::int64_t cycles, std::int64_t& phase);

    sc_core::sc_time m_period;
    std::deque<std::pair<const GemmJob*, GemmRun*>> m_queue;
};

}  // namespace chipdse::sysc
