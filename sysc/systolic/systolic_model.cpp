#include "sysc/systolic/systolic_model.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "dse/spec/chip_spec.h"

namespace chipdse::sysc {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

[[noreturn]] void bad(const std::string& field, std::int64_t got, const std::string& rule) {
    throw std::invalid_argument(field + ": " + rule + "; got " + std::to_string(got));
}

void check_array(const SystolicConfig& array) {
    if (array.rows < 2) bad("array.rows", array.rows, "must be at least 2");
    if (array.cols < 2) bad("array.cols", array.cols, "must be at least 2");
    if (array.k_max < 0) bad("array.k_max", array.k_max, "must be 0 (unbounded) or positive");
}

void check_shape(const SystolicConfig& array, const GemmShape& shape) {
    check_array(array);
    if (shape.m < 1) bad("shape.m", shape.m, "must be at least 1");
    if (shape.n < 1) bad("shape.n", shape.n, "must be at least 1");
    if (shape.k < 1) bad("shape.k", shape.k, "must be at least 1");
    if (array.k_max > 0 && shape.k > array.k_max)
        bad("shape.k", shape.k,
            "must not exceed the array's operand buffer depth k_max = " + std::to_string(array.k_max));
}

}  // namespace

SystolicCycles& SystolicCycles::operator+=(const SystolicCycles& o) {
    tiles += o.tiles;
    load += o.load;
    compute += o.compute;
    readout += o.readout;
    return *this;
}

SystolicConfig systolic_config(const spec::MatrixEngineSpec& engine, std::int64_t k_max) {
    if (engine.dataflow != spec::Dataflow::kOutputStationary)
        throw std::invalid_argument("matrix.dataflow: the systolic model is output-stationary only");
    SystolicConfig array{engine.rows, engine.cols, k_max};
    check_array(array);
    return array;
}

std::vector<Tile> plan_tiles(const SystolicConfig& array, const GemmShape& shape) {
    check_shape(array, shape);
    std::vector<Tile> tiles;
    tiles.reserve(static_cast<std::size_t>(ceil_div(shape.m, array.rows) * ceil_div(shape.n, array.cols)));
    for (std::int64_t m0 = 0; m0 < shape.m; m0 += array.rows)
        for (std::int64_t n0 = 0; n0 < shape.n; n0 += array.cols)
            tiles.push_back({m0, n0, std::min(array.rows, shape.m - m0), std::min(array.cols, shape.n - n0)});
    return tiles;
}

SystolicCycles tile_cycles(const SystolicConfig& array, const Tile& tile, std::int64_t k) {
    SystolicCycles c;
    c.tiles = 1;
    c.load = (tile.m + tile.n) * ceil_div(k, kPortBytes);
    c.compute = 2 * array.rows + array.cols + k - 1;
    c.readout = tile.m * ceil_div(tile.n, kPortBytes / 4);
    return c;
}

SystolicCycles gemm_cycles(const SystolicConfig& array, const GemmShape& s) {
    check_shape(array, s);
    const std::int64_t row_folds = ceil_div(s.m, array.rows), col_folds = ceil_div(s.n, array.cols);
    const std::int64_t words_per_lane = ceil_div(s.k, kPortBytes);
    SystolicCycles c;
    c.tiles = row_folds * col_folds;
    // Each row of A is loaded once per column fold, each column of B once per row fold.
    c.load = words_per_lane * (s.m * col_folds + s.n * row_folds);
    c.compute = c.tiles * (2 * array.rows + array.cols + s.k - 1);
    // Every row of C is read once per column fold: full folds give ceil(C/2) words, the ragged one
    // ceil((N mod C)/2).
    c.readout = s.m * ((s.n / array.cols) * ceil_div(array.cols, 2) + ceil_div(s.n % array.cols, 2));
    return c;
}

std::int64_t scalesim_os_paper_cycles(const SystolicConfig& array, const GemmShape& s) {
    check_shape(array, s);
    return ceil_div(s.m, array.rows) * ceil_div(s.n, array.cols) * (2 * array.rows + array.cols + s.k - 2);
}

std::int64_t scalesim_v2_os_cycles(const SystolicConfig& array, const GemmShape& s) {
    check_shape(array, s);
    return ceil_div(s.m, array.rows) * ceil_div(s.n, array.cols) * (array.rows + array.cols + s.k - 2);
}

void compute_tile(const GemmShape& shape, const Tile& tile, std::span<const std::int8_t> a,
                  std::span<const std::int8_t> b, std::span<std::int32_t> c) {
    for (std::int64_t i = 0; i < tile.m; ++i) {
        for (std::int64_t j = 0; j < tile.n; ++j) {
            std::uint32_t acc = 0;  // unsigned: wraps mod 2^32 like the RTL, without UB
            for (std::int64_t kk = 0; kk < shape.k; ++kk) {
                const std::int32_t p = std::int32_t{a[static_cast<std::size_t>((tile.m0 + i) * shape.k + kk)]} *
                                       std::int32_t{b[static_cast<std::size_t>(kk * shape.n + tile.n0 + j)]};
                acc += static_cast<std::uint32_t>(p);
            }
            c[static_cast<std::size_t>(i * tile.n + j)] = static_cast<std::int32_t>(acc);
        }
    }
}

std::vector<std::int32_t> reference_gemm(const GemmShape& s, std::span<const std::int8_t> a,
                                         std::span<const std::int8_t> b) {
    std::vector<std::int32_t> c(static_cast<std::size_t>(s.m * s.n));
    for (std::int64_t i = 0; i < s.m; ++i)
        for (std::int64_t j = 0; j < s.n; ++j) {
            std::int64_t sum = 0;
            for (std::int64_t kk = 0; kk < s.k; ++kk)
                sum += std::int64_t{a[static_cast<std::size_t>(i * s.k + kk)]} * b[static_cast<std::size_t>(kk * s.n + j)];
            c[static_cast<std::size_t>(i * s.n + j)] = static_cast<std::int32_t>(sum);
        }
    return c;
}

void store_tile(const GemmShape& shape, const Tile& tile, std::span<const std::int32_t> tile_c,
                std::span<std::int32_t> c) {
    for (std::int64_t i = 0; i < tile.m; ++i)
        for (std::int64_t j = 0; j < tile.n; ++j)
            c[static_cast<std::size_t>((tile.m0 + i) * shape.n + tile.n0 + j)] =
                tile_c[static_cast<std::size_t>(i * tile.n + j)];
}

void validate(const GemmJob& job) {
    check_shape(job.array, job.shape);
    const auto& s = job.shape;
    if (static_cast<std::int64_t>(job.a.size()) != s.m * s.k)
        bad("a.size", static_cast<std::int64_t>(job.a.size()), "must be m * k = " + std::to_string(s.m * s.k));
    if (static_cast<std::int64_t>(job.b.size()) != s.k * s.n)
        bad("b.size", static_cast<std::int64_t>(job.b.size()), "must be k * n = " + std::to_string(s.k * s.n));
}

GemmJob make_job(const SystolicConfig& array, const GemmShape& shape, const std::int8_t* a, const std::int8_t* b) {
    check_shape(array, shape);
    if (a == nullptr || b == nullptr) throw std::invalid_argument("a, b: operand pointers must not be null");
    GemmJob job{array, shape, std::vector<std::int8_t>(a, a + shape.m * shape.k),
                std::vector<std::int8_t>(b, b + shape.k * shape.n)};
    return job;
}

GemmRun run_gemm_model(const GemmJob& job) {
    validate(job);
    GemmRun run;
    run.c.resize(static_cast<std::size_t>(job.shape.m * job.shape.n));
    std::vector<std::int32_t> tile_c;
    for (const Tile& t : plan_tiles(job.array, job.shape)) {
        run.cycles += tile_cycles(job.array, t, job.shape.k);
        tile_c.resize(static_cast<std::size_t>(t.m * t.n));
        compute_tile(job.shape, t, job.a, job.b, tile_c);
        store_tile(job.shape, t, tile_c, run.c);
    }
    return run;
}

}  // namespace chipdse::sysc
