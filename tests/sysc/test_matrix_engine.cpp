// The SystemC matrix engine: the array's passes fed over TLM through a double-buffered operand
// SRAM. Against the simple latency + bandwidth memory its measured cycles equal hand-derived
// closed forms (docs/systolic.md, "Matrix engine"); with unbounded bandwidth they equal the
// array's compute cycles and the analytical fold formula without double buffering, and differ from
// the double-buffered one by (folds - 1)(2R + C - 1 - max(0, R - stream)); around the
// double-buffered (pipelined) array they equal that one. On the HBM target they respect the peak.
#include <catch2/catch.hpp>

#include <algorithm>

#include "dse/model/compute_model.h"
#include "sysc/hbm/hbm_config.h"
#include "sysc/systolic/matrix_engine_run.h"

using namespace chipdse;
using sysc::EngineJob;
using sysc::GemmShape;
using sysc::SystolicConfig;

namespace {

EngineJob simple_job(SystolicConfig array, GemmShape shape, std::int64_t latency, double bw, double fill,
                     std::int64_t request = 64) {
    EngineJob j;
    j.array = array;
    j.shape = shape;
    j.simple = {latency, bw};
    j.sram = {fill, request};
    return j;
}

// 16x16 output-stationary array, GEMM 64 x 64 x 256: 4 x 4 = 16 passes; each fetches
// (16 + 16) * 256 = 8,192 operand bytes, computes 2R + C + K - 1 = 303 cycles and writes back
// 16 * 16 * 4 = 1,024 result bytes.
const SystolicConfig kOs16{16, 16, 0};
const GemmShape kShape{64, 64, 256};

}  // namespace

TEST_CASE("matrix engine: memory-bound, cycles = bytes / bandwidth + the last pass's compute", "[sysc]") {
    // 4 B/cycle, no latency: steps 0..14 move at least 8,192 / 4 = 2,048 > 303 cycles of bytes,
    // so the memory never idles until the last step (pass 15), whose only memory work, pass 14's
    // write-back (1,024 / 4 = 256 < 303), hides behind its compute; pass 15's write-back follows:
    // total = (every byte but pass 14's results) / 4 + 303 = (16 * 8,192 + 15 * 1,024) / 4 + 303.
    const auto run = sysc::run_matrix_engine_systemc(simple_job(kOs16, kShape, 0, 4, 0));
    CHECK(run.cycles.total() == (16 * 8192 + 15 * 1024) / 4 + 303);
    CHECK(run.cycles.first_fetch == 8192 / 4);
    CHECK(run.cycles.compute == 16 * 303);
    CHECK(run.cycles.last_writeback == 1024 / 4);
    CHECK(run.fetch_bytes == 16 * 8192);
    CHECK(run.writeback_bytes == 64 * 64 * 4);
    CHECK(run.requests == (16 * 8192 + 16 * 1024) / 64);
    CHECK(run.time_s == Approx(static_cast<double>(run.cycles.total()) * 1e-9));
    // The SRAM fills are the operand writes: K (M F_n + N F_m) elements of one byte.
    CHECK(run.activity.operand_writes == 256 * (64 * 4 + 64 * 4));
    CHECK(run.activity.macs == 64 * 64 * 256);
    CHECK(run.cycles == sysc::double_buffered_cycles(kOs16, kShape, {0, 4}, {0, 64}));
}

TEST_CASE("matrix engine: SRAM fill starvation, cycles = operand bytes / fill bandwidth + the last compute", "[sysc]") {
    // Unbounded memory, SRAM written at 2 B/cycle: each fetch takes 8,192 / 2 = 4,096 > 303.
    const auto run = sysc::run_matrix_engine_systemc(simple_job(kOs16, kShape, 0, 0, 2));
    CHECK(run.cycles.total() == 16 * 8192 / 2 + 303);
    CHECK(run.cycles.stall == 15 * (4096 - 303));
    CHECK(run.cycles.last_writeback == 0);
}

TEST_CASE("matrix engine: compute-bound, latency paid at the ends only", "[sysc]") {
    // 100 cycles latency, 64 B/cycle: a step's memory work is 100 + (1,024 + 8,192) / 64 = 244 < 303.
    // total = (100 + 8,192 / 64) + 16 * 303 + (100 + 1,024 / 64).
    const auto run = sysc::run_matrix_engine_systemc(simple_job(kOs16, kShape, 100, 64, 0));
    CHECK(run.cycles.total() == 228 + 16 * 303 + 116);
    CHECK(run.cycles.stall == 0);
    CHECK(run.cycles.first_fetch == 228);
}

TEST_CASE("matrix engine: unbounded bandwidth equals the fold formula without double buffering", "[sysc][fidelity]") {
    for (const auto d : {sysc::Dataflow::kOutputStationary, sysc::Dataflow::kWeightStationary, sysc::Dataflow::kInputStationary})
        for (const GemmShape s : {GemmShape{64, 64, 256}, GemmShape{100, 70, 200}, GemmShape{17, 33, 9}}) {
            const SystolicConfig array{16, 8, 0, d};
            const auto run = sysc::run_matrix_engine_systemc(simple_job(array, s, 0, 0, 0));
            spec::MatrixEngineSpec e;
            e.rows = 16;
            e.cols = 8;
            e.dataflow = d;
            const double macs = static_cast<double>(s.m * s.n * s.k), pes = 16.0 * 8.0;
            const double l0 = macs / (pes * model::ComputeModel::array_utilisation_l0(e, s.m, s.n, s.k));
            e.double_buffered = true;
            const double l0_db = macs / (pes * model::ComputeModel::array_utilisation_l0(e, s.m, s.n, s.k));
            // L0's folds: spatial dimensions over R and C (K x N for WS, K x M for IS)
            const std::int64_t folds = d == sysc::Dataflow::kOutputStationary ? ((s.m + 15) / 16) * ((s.n + 7) / 8)
                                       : d == sysc::Dataflow::kWeightStationary ? ((s.k + 15) / 16) * ((s.n + 7) / 8)
                                                                                 : ((s.k + 15) / 16) * ((s.m + 7) / 8);
            INFO(sysc::dataflow_name(d) << " " << s.m << "x" << s.n << "x" << s.k);
            CHECK(static_cast<double>(run.cycles.total()) == Approx(l0).epsilon(1e-12));
            CHECK(run.cycles.stall == 0);
            // L0's double-buffered formula pays the fill and drain once, and a fold no sooner than R
            // after the previous one (the OS 17x33x9 case streams K = 9 < R = 16)
            const std::int64_t stream = d == sysc::Dataflow::kOutputStationary ? s.k
                                        : d == sysc::Dataflow::kWeightStationary ? s.m : s.n;
            CHECK(static_cast<double>(run.cycles.total()) - l0_db ==
                  Approx((folds - 1) * (2 * 16 + 8 - 1 - std::max<std::int64_t>(0, 16 - stream))).margin(1e-6));
            // the same engine around the double-buffered (pipelined) array gives L0's double-buffered value
            SystolicConfig pipelined = array;
            pipelined.double_buffered = true;
            const auto db = sysc::run_matrix_engine_systemc(simple_job(pipelined, s, 0, 0, 0));
            CHECK(db.cycles.total() == sysc::gemm_cycles(pipelined, s).compute);
            CHECK(static_cast<double>(db.cycles.total()) == Approx(l0_db).epsilon(1e-12));
            CHECK(db.cycles.stall == 0);
        }
}

TEST_CASE("matrix engine: double-buffered array, the hand-derived cases with pipelined passes", "[sysc]") {
    // The same 16 passes, pipelined: pass 0 computes 1 + 256 = 257 (the start edge), passes 1..14
    // stream 256 each (K >= R: the drain hides), pass 15 256 + 2R + C - 2 = 302; sum 4,143 =
    // 16 * 256 + 2R + C - 1, L0's double-buffered value.
    SystolicConfig db = kOs16;
    db.double_buffered = true;
    const auto passes = sysc::engine_passes(db, kShape);
    REQUIRE(passes.size() == 16);
    CHECK(passes.front().compute == 257);
    CHECK(passes[7].compute == 256);
    CHECK(passes.back().compute == 302);
    // memory-bound: as single-buffered but the last pass's 302 in place of 303
    auto run = sysc::run_matrix_engine_systemc(simple_job(db, kShape, 0, 4, 0));
    CHECK(run.cycles.total() == (16 * 8192 + 15 * 1024) / 4 + 302);
    CHECK(run.cycles == sysc::double_buffered_cycles(db, kShape, {0, 4}, {0, 64}));
    // SRAM-starved: 16 * 8,192 / 2 + 302
    run = sysc::run_matrix_engine_systemc(simple_job(db, kShape, 0, 0, 2));
    CHECK(run.cycles.total() == 16 * 8192 / 2 + 302);
    // compute-bound: a step's memory work 244 < 256, so 228 + 4,143 + 116
    run = sysc::run_matrix_engine_systemc(simple_job(db, kShape, 100, 64, 0));
    CHECK(run.cycles.total() == 228 + 4143 + 116);
    CHECK(run.cycles.stall == 0);
    CHECK(run.cycles.compute == 4143);
    CHECK(run.activity == sysc::gemm_activity(kOs16, kShape));
}

TEST_CASE("matrix engine: SystemC equals the closed form, every dataflow, ragged shapes and odd rates", "[sysc]") {
    int cases = 0;
    for (const auto d : {sysc::Dataflow::kOutputStationary, sysc::Dataflow::kWeightStationary, sysc::Dataflow::kInputStationary})
        for (const SystolicConfig base : {SystolicConfig{4, 4, 0}, SystolicConfig{8, 4, 16}, SystolicConfig{3, 5, 7}})
            for (const GemmShape s : {GemmShape{9, 7, 13}, GemmShape{33, 20, 40}, GemmShape{1, 1, 1}})
                for (const auto& [lat, bw, fill, req] : {std::tuple{0, 0.0, 0.0, 64}, std::tuple{7, 3.0, 0.0, 64},
                                                          std::tuple{3, 0.7, 1.5, 10}, std::tuple{11, 2.5, 5.0, 0}}) {
                    for (const bool pipelined : {false, true}) {
                    SystolicConfig a = base;
                    a.dataflow = d;
                    a.double_buffered = pipelined;
                    const auto job = simple_job(a, s, lat, bw, fill, req);
                    const auto run = sysc::run_matrix_engine_systemc(job);
                    INFO(sysc::dataflow_name(d) << (pipelined ? " pipelined " : " ") << a.rows << "x" << a.cols << " k_max=" << a.k_max << " " << s.m
                                                << "x" << s.n << "x" << s.k << " L=" << lat << " bw=" << bw
                                                << " fill=" << fill << " req=" << req);
                    CHECK(run.cycles == sysc::double_buffered_cycles(a, s, job.simple, job.sram));
                    CHECK(run.activity == sysc::gemm_activity(a, s));
                    CHECK(run.fetch_bytes == run.activity.operand_writes);
                    CHECK(run.writeback_bytes == s.m * s.n * 4);
                    ++cases;
                    }
                }
    CHECK(cases == 216);
}

TEST_CASE("matrix engine: bf16 operands fetch twice the bytes", "[sysc]") {
    SystolicConfig a = kOs16;
    a.precision = spec::Precision::kBf16;
    const auto run = sysc::run_matrix_engine_systemc(simple_job(a, kShape, 0, 4, 0));
    CHECK(run.fetch_bytes == 2 * 16 * 8192);
    CHECK(run.cycles.total() == (2 * 16 * 8192 + 15 * 1024) / 4 + 303);
}

TEST_CASE("matrix engine: on the HBM the operand stream sees DRAM timing, bounded by the peak", "[sysc][hbm]") {
    const sysc::hbm::HbmConfig hbm = sysc::hbm::load_hbm_config(
        std::string(CHIPDSE_SOURCE_DIR) + "/arch_configs/memory/hbm3-6400.yaml", {"hbm.timing.refresh=none"});
    // A 4 GHz engine: the channel's 51.2 GB/s peak is 12.8 B/cycle, below the array's demand of
    // ~32 B/cycle on this GEMM, so the engine is memory-bound.
    EngineJob job = simple_job(kOs16, kShape, 0, 0, 0);
    job.memory = sysc::EngineMemory::kHbm;
    job.hbm = hbm;
    job.clock_hz = 4e9;
    const auto run = sysc::run_matrix_engine_systemc(job);
    const double peak_per_cycle = hbm.peak_bytes_per_s() / job.clock_hz;
    REQUIRE(peak_per_cycle == Approx(12.8));
    CHECK(run.fetch_bytes == 16 * 8192);
    CHECK(run.writeback_bytes == 64 * 64 * 4);
    // never faster than the peak with no latency at all (12.8 B/cycle: 5 cycles per 64 B request)
    const auto bound = sysc::double_buffered_cycles(kOs16, kShape, {0, 12.8}, job.sram);
    CHECK(run.cycles.total() >= bound.total());
    // ... and a sequential stream gets most of it (docs/hbm.md: 99.9 % for reads alone)
    const double bytes = static_cast<double>(run.fetch_bytes + run.writeback_bytes);
    CHECK(bytes / static_cast<double>(run.cycles.total()) > 0.7 * peak_per_cycle);
    CHECK(run.cycles.stall > 0);
    // at 1 GHz (51.2 B/cycle) the same GEMM is compute-bound but for the DRAM latency
    job.clock_hz = 1e9;
    const auto slow = sysc::run_matrix_engine_systemc(job);
    CHECK(slow.cycles.compute == 16 * 303);
    CHECK(slow.cycles.total() >= 16 * 303 + 8192 / 51.2);
    CHECK(slow.cycles.total() < 16 * 303 + 1000);
}

TEST_CASE("matrix engine: bad jobs throw before anything runs", "[sysc]") {
    auto job = simple_job(kOs16, kShape, 0, 0, 0);
    job.simple.latency = -1;
    CHECK_THROWS_WITH(sysc::run_matrix_engine_systemc(job), "simple.latency: must not be negative; got -1");
    job = simple_job(kOs16, kShape, 0, 0, 0, 48);
    job.memory = sysc::EngineMemory::kHbm;
    job.hbm = sysc::hbm::load_hbm_config(std::string(CHIPDSE_SOURCE_DIR) + "/arch_configs/memory/hbm3-6400.yaml");
    job.sram.request_bytes = 40;
    CHECK_THROWS_WITH(sysc::run_matrix_engine_systemc(job),
                      "sram.request_bytes: the HBM takes whole bursts of 32 bytes; got 40");
}
