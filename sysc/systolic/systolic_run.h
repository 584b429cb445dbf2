#pragma once
// GEMMs on the SystemC model of the systolic array (L1), callable without SystemC headers.
//
// Every call in a process resumes the process's one SystemC simulation (sysc/kernel/sim_session.h),
// so a process may call these any number of times, in batches or one by one. A process that will
// also run the RTL must call chipdse::rtl::prepare_systolic_rtl() before its first run of either.
#include <cstdint>
#include <span>
#include <vector>

#include "sysc/systolic/systolic_model.h"

namespace chipdse::sysc {

// Builds the SystemC bench into the session unless it is there (no-op afterwards). Throws
// std::logic_error if the simulation has already started without it.
void prepare_systolic_sc();

// Runs the jobs in order in one resumption of the simulation. Throws std::invalid_argument for a
// bad job before anything runs. Timing-only jobs (sysc::timing_job) run on the event-driven
// process, the others on the clocked one; the two run side by side in simulated time.
std::vector<GemmRun> run_gemm_systemc(std::span<const GemmJob> jobs);
GemmRun run_gemm_systemc(const GemmJob& job);
// a: m x k row-major, b: k x n row-major; the array's operand buffers are taken as unbounded.
GemmRun run_gemm_systemc(std::int64_t rows, std::int64_t cols, const GemmShape& shape, const std::int8_t* a,
                         const std::int8_t* b);

}  // namespace chipdse::sysc
