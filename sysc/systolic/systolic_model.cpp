#include "sysc/systolic/systolic_model.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "dse/spec/chip_spec.h"
#include "sysc/systolic/bf16_mac.h"

namespace chipdse::sysc {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// Passes over a dimension of x elements in chunks of at most d (d = 0: one chunk).
std::int64_t chunks(std::int64_t x, std::int64_t d) { return d > 0 ? ceil_div(x, d) : 1; }
// Sum over those chunks of ceil(chunk / w): full chunks and the ragged one.
std::int64_t chunk_words(std::int64_t x, std::int64_t d, std::int64_t w) {
    if (d <= 0) return ceil_div(x, w);
    return (x / d) * ceil_div(d, w) + ceil_div(x % d, w);
}

[[noreturn]] void bad(const std::string& field, std::int64_t got, const std::string& rule) {
    throw std::invalid_argument(field + ": " + rule + "; got " + std::to_string(got));
}

void check_array(const SystolicConfig& array) {
    if (array.rows < 2) bad("array.rows", array.rows, "must be at least 2");
    if (array.cols < 2) bad("array.cols", array.cols, "must be at least 2");
    if (array.k_max < 0) bad("array.k_max", array.k_max, "must be 0 (unbounded) or positive");
    if (array.precision != spec::Precision::kInt8 && array.precision != spec::Precision::kBf16)
        throw std::invalid_argument("array.precision: must be int8 or bf16");
}

void check_shape(const SystolicConfig& array, const GemmShape& shape) {
    check_array(array);
    if (shape.m < 1) bad("shape.m", shape.m, "must be at least 1");
    if (shape.n < 1) bad("shape.n", shape.n, "must be at least 1");
    if (shape.k < 1) bad("shape.k", shape.k, "must be at least 1");
}

std::int64_t tile_k(const GemmShape& s, const Tile& t) { return t.k > 0 ? t.k : s.k; }

// IS is WS on C^T = B^T A^T: M and N swap.
GemmShape transposed(const GemmShape& s) { return {s.n, s.m, s.k}; }
Tile transposed(const Tile& t) { return {t.n0, t.m0, t.n, t.m, t.k0, t.k}; }

// Double-buffered WS compute: sum over passes p < P-1 of max(m_p, R), plus 1 + R before the
// first stream and m_{P-1} + R + C - 2 after the last stream starts. Passes per column fold: the
// M chunks (full ones of d rows, then the ragged one), each K folds times.
std::int64_t ws_pipelined_compute(const SystolicConfig& a, const GemmShape& s) {
    const std::int64_t r = a.rows, fk = ceil_div(s.k, r), fn = ceil_div(s.n, a.cols);
    const std::int64_t d = a.k_max > 0 ? a.k_max : s.m;
    const std::int64_t full = s.m / d, ragged = s.m % d;
    const std::int64_t m_last = ragged > 0 ? ragged : d;
    auto interval = [r](std::int64_t m) { return std::max(m, r); };
    const std::int64_t all = fn * fk * (full * interval(d) + (ragged > 0 ? interval(ragged) : 0));
    return 1 + r + all - interval(m_last) + m_last + r + a.cols - 2;
}

SystolicCycles ws_tile_cycles(const SystolicConfig& a, const GemmShape& s, const Tile& t) {
    const std::int64_t k = tile_k(s, t);
    SystolicCycles c;
    c.tiles = 1;
    const std::int64_t e = operands_per_word(a);
    c.load = k * ceil_div(t.m, e) + t.n * ceil_div(k, e);
    if (a.double_buffered) {
        // Pipelined: this pass's stream; the first pass also its start edge and weight load, the
        // last the fill and the skewed tail; between passes the next R weights (and the K fold's
        // partial sums) need R cycles of the column ports.
        const bool first = first_gemm_pass(t), last = last_gemm_pass(s, t);
        c.compute = t.m + (first ? 1 + a.rows : 0) + (last ? a.rows + a.cols - 2 : std::max<std::int64_t>(0, a.rows - t.m));
    } else {
        c.compute = 1 + a.rows + (t.m + a.rows + a.cols - 2);
    }
    c.readout = last_pass(s, t) ? t.m * ceil_div(t.n, kPortBytes / 4) : 0;
    return c;
}

SystolicActivity ws_tile_activity(const GemmShape& s, const Tile& t) {
    const std::int64_t k = tile_k(s, t);
    SystolicActivity x;
    x.macs = t.m * t.n * k;
    x.operand_writes = x.operand_reads = k * t.m + k * t.n;
    x.result_writes = t.m * t.n;  // partial or final sums into the accumulating result buffer
    x.result_reads = (first_pass(t) ? 0 : t.m * t.n) + (last_pass(s, t) ? t.m * t.n : 0);
    return x;
}

SystolicCycles ws_gemm_cycles(const SystolicConfig& a, const GemmShape& s) {
    const std::int64_t fk = ceil_div(s.k, a.rows), fn = ceil_div(s.n, a.cols), nm = chunks(s.m, a.k_max);
    SystolicCycles c;
    c.tiles = fk * fn * nm;
    // A: every element of a column fold's M x K block once; B: every element once per M chunk.
    const std::int64_t e = operands_per_word(a);
    c.load = fn * s.k * chunk_words(s.m, a.k_max, e) + nm * s.n * chunk_words(s.k, a.rows, e);
    c.compute = a.double_buffered ? ws_pipelined_compute(a, s) : fk * fn * (s.m + nm * (2 * a.rows + a.cols - 1));
    c.readout = s.m * chunk_words(s.n, a.cols, kPortBytes / 4);
    return c;
}

SystolicActivity ws_gemm_activity(const SystolicConfig& a, const GemmShape& s) {
    const std::int64_t fk = ceil_div(s.k, a.rows), fn = ceil_div(s.n, a.cols), nm = chunks(s.m, a.k_max);
    SystolicActivity x;
    x.macs = s.m * s.n * s.k;
    x.operand_writes = x.operand_reads = fn * s.m * s.k + nm * s.k * s.n;
    x.result_writes = fk * s.m * s.n;
    x.result_reads = fk * s.m * s.n;  // (fk - 1) accumulations and the read port
    return x;
}

}  // namespace

SystolicCycles& SystolicCycles::operator+=(const SystolicCycles& o) {
    tiles += o.tiles;
    load += o.load;
    compute += o.compute;
    readout += o.readout;
    return *this;
}

SystolicActivity& SystolicActivity::operator+=(const SystolicActivity& o) {
    macs += o.macs;
    operand_writes += o.operand_writes;
    operand_reads += o.operand_reads;
    result_writes += o.result_writes;
    result_reads += o.result_reads;
    return *this;
}

std::int64_t operands_per_word(const SystolicConfig& array) {
    return array.precision == spec::Precision::kBf16 ? kPortBytes / 2 : kPortBytes;
}

const char* dataflow_name(Dataflow d) {
    switch (d) {
        case Dataflow::kWeightStationary: return "ws";
        case Dataflow::kInputStationary: return "is";
        case Dataflow::kOutputStationary: break;
    }
    return "os";
}

Dataflow parse_dataflow(const std::string& name) {
    if (name == "os") return Dataflow::kOutputStationary;
    if (name == "ws") return Dataflow::kWeightStationary;
    if (name == "is") return Dataflow::kInputStationary;
    throw std::invalid_argument("dataflow: must be os, ws or is; got \"" + name + "\"");
}

SystolicConfig systolic_config(const spec::MatrixEngineSpec& engine, std::int64_t k_max) {
    SystolicConfig array{engine.rows, engine.cols, k_max, engine.dataflow};
    array.double_buffered = engine.double_buffered;
    check_array(array);
    return array;
}

bool last_pass(const GemmShape& shape, const Tile& t) { return t.k == 0 || t.k0 + t.k >= shape.k; }

bool last_gemm_pass(const GemmShape& shape, const Tile& t) {
    // Every dataflow's plan ends on the last row fold, column fold and K pass.
    return t.m0 + t.m >= shape.m && t.n0 + t.n >= shape.n && last_pass(shape, t);
}

std::vector<Tile> plan_tiles(const SystolicConfig& array, const GemmShape& s) {
    check_shape(array, s);
    std::vector<Tile> tiles;
    const std::int64_t r = array.rows, c = array.cols;
    const std::int64_t d = array.k_max > 0 ? array.k_max : std::max({s.m, s.n, s.k});
    switch (array.dataflow) {
        case Dataflow::kOutputStationary:
            tiles.reserve(static_cast<std::size_t>(ceil_div(s.m, r) * ceil_div(s.n, c) * ceil_div(s.k, d)));
            for (std::int64_t m0 = 0; m0 < s.m; m0 += r)
                for (std::int64_t n0 = 0; n0 < s.n; n0 += c)
                    for (std::int64_t k0 = 0; k0 < s.k; k0 += d)
                        tiles.push_back({m0, n0, std::min(r, s.m - m0), std::min(c, s.n - n0), k0, std::min(d, s.k - k0)});
            break;
        case Dataflow::kWeightStationary:
            tiles.reserve(static_cast<std::size_t>(ceil_div(s.n, c) * ceil_div(s.m, d) * ceil_div(s.k, r)));
            for (std::int64_t n0 = 0; n0 < s.n; n0 += c)
                for (std::int64_t m0 = 0; m0 < s.m; m0 += d)
                    for (std::int64_t k0 = 0; k0 < s.k; k0 += r)
                        tiles.push_back({m0, n0, std::min(d, s.m - m0), std::min(c, s.n - n0), k0, std::min(r, s.k - k0)});
            break;
        case Dataflow::kInputStationary:
            tiles.reserve(static_cast<std::size_t>(ceil_div(s.m, c) * ceil_div(s.n, d) * ceil_div(s.k, r)));
            for (std::int64_t m0 = 0; m0 < s.m; m0 += c)
                for (std::int64_t n0 = 0; n0 < s.n; n0 += d)
                    for (std::int64_t k0 = 0; k0 < s.k; k0 += r)
                        tiles.push_back({m0, n0, std::min(c, s.m - m0), std::min(d, s.n - n0), k0, std::min(r, s.k - k0)});
            break;
    }
    return tiles;
}

SystolicCycles tile_cycles(const SystolicConfig& array, const GemmShape& shape, const Tile& tile) {
    if (array.dataflow == Dataflow::kWeightStationary) return ws_tile_cycles(array, shape, tile);
    if (array.dataflow == Dataflow::kInputStationary) return ws_tile_cycles(array, transposed(shape), transposed(tile));
    const std::int64_t k = tile_k(shape, tile);
    const bool last = last_pass(shape, tile);
    SystolicCycles c;
    c.tiles = 1;
    c.load = (tile.m + tile.n) * ceil_div(k, operands_per_word(array));
    if (array.double_buffered) {
        // Pipelined: the K chunks of a tile stream back to back; a tile's results leave through
        // the drain registers while the next tile streams, R cycles per column, so the next tile
        // waits when K < R; the GEMM pays the start edge once and the skewed tail and drain once.
        const std::int64_t r = array.rows;
        if (first_gemm_pass(tile)) c.compute += 1;
        c.compute += k;
        if (last_gemm_pass(shape, tile)) c.compute += 2 * r + array.cols - 2;
        else if (last) c.compute += std::max<std::int64_t>(0, r - shape.k);
    } else {
        // The first pass clears the accumulators on its start edge; later passes keep them.
        c.compute = 1 + (k + array.rows + array.cols - 2) + (last ? array.rows : 0);
    }
    c.readout = last ? tile.m * ceil_div(tile.n, kPortBytes / 4) : 0;
    return c;
}

SystolicActivity tile_activity(const SystolicConfig& array, const GemmShape& shape, const Tile& tile) {
    if (array.dataflow == Dataflow::kWeightStationary) return ws_tile_activity(shape, tile);
    if (array.dataflow == Dataflow::kInputStationary) return ws_tile_activity(transposed(shape), transposed(tile));
    const std::int64_t k = tile_k(shape, tile);
    const bool last = last_pass(shape, tile);
    SystolicActivity x;
    x.macs = tile.m * tile.n * k;
    x.operand_writes = x.operand_reads = (tile.m + tile.n) * k;
    x.result_writes = last ? tile.m * tile.n : 0;  // drained once, after the last K chunk
    x.result_reads = last ? tile.m * tile.n : 0;
    return x;
}

SystolicCycles gemm_cycles(const SystolicConfig& array, const GemmShape& s) {
    check_shape(array, s);
    if (array.dataflow == Dataflow::kWeightStationary) return ws_gemm_cycles(array, s);
    if (array.dataflow == Dataflow::kInputStationary) return ws_gemm_cycles(array, transposed(s));
    const std::int64_t row_folds = ceil_div(s.m, array.rows), col_folds = ceil_div(s.n, array.cols);
    const std::int64_t k_chunks = chunks(s.k, array.k_max);
    SystolicCycles c;
    c.tiles = row_folds * col_folds * k_chunks;
    // Each row of A is loaded once per column fold, each column of B once per row fold.
    c.load = chunk_words(s.k, array.k_max, operands_per_word(array)) * (s.m * col_folds + s.n * row_folds);
    if (array.double_buffered) {
        // Tiles back to back, max(K, R) apart; the start edge, skewed tail and drain once.
        c.compute = (row_folds * col_folds - 1) * std::max(s.k, array.rows) + s.k + 2 * array.rows + array.cols - 1;
    } else {
        // Per tile: a start edge and a skewed stream per K chunk, one drain.
        c.compute = row_folds * col_folds * (k_chunks * (array.rows + array.cols - 1) + s.k + array.rows);
    }
    // Every row of C is read once per column fold: full folds give ceil(C/2) words, the ragged one
    // ceil((N mod C)/2).
    c.readout = s.m * chunk_words(s.n, array.cols, kPortBytes / 4);
    return c;
}

std::vector<std::int64_t> pass_stream_starts(const SystolicConfig& array, const GemmShape& shape) {
    const std::vector<Tile> tiles = plan_tiles(array, shape);
    const std::int64_t head = array.dataflow == Dataflow::kOutputStationary ? 0 : array.rows;  // WS/IS weight load
    std::vector<std::int64_t> starts;
    starts.reserve(tiles.size());
    std::int64_t elapsed = 0;  // cycles of the passes before, start edge included
    for (const Tile& t : tiles) {
        // Single-buffered: after the earlier passes, this pass's start edge and weight load.
        // Double-buffered: the earlier passes' shares end where this stream starts (less the GEMM's
        // start edge), the first pass after the start edge and weight load.
        if (!array.double_buffered) starts.push_back(elapsed + head);
        else starts.push_back(starts.empty() ? head : elapsed - 1);
        elapsed += tile_cycles(array, shape, t).compute;
    }
    return starts;
}

SystolicActivity gemm_activity(const SystolicConfig& array, const GemmShape& s) {
    check_shape(array, s);
    if (array.dataflow == Dataflow::kWeightStationary) return ws_gemm_activity(array, s);
    if (array.dataflow == Dataflow::kInputStationary) return ws_gemm_activity(array, transposed(s));
    const std::int64_t row_folds = ceil_div(s.m, array.rows), col_folds = ceil_div(s.n, array.cols);
    SystolicActivity x;
    x.macs = s.m * s.n * s.k;
    x.operand_writes = x.operand_reads = s.k * (s.m * col_folds + s.n * row_folds);
    x.result_writes = x.result_reads = s.m * s.n;
    return x;
}

std::int64_t scalesim_os_paper_cycles(const SystolicConfig& array, const GemmShape& s) {
    check_shape(array, s);
    return ceil_div(s.m, array.rows) * ceil_div(s.n, array.cols) * (2 * array.rows + array.cols + s.k - 2);
}

std::int64_t scalesim_v2_os_cycles(const SystolicConfig& array, const GemmShape& s) {
    check_shape(array, s);
    return ceil_div(s.m, array.rows) * ceil_div(s.n, array.cols) * (array.rows + array.cols + s.k - 2);
}

std::int64_t scalesim_v2_cycles(const SystolicConfig& array, const GemmShape& s) {
    check_shape(array, s);
    const std::int64_t r = array.rows, c = array.cols;
    switch (array.dataflow) {
        case Dataflow::kWeightStationary: return ceil_div(s.k, r) * ceil_div(s.n, c) * (2 * r + c + s.m - 2);
        case Dataflow::kInputStationary: return ceil_div(s.k, r) * ceil_div(s.m, c) * (2 * r + c + s.n - 2);
        case Dataflow::kOutputStationary: break;
    }
    return scalesim_v2_os_cycles(array, s);
}

void compute_tile(const GemmShape& shape, const Tile& tile, std::span<const std::int8_t> a,
                  std::span<const std::int8_t> b, std::span<std::int32_t> c) {
    const std::int64_t k0 = tile.k > 0 ? tile.k0 : 0, k1 = k0 + tile_k(shape, tile);
    const bool first = first_pass(tile);
    for (std::int64_t i = 0; i < tile.m; ++i) {
        for (std::int64_t j = 0; j < tile.n; ++j) {
            auto& out = c[static_cast<std::size_t>(i * tile.n + j)];
            // unsigned: wraps mod 2^32 like the RTL, without UB
            std::uint32_t acc = first ? 0u : static_cast<std::uint32_t>(out);
            for (std::int64_t kk = k0; kk < k1; ++kk) {
                const std::int32_t p = std::int32_t{a[static_cast<std::size_t>((tile.m0 + i) * shape.k + kk)]} *
                                       std::int32_t{b[static_cast<std::size_t>(kk * shape.n + tile.n0 + j)]};
                acc += static_cast<std::uint32_t>(p);
            }
            out = static_cast<std::int32_t>(acc);
        }
    }
}

void compute_tile(const GemmShape& shape, const Tile& tile, std::span<const std::uint16_t> a,
                  std::span<const std::uint16_t> b, std::span<std::int32_t> c) {
    const std::int64_t k0 = tile.k > 0 ? tile.k0 : 0, k1 = k0 + tile_k(shape, tile);
    const bool first = first_pass(tile);
    for (std::int64_t i = 0; i < tile.m; ++i)
        for (std::int64_t j = 0; j < tile.n; ++j) {
            auto& out = c[static_cast<std::size_t>(i * tile.n + j)];
            std::uint32_t acc = first ? 0u : static_cast<std::uint32_t>(out);
            for (std::int64_t kk = k0; kk < k1; ++kk)
                acc = bf16_mac(acc, a[static_cast<std::size_t>((tile.m0 + i) * shape.k + kk)],
                               b[static_cast<std::size_t>(kk * shape.n + tile.n0 + j)]);
            out = static_cast<std::int32_t>(acc);
        }
}

void compute_tile(const GemmJob& job, const Tile& tile, std::span<std::int32_t> c) {
    if (job.array.precision == spec::Precision::kBf16)
        compute_tile(job.shape, tile, job.a_bf16, job.b_bf16, c);
    else
        compute_tile(job.shape, tile, job.a, job.b, c);
}

std::vector<std::int32_t> reference_gemm_bf16(const GemmShape& s, std::span<const std::uint16_t> a,
                                              std::span<const std::uint16_t> b) {
    const std::vector<std::uint32_t> bits = bf16_gemm(s.m, s.n, s.k, a, b);
    return {bits.begin(), bits.end()};
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
    const std::int64_t want_a = job.timing_only ? 0 : s.m * s.k, want_b = job.timing_only ? 0 : s.k * s.n;
    const std::string why = job.timing_only ? "must be 0 for a timing-only job" : "must be m * k = " + std::to_string(want_a);
    // A bf16 job's operands are a_bf16 and b_bf16; the other pair stays empty.
    const bool bf16 = job.array.precision == spec::Precision::kBf16;
    const std::string a_name = bf16 ? "a_bf16.size" : "a.size", b_name = bf16 ? "b_bf16.size" : "b.size";
    const auto a_size = static_cast<std::int64_t>(bf16 ? job.a_bf16.size() : job.a.size());
    const auto b_size = static_cast<std::int64_t>(bf16 ? job.b_bf16.size() : job.b.size());
    if (a_size != want_a) bad(a_name, a_size, why);
    if (b_size != want_b) bad(b_name, b_size, job.timing_only ? why : "must be k * n = " + std::to_string(want_b));
    const auto unused = static_cast<std::int64_t>(bf16 ? job.a.size() + job.b.size() : job.a_bf16.size() + job.b_bf16.size());
    if (unused != 0)
        bad(bf16 ? "a.size + b.size" : "a_bf16.size + b_bf16.size", unused,
            std::string("must be 0: the operands of ") + (bf16 ? "a bf16" : "an int8") + " array are " +
                (bf16 ? "a_bf16 and b_bf16" : "a and b"));
}

void validate_single_pass(const GemmJob& job) {
    validate(job);
    if (job.array.k_max > 0 && job.shape.k > job.array.k_max)
        bad("shape.k", job.shape.k,
            "must not exceed the array's operand buffer depth k_max = " + std::to_string(job.array.k_max));
}

GemmJob make_job(const SystolicConfig& array, const GemmShape& shape, const std::int8_t* a, const std::int8_t* b) {
    check_shape(array, shape);
    if (a == nullptr || b == nullptr) throw std::invalid_argument("a, b: operand pointers must not be null");
    GemmJob job{array, shape, std::vector<std::int8_t>(a, a + shape.m * shape.k),
                std::vector<std::int8_t>(b, b + shape.k * shape.n)};
    return job;
}

GemmJob make_job(const SystolicConfig& array, const GemmShape& shape, const std::uint16_t* a, const std::uint16_t* b) {
    check_shape(array, shape);
    if (array.precision != spec::Precision::kBf16)
        throw std::invalid_argument("array.precision: bf16 operands need a bf16 array");
    if (a == nullptr || b == nullptr) throw std::invalid_argument("a, b: operand pointers must not be null");
    GemmJob job{array, shape, {}, {}};
    job.a_bf16.assign(a, a + shape.m * shape.k);
    job.b_bf16.assign(b, b + shape.k * shape.n);
    return job;
}

GemmJob timing_job(const SystolicConfig& array, const GemmShape& shape) {
    check_shape(array, shape);
    GemmJob job{array, shape, {}, {}};
    job.timing_only = true;
    return job;
}

GemmRun run_gemm_model(const GemmJob& job) {
    validate(job);
    GemmRun run;
    if (!job.timing_only) run.c.resize(static_cast<std::size_t>(job.shape.m * job.shape.n));
    std::vector<std::int32_t> tile_c;
    for (const Tile& t : plan_tiles(job.array, job.shape)) {
        run.cycles += tile_cycles(job.array, job.shape, t);
        run.activity += tile_activity(job.array, job.shape, t);
        if (job.timing_only) continue;
        tile_c.resize(static_cast<std::size_t>(t.m * t.n));
        compute_tile(job, t, tile_c);
        if (last_pass(job.shape, t)) store_tile(job.shape, t, tile_c, run.c);
    }
    return run;
}

}  // namespace chipdse::sysc
