// The double-buffered (wavefront-pipelined) systolic array: the core's pass-by-pass compute and its
// closed form against an independent timeline built from the array's resources, PE by PE and
// cycle by cycle (docs/systolic.md, "Double-buffered array"). No SystemC runs here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include "sysc/systolic/systolic_model.h"

using namespace chipdse;
using sysc::GemmShape;
using sysc::SystolicConfig;

namespace {

constexpr sysc::Dataflow kOS = sysc::Dataflow::kOutputStationary, kWS = sysc::Dataflow::kWeightStationary,
                         kIS = sysc::Dataflow::kInputStationary;

// Closed intervals of steps during which a resource is held; a new one may not overlap any.
class Resource {
public:
    bool free(std::int64_t a, std::int64_t b) const {
        return std::none_of(m_held.begin(), m_held.end(), [&](auto h) { return a <= h.second && h.first <= b; });
    }
    void hold(std::int64_t a, std::int64_t b) { m_held.emplace_back(a, b); }

private:
    std::vector<std::pair<std::int64_t, std::int64_t>> m_held;
};

// The array's resources, named by kind and position.
class Resources {
public:
    Resource& operator()(char kind, std::int64_t i, std::int64_t j) { return m_r[{kind, i, j}]; }

private:
    std::map<std::tuple<char, std::int64_t, std::int64_t>, Resource> m_r;
};

// One stream through the array: a WS/IS pass, or an OS tile with its K chunks back to back.
struct Stream {
    std::int64_t first_pass = 0;  // its index in plan_tiles
    std::int64_t length = 0;      // OS: K; WS: the pass's rows of A (m); IS: columns of B (n)
    std::int64_t block = 0;       // the output block it adds to (WS/IS K folds share one)
    std::int64_t block_fold = 0;  // its K fold within the block (0: writes, later: reads then writes)
};

std::vector<Stream> streams_of(const SystolicConfig& a, const GemmShape& s) {
    std::vector<Stream> out;
    const auto tiles = sysc::plan_tiles(a, s);
    for (std::size_t p = 0; p < tiles.size(); ++p) {
        const auto& t = tiles[p];
        const std::int64_t k = t.k > 0 ? t.k : s.k;
        if (a.dataflow == kOS) {
            if (sysc::first_pass(t)) out.push_back({static_cast<std::int64_t>(p), 0, 0, 0});
            out.back().length += k;
        } else {
            const bool new_block = sysc::first_pass(t);
            const std::int64_t block = out.empty() ? 0 : out.back().block + (new_block ? 1 : 0);
            out.push_back({static_cast<std::int64_t>(p), a.dataflow == kWS ? t.m : t.n, block,
                           new_block ? 0 : out.back().block_fold + 1});
        }
    }
    return out;
}

struct Timeline {
    std::vector<std::int64_t> starts;  // per stream: PE(0, 0)'s first MAC, steps after the start edge
    std::int64_t cycles = 0;           // the start edge and every step until the last result is written
};

// The earliest schedule the resources allow, greedily stream after stream (each stream as early as
// possible is optimal: every constraint on a later stream grows with the earlier ones' times).
//   every PE(i, j) does one MAC per step: the stream's x-th element at start + x + i + j;
//   OS: after its last MAC, PE(i, j)'s sum moves into its drain register D(i, j) (step
//       start + K + i + j) and, when the column's last row has captured (start + K + R - 1 + j),
//       the column's drain registers shift down one row per step, the bottom one writing the result
//       buffer: D(i, j) is held from its capture to shift step i, the column's bottom port R steps;
//   WS/IS: the pass's R weights enter the top of each column through one port, one per step, from
//       step L + j, and shift down the shadow registers: shadow(i, j) is held from the first value
//       reaching it (L + j + i) until the swap into the weight register before the pass's first MAC
//       there (start + i + j - 1), and must have settled by then (L + R - 1 + j); the partial sum of
//       row x leaves column j's bottom into the result buffer at start + x + R - 1 + j, and the
//       next K fold of the same block reads it at the top of column j at its start + x + j,
//       strictly after the write.
Timeline pipelined_timeline(const SystolicConfig& a, const GemmShape& s) {
    const std::int64_t R = a.rows, C = a.cols;
    const auto streams = streams_of(a, s);
    Resources res;
    Timeline tl;
    std::int64_t prev_start = -1, prev_load = -1, last_event = 0;
    std::map<std::int64_t, std::vector<std::int64_t>> writes;  // block -> per (row x, column j) write step
    for (const auto& st : streams) {
        const std::int64_t len = st.length;
        auto pes_free = [&](std::int64_t start) {
            for (std::int64_t i = 0; i < R; ++i)
                for (std::int64_t j = 0; j < C; ++j)
                    if (!res('P', i, j).free(start + i + j, start + i + j + len - 1)) return false;
            return true;
        };
        if (a.dataflow == kOS) {
            for (std::int64_t start = prev_start + 1;; ++start) {
                bool ok = pes_free(start);
                for (std::int64_t j = 0; ok && j < C; ++j) {
                    const std::int64_t shift = start + len + R - 1 + j;
                    ok = res('O', 0, j).free(shift, shift + R - 1);
                    for (std::int64_t i = 0; ok && i < R; ++i) ok = res('D', i, j).free(start + len + i + j, shift + i);
                }
                if (!ok) continue;
                for (std::int64_t i = 0; i < R; ++i)
                    for (std::int64_t j = 0; j < C; ++j) {
                        res('P', i, j).hold(start + i + j, start + i + j + len - 1);
                        res('D', i, j).hold(start + len + i + j, start + len + R - 1 + j + i);
                    }
                for (std::int64_t j = 0; j < C; ++j) res('O', 0, j).hold(start + len + R - 1 + j, start + len + 2 * R - 2 + j);
                last_event = std::max(last_event, start + len + 2 * R - 2 + C - 1);
                tl.starts.push_back(start);
                prev_start = start;
                break;
            }
            continue;
        }
        bool placed = false;
        for (std::int64_t start = prev_start + 1; !placed; ++start) {
            if (!pes_free(start)) continue;
            // RAW: the previous K fold's partial sums of this block, read at the top of each column
            bool raw = true;
            if (st.block_fold > 0) {
                const auto& w = writes[st.block];
                for (std::int64_t x = 0; raw && x < len; ++x)
                    for (std::int64_t j = 0; raw && j < C; ++j)
                        raw = start + x + j > w[static_cast<std::size_t>(x * C + j)];
            }
            if (!raw) continue;
            for (std::int64_t load = prev_load + 1; load + R <= start; ++load) {
                bool ok = true;
                for (std::int64_t j = 0; ok && j < C; ++j) {
                    ok = res('T', 0, j).free(load + j, load + j + R - 1);
                    for (std::int64_t i = 0; ok && i < R; ++i)
                        ok = load + R - 1 + j <= start + i + j - 1 && res('S', i, j).free(load + j + i, start + i + j - 1);
                }
                if (!ok) continue;
                for (std::int64_t j = 0; j < C; ++j) {
                    res('T', 0, j).hold(load + j, load + j + R - 1);
                    for (std::int64_t i = 0; i < R; ++i) {
                        res('S', i, j).hold(load + j + i, start + i + j - 1);
                        res('P', i, j).hold(start + i + j, start + i + j + len - 1);
                    }
                }
                auto& w = writes[st.block];
                w.assign(static_cast<std::size_t>(len * C), 0);
                for (std::int64_t x = 0; x < len; ++x)
                    for (std::int64_t j = 0; j < C; ++j) w[static_cast<std::size_t>(x * C + j)] = start + x + R - 1 + j;
                last_event = std::max(last_event, start + len - 1 + R - 1 + C - 1);
                tl.starts.push_back(start);
                prev_start = start;
                prev_load = load;
                placed = true;
                break;
            }
        }
    }
    tl.cycles = 1 + last_event + 1;  // the start edge, steps 0..last_event
    return tl;
}

SystolicConfig db(std::int64_t r, std::int64_t c, sysc::Dataflow d, std::int64_t k_max) {
    SystolicConfig a{r, c, k_max, d};
    a.double_buffered = true;
    return a;
}

std::int64_t sum_of_passes(const SystolicConfig& a, const GemmShape& s) {
    std::int64_t sum = 0;
    for (const auto& t : sysc::plan_tiles(a, s)) sum += sysc::tile_cycles(a, s, t).compute;
    return sum;
}

}  // namespace

TEST_CASE("double-buffered array: one pass takes what the single-buffered pass takes", "[systolic]") {
    for (auto d : {kOS, kWS, kIS})
        for (auto [r, c] : {std::pair<std::int64_t, std::int64_t>{4, 4}, {3, 5}, {16, 16}}) {
            const GemmShape s{std::min<std::int64_t>(r, c), std::min<std::int64_t>(r, c), std::min<std::int64_t>(r, c)};
            SystolicConfig single{r, c, 0, d};
            INFO(sysc::dataflow_name(d) << " " << r << "x" << c);
            CHECK(sysc::gemm_cycles(db(r, c, d, 0), s) == sysc::gemm_cycles(single, s));
        }
}

TEST_CASE("double-buffered array: pass sum = closed form = resource timeline, every dataflow, edge folds, "
          "K folds and stream chunks", "[systolic]") {
    std::int64_t shapes = 0, hazards = 0;
    for (auto d : {kOS, kWS, kIS})
        for (auto [r, c] : {std::pair<std::int64_t, std::int64_t>{2, 2}, {4, 4}, {3, 5}, {5, 3}, {2, 7}})
            for (std::int64_t k_max : {0, 3, 7})
                for (std::int64_t m : {1, 2, 3, 5, 8, 13})
                    for (std::int64_t n : {1, 3, 4, 7, 11})
                        for (std::int64_t k : {1, 2, 5, 9, 16}) {
                            const SystolicConfig a = db(r, c, d, k_max);
                            const GemmShape s{m, n, k};
                            INFO(sysc::dataflow_name(d) << " " << r << "x" << c << " k_max " << k_max << ", GEMM " << m
                                                        << "x" << n << "x" << k);
                            const Timeline tl = pipelined_timeline(a, s);
                            const auto cycles = sysc::gemm_cycles(a, s);
                            REQUIRE(cycles.compute == tl.cycles);
                            REQUIRE(sum_of_passes(a, s) == tl.cycles);
                            // stream starts: per pass; an OS tile's K chunks follow its first at once
                            const auto starts = sysc::pass_stream_starts(a, s);
                            const auto streams = streams_of(a, s);
                            for (std::size_t q = 0; q < streams.size(); ++q)
                                REQUIRE(starts[static_cast<std::size_t>(streams[q].first_pass)] == tl.starts[q]);
                            // load and readout (host ports) and activity are the single-buffered array's
                            SystolicConfig single = a;
                            single.double_buffered = false;
                            const auto plain = sysc::gemm_cycles(single, s);
                            CHECK(cycles.load == plain.load);
                            CHECK(cycles.readout == plain.readout);
                            CHECK(cycles.tiles == plain.tiles);
                            CHECK(sysc::gemm_activity(a, s) == sysc::gemm_activity(single, s));
                            CHECK(cycles.compute <= plain.compute);
                            ++shapes;
                            // a hazard: some stream shorter than R (the ports' R cycles per pass)
                            for (std::size_t q = 0; q + 1 < streams.size(); ++q)
                                if (streams[q].length < r) {
                                    ++hazards;
                                    break;
                                }
                        }
    CHECK(shapes == 3 * 5 * 3 * 150);
    CHECK(hazards > 1000);  // the structural hazards are exercised, not only the ideal overlap
}

TEST_CASE("double-buffered array: closed form on large shapes and the ideal overlap", "[systolic]") {
    // 4096^3 on 128 x 128, WS: 32 x 32 folds streaming 4096 rows each, fill and drain once
    const GemmShape big{4096, 4096, 4096};
    CHECK(sysc::gemm_cycles(db(128, 128, kWS, 0), big).compute == 1024 * 4096 + 2 * 128 + 128 - 1);
    CHECK(sysc::gemm_cycles(db(128, 128, kOS, 0), big).compute == 1024 * 4096 + 2 * 128 + 128 - 1);
    // a decode-like GEMM: 8 rows of A on a 128 x 128 WS array, every fold waits for its weights
    const GemmShape decode{8, 4096, 4096};
    CHECK(sysc::gemm_cycles(db(128, 128, kWS, 0), decode).compute == 1023 * 128 + 8 + 2 * 128 + 128 - 1);
    // the closed form equals the pass sum on larger shapes with chunks
    for (auto d : {kOS, kWS, kIS})
        for (std::int64_t k_max : {0, 100, 256})
            for (const GemmShape s : {GemmShape{300, 200, 500}, GemmShape{17, 1000, 129}, GemmShape{1000, 17, 33}}) {
                const auto a = db(32, 16, d, k_max);
                INFO(sysc::dataflow_name(d) << " k_max " << k_max << " " << s.m << "x" << s.n << "x" << s.k);
                CHECK(sysc::gemm_cycles(a, s).compute == sum_of_passes(a, s));
            }
}

TEST_CASE("double-buffered array: a chip's matrix.double_buffered selects it", "[systolic]") {
    spec::MatrixEngineSpec e;
    e.rows = 128;
    e.cols = 128;
    e.dataflow = kWS;
    CHECK_FALSE(sysc::systolic_config(e, 0).double_buffered);
    e.double_buffered = true;
    CHECK(sysc::systolic_config(e, 0).double_buffered);
}
