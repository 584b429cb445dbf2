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
    for (const auto& t : sysc::plan_tiles(a, s)) sum += sysc::tile_cycles(a, t, s.k);
    return sum;
}

}  // namespace

TEST_CASE("systolic model: tiles cover C once, row folds outer, ragged at the far edges", "[systolic]") {
    const SystolicConfig a{4, 8, 0};
    const GemmShape s{10, 19, 5};
    const auto tiles = sysc::plan_tiles(a, s);
    REQUIRE(tiles.size() == 3 * 3);
    CHECK(tiles[0] == sysc::Tile{0, 0, 4, 8});
    CHECK(tiles[1] == sysc::Tile{0, 8, 4, 8});
    CHECK(tiles[2] == sysc::Tile{0, 16, 4, 3});
    CHECK(tiles[3] == sysc::Tile{4, 0, 4, 8});
    CHECK(tiles[8] == sysc::Tile{8, 16, 2, 3});
    std::set<std::pair<std::int64_t, std::int64_t>> covered;
    for (const auto& t : tiles)
        for (std::int64_t i = 0; i < t.m; ++i)
            for (std::int64_t j = 0; j < t.n; ++j) CHECK(covered.insert({t.m0 + i, t.n0 + j}).second);
    CHECK(covered.size() == static_cast<std::size_t>(s.m * s.n));
}

TEST_CASE("systolic model: one tile's phases as the RTL runs them", "[systolic]") {
    // 4x4, one full tile, K = 4: clear 1 + stream K+R+C-2 = 10 + drain R = 4.
    const SystolicConfig a{4, 4, 0};
    auto c = sysc::tile_cycles(a, {0, 0, 4, 4}, 4);
    CHECK(c.compute == 15);
    CHECK(c.load == 8);      // 4 A rows + 4 B columns, one 8-element word each
    CHECK(c.readout == 8);   // 4 rows x 2 words of two int32
    CHECK(c.total() == 31);
    // Ragged 3x3 tile, K = 9: two words per lane; the compute phase does not shrink.
    c = sysc::tile_cycles(a, {4, 4, 3, 3}, 9);
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

TEST_CASE("systolic model: results equal the reference GEMM", "[systolic]") {
    for (const auto& a : kArrays) {
        if (a.rows > 16) continue;
        for (const auto& s : test::shapes_for(a)) {
            const auto job = test::random_job(a, s);
            const auto run = sysc::run_gemm_model(job);
            INFO(a.rows << "x" << a.cols << " M=" << s.m << " N=" << s.n << " K=" << s.k);
            REQUIRE(run.c == sysc::reference_gemm(s, job.a, job.b));
            REQUIRE(run.cycles == sysc::gemm_cycles(a, s));
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
    CHECK_THROWS_WITH(sysc::validate(bad),
                      "shape.k: must not exceed the array's operand buffer depth k_max = 16; got 17");
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
    CHECK_THROWS_WITH(sysc::systolic_config(engine), "matrix.dataflow: the systolic model is output-stationary only");
    engine.dataflow = spec::Dataflow::kOutputStationary;
    engine.rows = 0;  // the engine is not described as an array
    CHECK_THROWS_WITH(sysc::systolic_config(engine), "array.rows: must be at least 2; got 0");
}
