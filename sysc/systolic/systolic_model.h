#pragma once
// Plain C++ functional and timing core of the systolic array in rtl/systolic/ (no SystemC), in
// output-, weight- and input-stationary dataflows. It plans a GEMM into tiles, gives the exact
// cycles of each phase of a tile as the RTL runs it, counts MACs and SRAM accesses, and computes
// the int32 result. The SystemC shell (systolic_sc.h) spends these cycles on a clock or as timed
// waits; the RTL wrappers (rtl/systolic/systolic_rtl*.h) must measure the same.
// The equations and their derivation: docs/systolic.md.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dse/spec/chip_spec.h"

namespace chipdse::sysc {

inline constexpr std::int64_t kPortBytes = 8;      // the load and read ports are 64 bits wide
inline constexpr std::int64_t kDefaultKMax = 256;  // rtl/systolic/systolic_array.sv KMAX default

using spec::Dataflow;

// An R x C int8 array whose operand buffers hold k_max elements per lane.
//   output-stationary (OS): C[M x N] tiles stay in the PEs, A rows enter from the left, B columns
//     from the top, K streams; weight-stationary (WS): a K x N block of B sits in the PEs
//     (K on rows, N on columns), A rows stream over M and partial sums leave at the bottom;
//     input-stationary (IS): a K x M block of A sits in the PEs, B columns stream over N.
// k_max bounds the streamed dimension of one pass (K for OS, M for WS, N for IS): a longer one
// runs as several passes over stream chunks (docs/systolic.md, "Folding").
struct SystolicConfig {
    std::int64_t rows = 0, cols = 0;
    std::int64_t k_max = 0;  // operand buffer depth: longest stream of one pass; 0 = unbounded
    Dataflow dataflow = Dataflow::kOutputStationary;
    // kInt8: int8 x int8 -> int32; kBf16: bf16 x bf16 -> fp32 (bf16_mac.h), any dataflow; every
    // element accumulated from +0, k ascending, in all of them.
    spec::Precision precision = spec::Precision::kInt8;
    // Wavefront-pipelined passes (docs/systolic.md, "Double-buffered array"): the next pass's
    // operands enter behind this pass's wavefront (WS/IS weights preloaded into shadow registers,
    // OS results drained through shadow registers), so fill and drain are paid once per GEMM.
    // Changes the compute cycles only; false is the RTL's single-buffered array.
    bool double_buffered = false;
    bool operator==(const SystolicConfig&) const = default;
};

// Operands per 64-bit load word: 8 int8 or 4 bf16 (results are 2 per read word either way).
std::int64_t operands_per_word(const SystolicConfig& array);

// "os", "ws", "is".
const char* dataflow_name(Dataflow d);
// Throws std::invalid_argument for anything but os, ws, is.
Dataflow parse_dataflow(const std::string& name);

// The array of a chip's matrix engine, in the engine's dataflow and double buffering. Throws
// std::invalid_argument unless the engine is an array of at least 2 x 2.
SystolicConfig systolic_config(const spec::MatrixEngineSpec& engine, std::int64_t k_max = kDefaultKMax);

// C[m x n] = A[m x k] * B[k x n].
struct GemmShape {
    std::int64_t m = 0, n = 0, k = 0;
    bool operator==(const GemmShape&) const = default;
};

// One pass of the array: rows m0..m0+m-1 and columns n0..n0+n-1 of C, reduction indices
// k0..k0+k-1. OS: m <= rows, n <= cols, k <= k_max; WS: k <= rows, n <= cols, m <= k_max;
// IS: k <= rows, m <= cols, n <= k_max. k == 0 means all of K (k0 = 0).
struct Tile {
    std::int64_t m0 = 0, n0 = 0, m = 0, n = 0;
    std::int64_t k0 = 0, k = 0;
    bool operator==(const Tile&) const = default;
};

// Clock cycles of a run by phase. Phases never overlap: a tile loads, then computes, then reads out.
struct SystolicCycles {
    std::int64_t tiles = 0;
    std::int64_t load = 0;     // operand words through the load port
    std::int64_t compute = 0;  // clear + stream + drain inside the array
    std::int64_t readout = 0;  // result words through the read port
    std::int64_t total() const { return load + compute + readout; }
    SystolicCycles& operator+=(const SystolicCycles& o);
    bool operator==(const SystolicCycles&) const = default;
};

// Activity for the energy model, in elements (int8 operands, int32 results).
struct SystolicActivity {
    std::int64_t macs = 0;            // useful multiply-accumulates, M * N * K for a GEMM
    std::int64_t operand_writes = 0;  // operand elements written into the operand buffers (load port)
    std::int64_t operand_reads = 0;   // operand elements read from the buffers into the array
    std::int64_t result_writes = 0;   // results (or partial sums) written into the result buffer
    std::int64_t result_reads = 0;    // results read: partial sums re-read to accumulate, read port
    std::int64_t sram_reads() const { return operand_reads + result_reads; }
    std::int64_t sram_writes() const { return operand_writes + result_writes; }
    SystolicActivity& operator+=(const SystolicActivity& o);
    bool operator==(const SystolicActivity&) const = default;
};

// Passes in the order every fidelity runs them, reduction chunks innermost so that a tile's
// partial sums are finished before the next tile starts:
//   OS: row folds (M) outer, column folds (N), K chunks of k_max inner;
//   WS: column folds (N) outer, M chunks of k_max, K folds of R inner;
//   IS: column folds (M) outer, N chunks of k_max, K folds of R inner.
std::vector<Tile> plan_tiles(const SystolicConfig& array, const GemmShape& shape);

// True for the first / last pass over a tile's reduction (it clears / drains and reads out).
inline bool first_pass(const Tile& t) { return t.k0 == 0; }
bool last_pass(const GemmShape& shape, const Tile& t);
// True for the first / last pass of the whole GEMM in plan_tiles order.
inline bool first_gemm_pass(const Tile& t) { return t.m0 == 0 && t.n0 == 0 && t.k0 == 0; }
bool last_gemm_pass(const GemmShape& shape, const Tile& t);

// One pass's phases, exactly as the RTL runs them (R x C array, k = tile.k):
//   OS: load    = (m + n) * ceil(k / E)        E = 8 K elements (4 for bf16) of one A row or B column per word
//       compute = 1 + (k + R + C - 2) + [last] R    start + skewed stream + drain after the last chunk
//       readout = [last] m * ceil(n / 2)       2 int32 results of one C row per word
//   WS: load    = k * ceil(m / E) + n * ceil(k / E)   A lanes over M, B columns over K
//       compute = 1 + R + (m + R + C - 2)      start + weight shift-in + skewed stream (outputs leave as it runs)
//       readout = [last] m * ceil(n / 2)
//   IS: WS on the transposed GEMM (C^T = B^T A^T): m and n swap roles, C^T rows are read out.
// With array.double_buffered, compute is the pass's share of the pipelined timeline (load and
// readout unchanged), s its stream (OS: the chunk's k, WS: m, IS: n), K the whole reduction:
//   OS: s + [first of the GEMM] 1 + [last K chunk, not last of the GEMM] max(0, R - K)
//         + [last of the GEMM] (2R + C - 2)
//   WS: s + [first of the GEMM] (1 + R) + [not last of the GEMM] max(0, R - s)
//         + [last of the GEMM] (R + C - 2)
// so that the passes' sum is the GEMM's time: a pass's stream follows the previous one's at once
// unless the column ports still move the previous pass's R drained results (OS) or the next
// pass's R preloaded weights (WS), which takes R cycles per pass.
SystolicCycles tile_cycles(const SystolicConfig& array, const GemmShape& shape, const Tile& tile);
SystolicActivity tile_activity(const SystolicConfig& array, const GemmShape& shape, const Tile& tile);

// The sums of tile_cycles and tile_activity over plan_tiles in closed form (docs/systolic.md), O(1).
// Double-buffered compute, P passes, stream s_p, R x C array (docs/systolic.md):
//   sum_{p < P-1} max(s_p, R) + s_{P-1} + 2R + C - 1   (OS: one "pass" per tile, s = K)
SystolicCycles gemm_cycles(const SystolicConfig& array, const GemmShape& shape);
SystolicActivity gemm_activity(const SystolicConfig& array, const GemmShape& shape);

// The compute timeline: for each pass of plan_tiles, the step (counted from the step after the
// GEMM's start edge) in which PE(0, 0) does the pass's first MAC; PE(i, j) does the pass's MACs in
// steps start + i + j + [0, stream). Double-buffered: each stream behind the previous one, max(s, R)
// apart (an OS tile's K chunks back to back); single-buffered: after the previous passes' compute,
// this pass's start edge and (WS, IS) weight load.
std::vector<std::int64_t> pass_stream_starts(const SystolicConfig& array, const GemmShape& shape);

// SCALE-Sim's compute cycles for comparison (docs/systolic.md), in the array's dataflow:
// the paper's OS folds * (2R + C + K - 2), and SCALE-Sim v2's code: OS folds * (R + C + K - 2),
// WS ceil(K/R) ceil(N/C) * (2R + C + M - 2), IS ceil(K/R) ceil(M/C) * (2R + C + N - 2).
std::int64_t scalesim_os_paper_cycles(const SystolicConfig& array, const GemmShape& shape);
std::int64_t scalesim_v2_os_cycles(const SystolicConfig& array, const GemmShape& shape);
std::int64_t scalesim_v2_cycles(const SystolicConfig& array, const GemmShape& shape);

// Adds A rows x B columns of `tile` over its K range into c (m x n row-major); a first pass
// overwrites. Accumulates in int32 with two's-complement wrap, as the RTL's 32-bit adders do.
void compute_tile(const GemmShape& shape, const Tile& tile, std::span<const std::int8_t> a,
                  std::span<const std::int8_t> b, std::span<std::int32_t> c);
// The same for bf16 operands: c holds fp32 bit patterns, accumulated k ascending with bf16_mac.
void compute_tile(const GemmShape& shape, const Tile& tile, std::span<const std::uint16_t> a,
                  std::span<const std::uint16_t> b, std::span<std::int32_t> c);

// Copies a tile's results (m x n row-major) into their place in C (shape.m x shape.n row-major).
void store_tile(const GemmShape& shape, const Tile& tile, std::span<const std::int32_t> tile_c,
                std::span<std::int32_t> c);

// The plain triple loop (int64 sums truncated to int32), the reference the fidelities must match.
std::vector<std::int32_t> reference_gemm(const GemmShape& shape, std::span<const std::int8_t> a,
                                         std::span<const std::int8_t> b);

// A GEMM for one array; the unit of work of every run_gemm_* API.
struct GemmJob {
    SystolicConfig array;
    GemmShape shape;
    std::vector<std::int8_t> a;  // m x k, row-major
    std::vector<std::int8_t> b;  // k x n, row-major
    // No operands (a and b empty) and no result: the SystemC shell spends each phase as one timed
    // wait instead of clock edges. Cycles and activity are the same.
    bool timing_only = false;
    // A bf16 array's operands, bf16 bit patterns (m x k and k x n, row-major); a and b stay empty.
    std::vector<std::uint16_t> a_bf16{}, b_bf16{};
};

struct GemmRun {
    SystolicCycles cycles;
    SystolicActivity activity;
    std::vector<std::int32_t> c;  // m x n, row-major (fp32 bit patterns for bf16); empty for a timing-only job
};

// A timing-only job (no operands).
GemmJob timing_job(const SystolicConfig& array, const GemmShape& shape);

// A job from raw row-major operands (a: m x k, b: k x n), copied; the shape is checked first.
GemmJob make_job(const SystolicConfig& array, const GemmShape& shape, const std::int8_t* a, const std::int8_t* b);
// The same for a bf16 array (array.precision == kBf16), operands as bf16 bit patterns.
GemmJob make_job(const SystolicConfig& array, const GemmShape& shape, const std::uint16_t* a, const std::uint16_t* b);

// A's rows x B's columns of `tile` into c, in the job's precision (compute_tile above).
void compute_tile(const GemmJob& job, const Tile& tile, std::span<std::int32_t> c);

// The bf16 reference: every element accumulated from +0 with bf16_mac, k ascending (the array's
// order); fp32 bit patterns in int32 words, as GemmRun::c holds them.
std::vector<std::int32_t> reference_gemm_bf16(const GemmShape& shape, std::span<const std::uint16_t> a,
                                              std::span<const std::uint16_t> b);

// Throws std::invalid_argument naming the bad field, its value and the rule.
void validate(const GemmJob& job);
// validate(), and K must fit one pass (K <= k_max): for an array that clears its accumulators at
// every start and so cannot fold K (the output-stationary RTL).
void validate_single_pass(const GemmJob& job);

// The core alone: tile by tile, no simulation kernel. Cycles are the sum of tile_cycles.
GemmRun run_gemm_model(const GemmJob& job);

}  // namespace chipdse::sysc
