#pragma once
// GEMMs on the verilated weight-stationary RTL arrays (L2) inside SystemC, callable without SystemC
// or Verilator headers: the single-buffered rtl/systolic/systolic_array_ws.sv and the
// double-buffered rtl/systolic/systolic_array_ws_db.sv (a job with array.double_buffered).
//
// Each shape in CMake's CHIPDSE_SYSTOLIC_RTL_WS_SHAPES is verilated into its own model. A job runs
// on the model of its array shape pass by pass in the order of sysc::plan_tiles for the
// weight-stationary dataflow: activations and weights in through the 64-bit load port, start (with
// accumulate for every K fold after the first), wait for done, and after a tile's last K fold its
// results out through the 64-bit read port. A double-buffered job (CMake's
// CHIPDSE_SYSTOLIC_RTL_WS_DB_SHAPES) loads every pass into its own operand slot, runs the whole GEMM
// from one start with the passes pipelined, then reads every tile out. Cycles are the rising edges
// of the model's clock in each phase; the activity counters are the core's for the passes run.
//
// Shares the process's one SystemC simulation with the other models: prepare_systolic_rtl_ws()
// builds this bench, the output-stationary RTL bench and the SystemC bench, so a process that
// calls it (or run_gemm_rtl_ws) first may then run any of them. A process that runs another
// fidelity first must call prepare_systolic_rtl_ws() before that.
#include <cstdint>
#include <span>
#include <vector>

#include "sysc/systolic/systolic_model.h"

namespace chipdse::rtl {

// The verilated weight-stationary arrays in this build; k_max is their buffer depth MMAX (the
// longest M of one pass; a longer M runs in chunks), dataflow weight-stationary.
std::vector<sysc::SystolicConfig> systolic_rtl_ws_arrays();
// The verilated double-buffered weight-stationary arrays (double_buffered true, k_max their MMAX).
// One holds a whole GEMM: at most CHIPDSE_SYSTOLIC_RTL_DB_PMAX passes and
// ceil(N / cols) * M <= CHIPDSE_SYSTOLIC_RTL_DB_RMAX result rows, M, N, K < 65536.
std::vector<sysc::SystolicConfig> systolic_rtl_ws_db_arrays();

// Builds the benches unless they are there. Throws std::logic_error if the simulation has already
// started without them.
void prepare_systolic_rtl_ws();

// Runs the jobs in order, each on the array of its shape, precision and job.array.double_buffered.
// job.array.k_max and job.array.dataflow are ignored: the verilated array's MMAX and
// weight-stationary dataflow apply. Any M, N, K single-buffered. Throws std::invalid_argument
// before anything runs for a bad job, a shape that was not verilated or a GEMM larger than a
// double-buffered array holds, and std::runtime_error if the RTL does not finish a pass in time.
std::vector<sysc::GemmRun> run_gemm_rtl_ws(std::span<const sysc::GemmJob> jobs);
sysc::GemmRun run_gemm_rtl_ws(const sysc::GemmJob& job);

}  // namespace chipdse::rtl
