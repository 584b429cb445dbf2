#pragma once
// The matrix engine around the systolic array, in plain C++ (no SystemC): a GEMM's passes
// (plan_tiles) fed from a memory through a two-bank operand SRAM, the array computing pass i from
// one bank while pass i+1's operands fill the other (double buffering). This header gives each
// pass's traffic and the closed form of the schedule against a latency + bandwidth memory; the
// SystemC module (matrix_engine_sc.h, API in matrix_engine_run.h) measures the same schedule with
// TLM-2.0 transactions. Equations and derivation: docs/systolic.md, "Matrix engine".
#include <cstdint>
#include <vector>

#include "sysc/systolic/systolic_model.h"

namespace chipdse::sysc {

inline constexpr std::int64_t kResultBytes = 4;  // int32 or fp32 per result element

// Bytes of one operand element: 1 (int8) or 2 (bf16).
std::int64_t operand_bytes(const SystolicConfig& array);

// One pass as the engine runs it: the array's compute cycles (start, skewed stream, drain;
// tile_cycles().compute: for a double-buffered array the pass's share of the pipelined timeline,
// the wait for the next pass included), the operand bytes fetched into its SRAM bank before it starts, and the
// result bytes written back to memory after it (a tile's results, after its last pass only).
struct EnginePass {
    std::int64_t compute = 0;
    std::int64_t fetch_bytes = 0;
    std::int64_t writeback_bytes = 0;
};
std::vector<EnginePass> engine_passes(const SystolicConfig& array, const GemmShape& shape);

// A memory that serves requests one after the other at `bytes_per_cycle` (0: unbounded) and
// answers each `latency` cycles after its data has moved (matrix_engine_sc.h, SimpleMemorySc).
// A request of b bytes occupies it ceil(b / bytes_per_cycle) whole cycles.
struct SimpleMemoryTiming {
    std::int64_t latency = 0;
    double bytes_per_cycle = 0;
};

// The engine's side of the transfers.
struct EngineSram {
    double fill_bytes_per_cycle = 0;  // operand SRAM write bandwidth; 0: unbounded
    std::int64_t request_bytes = 64;  // transfers are cut into requests of at most this; 0: one request each
};

// The engine's cycles by part; total() is the GEMM's time.
struct EngineCycles {
    std::int64_t passes = 0;
    std::int64_t first_fetch = 0;     // pass 0's operands, before anything computes
    std::int64_t steps = 0;           // sum over passes of max(compute_i, memory work of step i)
    std::int64_t last_writeback = 0;  // the last tile's results, after the last pass
    std::int64_t compute = 0;         // sum of compute_i (the array busy)
    std::int64_t stall = 0;           // steps - compute: the array waiting on memory
    std::int64_t total() const { return first_fetch + steps + last_writeback; }
    bool operator==(const EngineCycles&) const = default;
};

// Cycles the simple memory and the SRAM take for one step's transfers: the write-back of
// `write_bytes` and the fetch of `fetch_bytes`, all requests issued at once:
//   max(latency + xfer(write) + xfer(fetch), ceil(fetch / fill)), 0 when there is nothing to move,
// xfer(X) = sum over X's requests of ceil(request / bytes_per_cycle).
std::int64_t simple_step_cycles(const SimpleMemoryTiming& mem, const EngineSram& sram, std::int64_t write_bytes,
                                std::int64_t fetch_bytes);

// The closed form on the simple memory (docs/systolic.md):
//   total = X(0, F_0) + sum_i max(C_i, X(W_{i-1}, F_{i+1})) + X(W_{n-1}, 0)
// with X = simple_step_cycles, W_{-1} = F_n = 0, C_i = engine_passes()[i].compute (pipelined
// when array.double_buffered: unbounded memory then gives the double-buffered gemm_cycles).
EngineCycles double_buffered_cycles(const SystolicConfig& array, const GemmShape& shape,
                                    const SimpleMemoryTiming& mem, const EngineSram& sram);

}  // namespace chipdse::sysc
