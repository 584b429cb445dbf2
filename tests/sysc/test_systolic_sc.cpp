// The SystemC shell of the systolic array: its measured cycles equal the closed form, its results
// the reference GEMM, and one process can run many GEMMs in one elaboration. Each test case is its
// own process (catch_discover_tests), so each starts from a fresh SystemC kernel.
#include <catch2/catch.hpp>
#include <chrono>

#include "sysc/kernel/sim_session.h"
#include "sysc/systolic/systolic_run.h"
#include "systolic_test_data.h"

using namespace chipdse;
using sysc::GemmShape;
using sysc::SystolicConfig;

TEST_CASE("systolic_sc: cycles equal the closed form and results the reference, many shapes in one run", "[systolic]") {
    std::vector<sysc::GemmJob> jobs;
    for (const SystolicConfig a : {SystolicConfig{2, 2, 256}, SystolicConfig{4, 4, 256}, SystolicConfig{8, 8, 256},
                                   SystolicConfig{16, 16, 256}, SystolicConfig{4, 8, 256}, SystolicConfig{8, 4, 256},
                                   SystolicConfig{3, 5, 256}, SystolicConfig{32, 16, 256}})
        for (const auto& s : test::shapes_for(a)) jobs.push_back(test::random_job(a, s));
    jobs.push_back(test::extreme_job({4, 4, 256}, {9, 7, 256}));
    const auto runs = sysc::run_gemm_systemc(jobs);
    REQUIRE(runs.size() == jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const auto& j = jobs[i];
        INFO(j.array.rows << "x" << j.array.cols << " M=" << j.shape.m << " N=" << j.shape.n << " K=" << j.shape.k);
        CHECK(runs[i].cycles == sysc::gemm_cycles(j.array, j.shape));
        CHECK(runs[i].c == sysc::reference_gemm(j.shape, j.a, j.b));
    }
}

TEST_CASE("systolic_sc: weight- and input-stationary and K-folded jobs equal the closed form and the reference", "[systolic]") {
    std::vector<sysc::GemmJob> jobs;
    for (const auto d : {sysc::Dataflow::kWeightStationary, sysc::Dataflow::kInputStationary, sysc::Dataflow::kOutputStationary})
        for (const SystolicConfig base : {SystolicConfig{4, 4, 16}, SystolicConfig{8, 8, 0}, SystolicConfig{4, 8, 32},
                                          SystolicConfig{3, 5, 16}})
            for (const auto& s : test::shapes_for({base.rows, base.cols, 64})) {
                SystolicConfig a = base;
                a.dataflow = d;
                jobs.push_back(test::random_job(a, s));
            }
    const auto runs = sysc::run_gemm_systemc(jobs);
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const auto& j = jobs[i];
        INFO(j.array.rows << "x" << j.array.cols << " " << sysc::dataflow_name(j.array.dataflow) << " k_max="
                          << j.array.k_max << " M=" << j.shape.m << " N=" << j.shape.n << " K=" << j.shape.k);
        CHECK(runs[i].cycles == sysc::gemm_cycles(j.array, j.shape));
        CHECK(runs[i].activity == sysc::gemm_activity(j.array, j.shape));
        CHECK(runs[i].c == sysc::reference_gemm(j.shape, j.a, j.b));
    }
}

TEST_CASE("systolic_sc: double-buffered arrays spend the pipelined timeline, clocked and timing-only", "[systolic]") {
    std::vector<sysc::GemmJob> jobs;
    for (const auto d : {sysc::Dataflow::kWeightStationary, sysc::Dataflow::kInputStationary, sysc::Dataflow::kOutputStationary})
        for (const SystolicConfig base : {SystolicConfig{4, 4, 16}, SystolicConfig{8, 8, 0}, SystolicConfig{3, 5, 7}})
            for (const auto& s : test::shapes_for({base.rows, base.cols, 64})) {
                SystolicConfig a = base;
                a.dataflow = d;
                a.double_buffered = true;
                jobs.push_back(test::random_job(a, s));
                jobs.push_back(sysc::timing_job(a, s));
            }
    const auto runs = sysc::run_gemm_systemc(jobs);
    int faster = 0;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const auto& j = jobs[i];
        INFO(j.array.rows << "x" << j.array.cols << " " << sysc::dataflow_name(j.array.dataflow) << " k_max="
                          << j.array.k_max << " M=" << j.shape.m << " N=" << j.shape.n << " K=" << j.shape.k
                          << (j.timing_only ? " timing-only" : ""));
        CHECK(runs[i].cycles == sysc::gemm_cycles(j.array, j.shape));
        CHECK(runs[i].cycles == sysc::run_gemm_model(sysc::timing_job(j.array, j.shape)).cycles);
        // the same MACs and SRAM traffic as the single-buffered array; only compute shrinks
        SystolicConfig single = j.array;
        single.double_buffered = false;
        CHECK(runs[i].activity == sysc::gemm_activity(single, j.shape));
        const auto plain = sysc::gemm_cycles(single, j.shape);
        CHECK(runs[i].cycles.compute <= plain.compute);
        faster += runs[i].cycles.compute < plain.compute;
        if (!j.timing_only) CHECK(runs[i].c == sysc::reference_gemm(j.shape, j.a, j.b));
    }
    CHECK(faster > 0);
}

TEST_CASE("systolic_sc: bf16 input-stationary jobs equal the bf16 reference bit for bit", "[systolic][bf16]") {
    std::vector<sysc::GemmJob> jobs;
    for (const SystolicConfig base : {SystolicConfig{4, 4, 16}, SystolicConfig{8, 8, 0}, SystolicConfig{3, 5, 7}})
        for (const bool pipelined : {false, true})
            for (const auto& s : test::shapes_for({base.rows, base.cols, 64})) {
                SystolicConfig a = base;
                a.dataflow = sysc::Dataflow::kInputStationary;
                a.precision = spec::Precision::kBf16;
                a.double_buffered = pipelined;
                jobs.push_back(test::random_job(a, s));
            }
    const auto runs = sysc::run_gemm_systemc(jobs);
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const auto& j = jobs[i];
        INFO(j.array.rows << "x" << j.array.cols << " k_max=" << j.array.k_max << (j.array.double_buffered ? " db" : "")
                          << " M=" << j.shape.m << " N=" << j.shape.n << " K=" << j.shape.k);
        CHECK(runs[i].cycles == sysc::gemm_cycles(j.array, j.shape));
        CHECK(runs[i].activity == sysc::gemm_activity(j.array, j.shape));
        CHECK(runs[i].c == sysc::reference_gemm_bf16(j.shape, j.a_bf16, j.b_bf16));
    }
}

TEST_CASE("systolic_sc: timing-only runs 4096^3 on a 128x128 array in well under a second", "[systolic]") {
    std::vector<sysc::GemmJob> jobs;
    for (const auto d : {sysc::Dataflow::kOutputStationary, sysc::Dataflow::kWeightStationary, sysc::Dataflow::kInputStationary})
        for (std::int64_t k_max : {0, 256}) jobs.push_back(sysc::timing_job({128, 128, k_max, d}, {4096, 4096, 4096}));
    const auto t0 = std::chrono::steady_clock::now();
    const auto runs = sysc::run_gemm_systemc(jobs);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const auto& j = jobs[i];
        INFO(sysc::dataflow_name(j.array.dataflow) << " k_max=" << j.array.k_max);
        CHECK(runs[i].cycles == sysc::gemm_cycles(j.array, j.shape));
        CHECK(runs[i].activity.macs == 4096LL * 4096 * 4096);
        CHECK(runs[i].c.empty());
    }
    // OS, unbounded buffers: 32 x 32 folds of 2R + C + K - 1 cycles.
    CHECK(runs[0].cycles.compute == 1024 * (256 + 128 + 4096 - 1));
    // Six GEMMs of over 4.5 G cycles each, one event per phase of a pass.
    CHECK(wall < 1.0);
}

TEST_CASE("systolic_sc: timing-only and clocked jobs measure the same cycles", "[systolic]") {
    const auto data = test::random_job({4, 8, 16, sysc::Dataflow::kWeightStationary}, {37, 29, 70});
    const auto timed = sysc::timing_job(data.array, data.shape);
    const auto runs = sysc::run_gemm_systemc(std::vector<sysc::GemmJob>{data, timed});
    CHECK(runs[0].cycles == runs[1].cycles);
    CHECK(runs[0].activity == runs[1].activity);
    CHECK(runs[1].cycles == sysc::gemm_cycles(data.array, data.shape));
    // A batch of timing-only jobs starts no clock: simulated time is exactly the cycles spent.
    const double before = sysc::SimSession::instance().now_s();
    const auto alone = sysc::run_gemm_systemc(timed);
    CHECK(sysc::SimSession::instance().now_s() - before == Approx(static_cast<double>(alone.cycles.total()) * 1e-9));
}

TEST_CASE("systolic_sc: simulated time is the cycles spent", "[systolic]") {
    // The 1 ns clock rises at 0 and, once disabled, stops where its next rising edge would be.
    const auto job = test::random_job({4, 8, 0}, {9, 17, 12});
    const auto run = sysc::run_gemm_systemc(job);
    CHECK(run.cycles.total() == sysc::gemm_cycles(job.array, job.shape).total());
    CHECK(sysc::SimSession::instance().now_s() == Approx((static_cast<double>(run.cycles.total()) + 1.0) * 1e-9));
}

TEST_CASE("systolic_sc: one process runs GEMMs over several calls", "[systolic]") {
    const auto a = test::random_job({4, 4, 0}, {5, 6, 7});
    const auto b = test::random_job({16, 16, 0}, {33, 20, 40});
    double last = 0;
    for (int round = 0; round < 3; ++round) {
        for (const auto* job : {&a, &b}) {
            const auto run = sysc::run_gemm_systemc(*job);
            CHECK(run.cycles == sysc::gemm_cycles(job->array, job->shape));
            CHECK(run.c == sysc::reference_gemm(job->shape, job->a, job->b));
            const double now = sysc::SimSession::instance().now_s();
            CHECK(now > last);
            last = now;
        }
    }
    const auto raw = sysc::run_gemm_systemc(8, 8, a.shape, a.a.data(), a.b.data());
    CHECK(raw.c == sysc::reference_gemm(a.shape, a.a, a.b));
    CHECK(raw.cycles == sysc::gemm_cycles({8, 8, 0}, a.shape));
    CHECK(sysc::run_gemm_systemc(std::vector<sysc::GemmJob>{}).empty());
}

TEST_CASE("systolic_sc: a bad job throws before anything runs", "[systolic]") {
    auto good = test::random_job({4, 4, 0}, {4, 4, 4});
    auto bad = good;
    bad.b.resize(3);
    const std::vector<sysc::GemmJob> jobs{good, bad};
    CHECK_THROWS_WITH(sysc::run_gemm_systemc(jobs), "b.size: must be k * n = 16; got 3");
    CHECK_FALSE(sysc::SimSession::instance().started());
    CHECK(sysc::run_gemm_systemc(good).c == sysc::reference_gemm(good.shape, good.a, good.b));
}

TEST_CASE("systolic_sc: a bench required after the simulation started is an error", "[systolic]") {
    auto& session = sysc::SimSession::instance();
    bool built = false;
    session.require("early", [&] { built = true; });
    CHECK(built);
    const auto job = test::random_job({4, 4, 0}, {4, 4, 4});
    sysc::run_gemm_systemc(job);
    CHECK(session.started());
    CHECK_NOTHROW(session.require("early", [] {}));
    CHECK_THROWS_WITH(session.require("late", [] {}), Catch::Contains("was not built before the simulation started") &&
                                                          Catch::Contains("built: early, systolic_sc"));
}
