#pragma once
// GEMMs on the verilated RTL systolic array (L2) inside SystemC, callable without SystemC headers.
//
// Each shape in CMake's CHIPDSE_SYSTOLIC_RTL_SHAPES (int8) and CHIPDSE_SYSTOLIC_RTL_BF16_SHAPES
// (bf16 x bf16 -> fp32) is verilated from rtl/systolic/ into its own model. A job runs on the
// model of its array shape and precision, tile by tile in the order of
// sysc::plan_tiles: operands in through the 64-bit load port, start, wait for done, results out
// through the 64-bit read port. A job with array.double_buffered runs on the double-buffered array
// of CMake's CHIPDSE_SYSTOLIC_RTL_OS_DB_SHAPES: every pass into its own operand slot, one start for
// the whole GEMM with its tiles pipelined, then every tile out. Cycles are the rising edges of the
// model's clock in each phase.
//
// The RTL shares the process's one SystemC simulation with the L1 model (sysc/kernel/sim_session.h):
// prepare_systolic_rtl() builds both benches, and every run_gemm_rtl() calls it, so a process
// that runs the RTL first may then run either fidelity as often as it likes. A process that runs
// sysc::run_gemm_systemc() first must call prepare_systolic_rtl() before that.
#include <cstdint>
#include <span>
#include <vector>

#include "sysc/systolic/systolic_model.h"

namespace chipdse::rtl {

// The verilated single-buffered arrays in this build, int8 and bf16 (precision); k_max is their
// operand buffer depth (KMAX).
std::vector<sysc::SystolicConfig> systolic_rtl_arrays();
// The verilated double-buffered output-stationary arrays (double_buffered true, k_max their KMAX).
// One holds a whole GEMM: at most CHIPDSE_SYSTOLIC_RTL_DB_PMAX passes and
// ceil(N / cols) * M <= CHIPDSE_SYSTOLIC_RTL_DB_RMAX result rows, M, N, K < 65536.
std::vector<sysc::SystolicConfig> systolic_rtl_db_arrays();

// Builds the RTL bench and the SystemC bench into the session unless they are there. Throws
// std::logic_error if the simulation has already started without them.
void prepare_systolic_rtl();

// Runs the jobs in order, each on the array of its shape, precision and job.array.double_buffered.
// job.array.k_max is ignored: the verilated array's KMAX applies, and a longer K runs as K chunks
// that accumulate in the PEs (double-buffered: stream back to back). Throws std::invalid_argument
// before anything runs for a bad job, a shape that was not verilated or a GEMM larger than a
// double-buffered array holds, and std::runtime_error if the RTL does not finish a pass in time.
std::vector<sysc::GemmRun> run_gemm_rtl(std::span<const sysc::GemmJob> jobs);
sysc::GemmRun run_gemm_rtl(const sysc::GemmJob& job);
// a: m x k row-major, b: k x n row-major.
sysc::GemmRun run_gemm_rtl(std::int64_t rows, std::int64_t cols, const sysc::GemmShape& shape, const std::int8_t* a,
                           const std::int8_t* b);

}  // namespace chipdse::rtl
