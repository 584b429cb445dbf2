#pragma once
// Plain C++ functional and timing core of the output-stationary systolic array in rtl/systolic/
// (no SystemC). It plans a GEMM into tiles, gives the exact cycles of each phase of a tile as the
// RTL runs it, and computes the int32 result. The SystemC shell (systolic_sc.h) spends these
// cycles on a clock; the RTL wrapper (rtl/systolic/systolic_rtl.h) must measure the same.
// The equations and their derivation: docs/systolic.md.
#include <cstdint>
#include <span>
#include <vector>

namespace chipdse::spec {
struct MatrixEngineSpec;
}

namespace chipdse::sysc {

inline constexpr std::int64_t kPortBytes = 8;      // the load and read ports are 64 bits wide
inline constexpr std::int64_t kDefaultKMax = 256;  // rtl/systolic/systolic_array.sv KMAX default

// An R x C output-stationary int8 array with operand buffers K deep.
struct SystolicConfig {
    std::int64_t rows = 0, cols = 0;
    std::int64_t k_max = 0;  // largest K of one tile (operand buffer depth); 0 = unbounded
    bool operator==(const SystolicConfig&) const = default;
};

// The array of a chip's matrix engine. Throws std::invalid_argument unless the engine is an
// output-stationary array of at least 2 x 2.
SystolicConfig systolic_config(const spec::MatrixEngineSpec& engine, std::int64_t k_max = kDefaultKMax);

// C[m x n] = A[m x k] * B[k x n].
struct GemmShape {
    std::int64_t m = 0, n = 0, k = 0;
    bool operator==(const GemmShape&) const = default;
};

// One output tile: rows m0..m0+m-1 and columns n0..n0+n-1 of C (m <= rows, n <= cols).
struct Tile {
    std::int64_t m0 = 0, n0 = 0, m = 0, n = 0;
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

// Tiles in the order every fidelity runs them: row folds outer, column folds inner.
std::vector<Tile> plan_tiles(const SystolicConfig& array, const GemmShape& shape);

// One tile's phases, exactly as the RTL runs them:
//   load    = (m + n) * ceil(K / 8)     one 64-bit word carries 8 K elements of one A row or B column
//   compute = 2R + C + K - 1            clear 1 + stream K+R+C-2 + drain R (independent of m, n)
//   readout = m * ceil(n / 2)           one 64-bit word carries 2 int32 results of one C row
SystolicCycles tile_cycles(const SystolicConfig& array, const Tile& tile, std::int64_t k);

// The sum of tile_cycles over plan_tiles in closed form (docs/systolic.md), O(1).
SystolicCycles gemm_cycles(const SystolicConfig& array, const GemmShape& shape);

// SCALE-Sim's output-stationary compute cycles for comparison (docs/systolic.md): the paper's
// folds * (2R + C + K - 2) and SCALE-Sim v2's code, folds * (R + C + K - 2).
std::int64_t scalesim_os_paper_cycles(const SystolicConfig& array, const GemmShape& shape);
std::int64_t scalesim_v2_os_cycles(const SystolicConfig& array, const GemmShape& shape);

// C tile = A rows x B columns of `tile` over all K, written into c (m x n row-major).
// Accumulates in int32 with two's-complement wrap, as the RTL's 32-bit accumulators do.
void compute_tile(const GemmShape& shape, const Tile& tile, std::span<const std::int8_t> a,
                  std::span<const std::int8_t> b, std::span<std::int32_t> c);

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
};

struct GemmRun {
    SystolicCycles cycles;
    std::vector<std::int32_t> c;  // m x n, row-major
};

// A job from raw row-major operands (a: m x k, b: k x n), copied; the shape is checked first.
GemmJob make_job(const SystolicConfig& array, const GemmShape& shape, const std::int8_t* a, const std::int8_t* b);

// Throws std::invalid_argument naming the bad field, its value and the rule.
void validate(const GemmJob& job);

// The core alone: tile by tile, no simulation kernel. Cycles are the sum of tile_cycles.
GemmRun run_gemm_model(const GemmJob& job);

}  // namespace chipdse::sysc
