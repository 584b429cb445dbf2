#pragma once
// GEMMs on the SystemC matrix engine (L1) with operands fetched over TLM-2.0, callable without
// SystemC headers. The engine (matrix_engine_sc.h) runs the array's passes from a two-bank operand
// SRAM: pass i computes while pass i+1's operands are fetched, and each tile's results are
// written back. The memory is either a latency + bandwidth target (closed form:
// double_buffered_cycles) or the HBM model's TLM target (sysc/hbm/hbm_sc.h). Timing only: no
// operand data. Every call resumes the process's one SystemC simulation (sysc/kernel/sim_session.h).
#include <cstdint>

#include "sysc/hbm/hbm_config.h"
#include "sysc/systolic/matrix_engine_model.h"

namespace chipdse::sysc {

enum class EngineMemory { kSimple, kHbm };

struct EngineJob {
    SystolicConfig array;
    GemmShape shape;
    double clock_hz = 1e9;  // the engine's clock: cycles are counted in its periods
    EngineSram sram;
    EngineMemory memory = EngineMemory::kSimple;
    SimpleMemoryTiming simple;  // kSimple: latency and bandwidth in the engine's cycles
    hbm::HbmConfig hbm;         // kHbm: the memory (requests must fit its queues: 64 B on the presets)
};

struct EngineRun {
    EngineCycles cycles;       // measured from simulated time, in the engine's cycles
    SystolicActivity activity;  // the array's (operand_writes are the SRAM fills, in elements)
    std::int64_t fetch_bytes = 0, writeback_bytes = 0;  // bytes the memory target served
    std::int64_t requests = 0;  // TLM transactions
    double time_s = 0;          // simulated time of the GEMM
};

// Builds the SystemC bench into the session unless it is there. Throws std::logic_error if the
// simulation has already started without it.
void prepare_matrix_engine_sc();

// Runs one GEMM. Throws std::invalid_argument for a bad job (shape, array, rates, a request the
// HBM's queues cannot take) before anything runs, std::logic_error when the memory answers errors.
EngineRun run_matrix_engine_systemc(const EngineJob& job);

}  // namespace chipdse::sysc
