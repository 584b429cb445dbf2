// The plain C++ core of the systolic array: tiling, the closed-form cycle equations, SCALE-Sim's
// formulas for comparison, and the functional result. No SystemC runs here.
#include <catch2/catch.hpp>
#include <set>
#include <utility>

#include "dse/spec/chip_spec.h"
#include "sysc/systolic/systolic_model.h"
#include "systolic_test_data.h"

using namespace chipdse;
using sysc::GemmShape;
using sysc::SystolicConfig;

namespace {

const std::vector<SystolicConfig> kArrays = {{2, 2, 0}, {4, 4, 0}, {8, 8, 0}, {16, 16, 0}, {4, 8, 0},
                                             {8, 4, 0}, {3, 5, 0}, {128, 128, 0}};

sysc::SystolicCycles sum_of_tiles(const SystolicConfig& a, const GemmShape& s) {
    sysc::SystolicCycles sum;
    for (const auto& t : sysc::plan_tiles(a, s)) sum += sysc::tile_cycles(a, s, t);
    return sum;
}

sysc::SystolicActivity activity_of_tiles(const SystolicConfig& a, const GemmShape& s) {
    sysc::SystolicActivity sum;
    for (const auto& t : sysc::plan_tiles(a, s)) sum += sysc::tile_activity(a, s, t);
    return sum;
}

SystolicConfig with(SystolicConfig a, sysc::Dataflow d, std::int64_t k_max = 0) {
    a.dataflow = d;
    a.k_max = k_max;
    return a;
}

constexpr sysc::Dataflow kOS = sysc::Dataflow::kOutputStationary, kWS = sysc::Dataflow::kWeightStationary,
                         kIS = sysc::Dataflow::kInputStationary;

}  // namespace

TEST_CASE("systolic model: tiles cover C once, row folds outer, ragged at the far edges", "[systolic]") {
    const SystolicConfig a{4, 8, 0};
    const GemmShape s{10, 19, 5};
    const auto tiles = sysc::plan_tiles(a, s);
    REQUIRE(tiles.size() == 3 * 3);
    CHECK(tiles[0] == sysc::Tile{0, 0, 4, 8, 0, 5});
    CHECK(tiles[1] == sysc::Tile{0, 8, 4, 8, 0, 5});
    CHECK(tiles[2] == sysc::Tile{0, 16, 4, 3, 0, 5});
    CHECK(tiles[3] == sysc::Tile{4, 0, 4, 8, 0, 5});
    CHECK(tiles[8] == sysc::Tile{8, 16, 2, 3, 0, 5});
    std::set<std::pair<std::int64_t, std::int64_t>> covered;
    for (const auto& t : tiles)
        for (std::int64_t i = 0; i < t.m; ++i)
            for (std::int64_t j = 0; j < t.n; ++j) CHECK(covered.insert({t.m0 + i, t.n0 + j}).second);
    CHECK(covered.size() == static_cast<std::size_t>(s.m * s.n));
}

TEST_CASE("systolic model: one tile's phases as the RTL runs them", "[systolic]") {
    // 4x4, one full tile, K = 4: clear 1 + stream K+R+C-2 = 10 + drain R = 4.
    const SystolicConfig a{4, 4, 0};
    auto c = sysc::tile_cycles(a, {4, 4, 4}, {0, 0, 4, 4, 0, 4});
    CHECK(c.compute == 15);
    CHECK(c.load == 8);      // 4 A rows + 4 B columns, one 8-element word each
    CHECK(c.readout == 8);   // 4 rows x 2 words of two int32
    CHECK(c.total() == 31);
    // Ragged 3x3 tile, K = 9: two words per lane; the compute phase does not shrink.
    c = sysc::tile_cycles(a, {7, 7, 9}, {4, 4, 3, 3, 0, 9});
    CHECK(c.load == 12);
    CHECK(c.compute == 2 * 4 + 4 + 9 - 1);
    CHECK(c.readout == 6);
}

TEST_CASE("systolic model: closed form equals the sum over tiles for many shapes", "[systolic]") {
    int checked = 0;
    for (const auto& a : kArrays)
        for (std::int64_t m : {1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 64, 100, 129, 257})
            for (std::int64_t n : {1, 2, 4, 5, 8, 11, 16, 33, 130})
                for (std::int64_t k : {1, 7, 8, 9, 16, 63, 64, 65, 256, 1000}) {
                    const GemmShape s{m, n, k};
                    INFO(a.rows << "x" << a.cols << " M=" << m << " N=" << n << " K=" << k);
                    REQUIRE(sysc::gemm_cycles(a, s) == sum_of_tiles(a, s));
                    ++checked;
                }
    CHECK(checked == 8 * 15 * 9 * 10);
}

TEST_CASE("systolic model: closed forms equal the sums over passes in every dataflow and buffer depth", "[systolic]") {
    int checked = 0;
    for (const auto& base : kArrays)
        for (const auto d : {kOS, kWS, kIS})
            for (std::int64_t k_max : {0, 8, 13, 64})
                for (std::int64_t m : {1, 3, 8, 9, 17, 100, 257})
                    for (std::int64_t n : {1, 5, 8, 33, 130})
                        for (std::int64_t k : {1, 7, 9, 64, 65, 300}) {
                            const auto a = with(base, d, k_max);
                            const GemmShape s{m, n, k};
                            INFO(a.rows << "x" << a.cols << " " << sysc::dataflow_name(d) << " k_max=" << k_max
                                        << " M=" << m << " N=" << n << " K=" << k);
                            REQUIRE(sysc::gemm_cycles(a, s) == sum_of_tiles(a, s));
                            REQUIRE(sysc::gemm_activity(a, s) == activity_of_tiles(a, s));
                            ++checked;
                        }
    CHECK(checked == 8 * 3 * 4 * 7 * 5 * 6);
}

TEST_CASE("systolic model: weight-stationary passes, by hand", "[systolic]") {
    // 4x4 WS, M=10 N=3 K=6: one pass, B's 6x3 block does not fit 4 rows: K folds of 4 and 2.
    const SystolicConfig a{4, 4, 0, kWS};
    const GemmShape s{10, 3, 6};
    const auto tiles = sysc::plan_tiles(a, s);
    REQUIRE(tiles.size() == 2);
    CHECK(tiles[0] == sysc::Tile{0, 0, 10, 3, 0, 4});
    CHECK(tiles[1] == sysc::Tile{0, 0, 10, 3, 4, 2});
    // Pass 1: load 4 A lanes of ceil(10/8) = 2 words and 3 B columns of 1 word; compute = start 1
    // + 4 weight shifts + stream 10 + 4 + 4 - 2; no readout (partial sums stay in the buffer).
    auto c = sysc::tile_cycles(a, s, tiles[0]);
    CHECK(c.load == 4 * 2 + 3 * 1);
    CHECK(c.compute == 1 + 4 + 16);
    CHECK(c.readout == 0);
    // Pass 2: 2 A lanes, 3 one-word B columns; then 10 rows of ceil(3/2) = 2 words read out.
    c = sysc::tile_cycles(a, s, tiles[1]);
    CHECK(c.load == 2 * 2 + 3);
    CHECK(c.compute == 21);
    CHECK(c.readout == 20);
    // Activity: 180 MACs; operands 6*10 + 6*3 once each; 30 partial sums written twice, read back
    // once to accumulate and once through the read port.
    const auto x = sysc::gemm_activity(a, s);
    CHECK(x.macs == 180);
    CHECK(x.operand_reads == 78);
    CHECK(x.operand_writes == 78);
    CHECK(x.result_writes == 60);
    CHECK(x.result_reads == 60);
    // With a 4-deep buffer M streams in chunks 4, 4, 2, each under both K folds.
    const auto chunked = sysc::plan_tiles(with(a, kWS, 4), s);
    REQUIRE(chunked.size() == 6);
    CHECK(chunked[2] == sysc::Tile{4, 0, 4, 3, 0, 4});
    CHECK(sysc::gemm_cycles(with(a, kWS, 4), s).compute == 2 * (10 + 3 * (2 * 4 + 4 - 1)));
}

TEST_CASE("systolic model: input-stationary is weight-stationary on the transposed GEMM", "[systolic]") {
    for (const auto& base : kArrays)
        for (std::int64_t k_max : {0, 16})
            for (const GemmShape s : {GemmShape{1, 1, 1}, GemmShape{37, 29, 70}, GemmShape{5, 300, 9}}) {
                const auto is = sysc::gemm_cycles(with(base, kIS, k_max), s);
                const auto ws_t = sysc::gemm_cycles(with(base, kWS, k_max), {s.n, s.m, s.k});
                CHECK(is == ws_t);
                CHECK(sysc::gemm_activity(with(base, kIS, k_max), s) ==
                      sysc::gemm_activity(with(base, kWS, k_max), {s.n, s.m, s.k}));
            }
    // 4x4 IS, M=6 N=10 K=3: A's 3x6 block (K x M) fills 3 rows and two column folds of 4 and 2;
    // each streams N = 10: 2 folds * (10 + 2*4 + 4 - 1).
    CHECK(sysc::gemm_cycles({4, 4, 0, kIS}, {6, 10, 3}).compute == 2 * 21);
}

TEST_CASE("systolic model: K beyond the buffer depth folds into chunks that accumulate in the PEs (OS)", "[systolic]") {
    // 4x4 OS, k_max 16, K = 37: chunks 16, 16, 5. Each chunk: start + stream k + R + C - 2; the
    // last adds the R-cycle drain. Loads: 2 + 2 + 1 words per lane.
    const SystolicConfig a{4, 4, 16};
    const GemmShape s{4, 4, 37};
    const auto tiles = sysc::plan_tiles(a, s);
    REQUIRE(tiles.size() == 3);
    CHECK(tiles[2] == sysc::Tile{0, 0, 4, 4, 32, 5});
    const auto c = sysc::gemm_cycles(a, s);
    CHECK(c.compute == (1 + 16 + 6) + (1 + 16 + 6) + (1 + 5 + 6 + 4));
    CHECK(c.load == 8 * (2 + 2 + 1));
    CHECK(c.readout == 4 * 2);
    // Unbounded: one pass, 2R + C + K - 1.
    CHECK(sysc::gemm_cycles({4, 4, 0}, s).compute == 8 + 4 + 37 - 1);
    // Ragged K in all three dataflows: the result is the reference GEMM.
    for (const auto d : {kOS, kWS, kIS})
        for (std::int64_t k : {17, 31, 33, 100}) {
            const auto job = test::random_job(with({4, 8, 0}, d, 16), {11, 13, k});
            INFO(sysc::dataflow_name(d) << " K=" << k);
            CHECK(sysc::run_gemm_model(job).c == sysc::reference_gemm(job.shape, job.a, job.b));
        }
}

TEST_CASE("systolic model: worked example with ragged edges", "[systolic]") {
    // 16x16, M=20 N=17 K=9: 2 x 2 folds.
    const auto c = sysc::gemm_cycles({16, 16, 0}, {20, 17, 9});
    CHECK(c.tiles == 4);
    CHECK(c.compute == 4 * (2 * 16 + 16 + 9 - 1));      // 224
    CHECK(c.load == 2 * (20 * 2 + 17 * 2));             // ceil(9/8) words x (A rows x col folds + B cols x row folds)
    CHECK(c.readout == 20 * (8 + 1));                   // a full column fold (8 words) and a 1-column one
    CHECK(c.total() == 224 + 148 + 180);
}

TEST_CASE("systolic model: compute cycles against SCALE-Sim's output-stationary formulas", "[systolic]") {
    for (const auto& a : kArrays)
        for (const GemmShape s : {GemmShape{1, 1, 1}, GemmShape{37, 29, 70}, GemmShape{256, 256, 512}}) {
            const auto c = sysc::gemm_cycles(a, s);
            // Paper: 2R + C + T - 2 per fold; the RTL spends one more cycle per tile on the clear edge.
            CHECK(c.compute == sysc::scalesim_os_paper_cycles(a, s) + c.tiles);
            // SCALE-Sim v2 overlaps the drain with the skewed tail: R + C + T - 2 per fold.
            CHECK(c.compute == sysc::scalesim_v2_os_cycles(a, s) + c.tiles * (a.rows + 1));
        }
    // A 128x128 array on a 4096-cubed GEMM: 1024 folds.
    CHECK(sysc::scalesim_os_paper_cycles({128, 128, 0}, {4096, 4096, 4096}) == 1024 * (256 + 128 + 4096 - 2));
}

namespace {

// SCALE-Sim v2's compute cycles, rebuilt as its code builds them (scalesim/compute/
// systolic_compute_{os,ws,is}.py): a fold's demand matrices have one row per cycle.
//   OS: T = K rows of operands, skewed over the array: + (R - 1) + (C - 1); folds ceil(M/R) ceil(N/C).
//   WS: R rows of weight load + T = M + (C - 1) rows for the last outputs, skewed over R rows:
//       + (R - 1); folds ceil(K/R) ceil(N/C).
//   IS: the same with T = N; folds ceil(K/R) ceil(M/C).
std::int64_t scalesim_v2_by_demand_rows(const SystolicConfig& a, const GemmShape& s) {
    const auto ceil_div = [](std::int64_t x, std::int64_t y) { return (x + y - 1) / y; };
    if (a.dataflow == kOS) {
        const std::int64_t rows = s.k + (a.cols - 1) + (a.rows - 1);  // T + skew of the other edge
        return ceil_div(s.m, a.rows) * ceil_div(s.n, a.cols) * rows;
    }
    const std::int64_t t = a.dataflow == kWS ? s.m : s.n, spatial = a.dataflow == kWS ? s.n : s.m;
    const std::int64_t rows = a.rows + t + (a.cols - 1) + (a.rows - 1);
    return ceil_div(s.k, a.rows) * ceil_div(spatial, a.cols) * rows;
}

// SCALE-Sim v2's SRAM request counts: ifmap_reads + filter_reads (operands into the array) and
// ofmap_writes, summed per fold as its loops do. Its OS code also adds the padded fold's
// R + C to ofmap_writes once per fold (`shape[0] + shape[1]` after the flip); counted apart here.
struct ScaleSimRequests {
    std::int64_t operand_reads = 0, ofmap_writes = 0, os_padding_writes = 0;
};
ScaleSimRequests scalesim_v2_requests(const SystolicConfig& a, const GemmShape& s) {
    ScaleSimRequests q;
    const auto used = [](std::int64_t start, std::int64_t fold, std::int64_t total) { return std::min(fold, total - start); };
    if (a.dataflow == kOS) {  // Sr = M, Sc = N, T = K
        for (std::int64_t m0 = 0; m0 < s.m; m0 += a.rows)
            for (std::int64_t n0 = 0; n0 < s.n; n0 += a.cols) {
                q.operand_reads += s.k * used(m0, a.rows, s.m) + s.k * used(n0, a.cols, s.n);
                q.ofmap_writes += used(m0, a.rows, s.m) * used(n0, a.cols, s.n);
                q.os_padding_writes += a.rows + a.cols;
            }
        return q;
    }
    // WS: Sr = K, Sc = N, T = M; IS: Sr = K, Sc = M, T = N.
    const std::int64_t sc = a.dataflow == kWS ? s.n : s.m, t = a.dataflow == kWS ? s.m : s.n;
    for (std::int64_t c0 = 0; c0 < sc; c0 += a.cols)
        for (std::int64_t r0 = 0; r0 < s.k; r0 += a.rows) {
            q.operand_reads += t * used(r0, a.rows, s.k) + used(r0, a.rows, s.k) * used(c0, a.cols, sc);
            q.ofmap_writes += t * used(c0, a.cols, sc);
        }
    return q;
}

}  // namespace

TEST_CASE("systolic model: compute cycles and SRAM counts against SCALE-Sim v2 in every dataflow", "[systolic]") {
    for (const auto& base : kArrays)
        for (const auto d : {kOS, kWS, kIS})
            for (const GemmShape s : {GemmShape{1, 1, 1}, GemmShape{37, 29, 70}, GemmShape{256, 256, 512},
                                      GemmShape{300, 7, 129}}) {
                const auto a = with(base, d);
                const auto c = sysc::gemm_cycles(a, s);
                INFO(a.rows << "x" << a.cols << " " << sysc::dataflow_name(d) << " M=" << s.m << " N=" << s.n << " K=" << s.k);
                CHECK(sysc::scalesim_v2_cycles(a, s) == scalesim_v2_by_demand_rows(a, s));
                if (d == kOS) {
                    // the drain after the last MAC (R) and the start edge (1) per fold
                    CHECK(c.compute == scalesim_v2_by_demand_rows(a, s) + c.tiles * (a.rows + 1));
                } else {
                    // only the start edge per fold: weights shift in over R cycles and outputs leave
                    // through the bottom while the stream runs, as in SCALE-Sim
                    CHECK(c.compute == scalesim_v2_by_demand_rows(a, s) + c.tiles);
                }
                const auto x = sysc::gemm_activity(a, s);
                const auto q = scalesim_v2_requests(a, s);
                CHECK(x.operand_reads == q.operand_reads);
                CHECK(x.result_writes == q.ofmap_writes);
                CHECK(x.macs == s.m * s.n * s.k);
            }
}

TEST_CASE("systolic model: results equal the reference GEMM", "[systolic]") {
    for (const auto& base : kArrays) {
        if (base.rows > 16) continue;
        for (const auto d : {kOS, kWS, kIS})
            for (std::int64_t k_max : {0, 16}) {
                const auto a = with(base, d, k_max);
                for (const auto& s : test::shapes_for(a)) {
                    const auto job = test::random_job(a, s);
                    const auto run = sysc::run_gemm_model(job);
                    INFO(a.rows << "x" << a.cols << " " << sysc::dataflow_name(d) << " k_max=" << k_max << " M=" << s.m
                                << " N=" << s.n << " K=" << s.k);
                    REQUIRE(run.c == sysc::reference_gemm(s, job.a, job.b));
                    REQUIRE(run.cycles == sysc::gemm_cycles(a, s));
                    REQUIRE(run.activity == sysc::gemm_activity(a, s));
                }
            }
    }
    // Largest magnitudes: (-128)^2 summed 256 times.
    const auto job = test::extreme_job({4, 4, 256}, {5, 6, 256});
    const auto run = sysc::run_gemm_model(job);
    CHECK(run.c == std::vector<std::int32_t>(30, 256 * 16384));
}

TEST_CASE("systolic model: accumulators wrap at 32 bits like the RTL's", "[systolic]") {
    // 140000 x 16384 = 2293760000 > 2^31 - 1: wraps to 2293760000 - 2^32.
    const auto job = test::extreme_job({2, 2, 0}, {1, 1, 140000});
    CHECK(sysc::run_gemm_model(job).c == std::vector<std::int32_t>{static_cast<std::int32_t>(2293760000LL - (1LL << 32))});
    CHECK(sysc::reference_gemm(job.shape, job.a, job.b) == sysc::run_gemm_model(job).c);
}

TEST_CASE("systolic model: bad jobs are rejected with the rule and the value", "[systolic]") {
    auto job = test::random_job({4, 4, 16}, {4, 4, 4});
    sysc::validate(job);
    auto bad = job;
    bad.array.rows = 1;
    CHECK_THROWS_WITH(sysc::validate(bad), "array.rows: must be at least 2; got 1");
    bad = job;
    bad.shape.k = 17;
    bad.a.resize(4 * 17);
    bad.b.resize(4 * 17);
    CHECK_NOTHROW(sysc::validate(bad));  // K folds into chunks of k_max
    CHECK_THROWS_WITH(sysc::validate_single_pass(bad),
                      "shape.k: must not exceed the array's operand buffer depth k_max = 16; got 17");
    CHECK_THROWS_WITH(sysc::validate(sysc::GemmJob{job.array, job.shape, job.a, {}, true}),
                      "a.size: must be 0 for a timing-only job; got 16");
    CHECK_NOTHROW(sysc::validate(sysc::timing_job(job.array, job.shape)));
    CHECK_THROWS_WITH(sysc::parse_dataflow("rs"), "dataflow: must be os, ws or is; got \"rs\"");
    bad = job;
    bad.a.pop_back();
    CHECK_THROWS_WITH(sysc::validate(bad), "a.size: must be m * k = 16; got 15");
    bad = job;
    bad.shape.m = 0;
    CHECK_THROWS_WITH(sysc::run_gemm_model(bad), "shape.m: must be at least 1; got 0");
    CHECK_THROWS_WITH(sysc::make_job({4, 4, 0}, {2, 2, 2}, nullptr, job.b.data()),
                      "a, b: operand pointers must not be null");
}

TEST_CASE("systolic model: array from a chip's matrix engine spec", "[systolic]") {
    spec::MatrixEngineSpec engine;
    engine.rows = 128;
    engine.cols = 64;
    engine.dataflow = spec::Dataflow::kOutputStationary;
    CHECK(sysc::systolic_config(engine) == SystolicConfig{128, 64, sysc::kDefaultKMax});
    engine.dataflow = spec::Dataflow::kWeightStationary;
    CHECK(sysc::systolic_config(engine, 0) == SystolicConfig{128, 64, 0, kWS});
    engine.dataflow = spec::Dataflow::kOutputStationary;
    engine.rows = 0;  // the engine is not described as an array
    CHECK_THROWS_WITH(sysc::systolic_config(engine), "array.rows: must be at least 2; got 0");
}
