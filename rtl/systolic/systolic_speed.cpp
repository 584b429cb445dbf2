// Simulated cycles per second of the verilated systolic arrays inside SystemC (L2, output- and
// weight-stationary, single- and double-buffered), of the SystemC shell (L1) clocked on the same
// jobs, and of the shell's timing-only mode on 4096 x 4096 x 4096 GEMMs on a 128 x 128 array.
// Checks every result against the reference GEMM and every cycle count against the closed form.
// Usage: chipdse_systolic_speed [--quick]     (--quick: a sub-second smoke run for CTest)
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "rtl/systolic/systolic_rtl.h"
#include "rtl/systolic/systolic_rtl_ws.h"
#include "sysc/systolic/bf16_mac.h"
#include "sysc/systolic/systolic_run.h"

namespace {

using namespace chipdse;

std::vector<sysc::GemmJob> make_jobs(const sysc::SystolicConfig& array, const sysc::GemmShape& shape, int count) {
    std::mt19937 rng(1234);
    std::uniform_int_distribution<int> value(-128, 127);
    std::normal_distribution<float> normal(0.0f, 1.0f);  // bf16 arrays
    std::vector<sysc::GemmJob> jobs;
    for (int j = 0; j < count && array.precision == spec::Precision::kBf16; ++j) {
        sysc::GemmJob job{array, shape, {}, {}};
        job.a_bf16.resize(static_cast<std::size_t>(shape.m * shape.k));
        job.b_bf16.resize(static_cast<std::size_t>(shape.k * shape.n));
        for (auto& x : job.a_bf16) x = sysc::bf16_from_float(normal(rng));
        for (auto& x : job.b_bf16) x = sysc::bf16_from_float(normal(rng));
        jobs.push_back(std::move(job));
    }
    for (int j = 0; j < count && array.precision != spec::Precision::kBf16; ++j) {
        sysc::GemmJob job{array, shape, std::vector<std::int8_t>(static_cast<std::size_t>(shape.m * shape.k)),
                          std::vector<std::int8_t>(static_cast<std::size_t>(shape.k * shape.n))};
        for (auto& x : job.a) x = static_cast<std::int8_t>(value(rng));
        for (auto& x : job.b) x = static_cast<std::int8_t>(value(rng));
        jobs.push_back(std::move(job));
    }
    return jobs;
}

template <class Run>
bool measure(const char* fidelity, const std::vector<sysc::GemmJob>& jobs, Run run) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<sysc::GemmRun> runs = run(jobs);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    sysc::SystolicCycles sum;
    bool ok = true;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        sum += runs[i].cycles;
        ok = ok && runs[i].cycles == sysc::gemm_cycles(jobs[i].array, jobs[i].shape);
        if (!jobs[i].timing_only && jobs[i].array.precision == spec::Precision::kBf16)
            ok = ok && runs[i].c == sysc::reference_gemm_bf16(jobs[i].shape, jobs[i].a_bf16, jobs[i].b_bf16);
        else if (!jobs[i].timing_only)
            ok = ok && runs[i].c == sysc::reference_gemm(jobs[i].shape, jobs[i].a, jobs[i].b);
    }
    const auto& a = jobs.front().array;
    const auto& g = jobs.front().shape;
    const double total = static_cast<double>(sum.total());
    std::printf("%-12s %s %-4s %3lldx%-3lld %zu x GEMM %lldx%lldx%lld: %lld cycles (load %.0f%%, compute %.0f%%, readout "
                "%.0f%%) in %.3f s = %.3g cycles/s%s\n",
                fidelity, sysc::dataflow_name(a.dataflow), a.precision == spec::Precision::kBf16 ? "bf16" : "int8",
                static_cast<long long>(a.rows),
                static_cast<long long>(a.cols), jobs.size(), static_cast<long long>(g.m), static_cast<long long>(g.n),
                static_cast<long long>(g.k), static_cast<long long>(sum.total()),
                100.0 * static_cast<double>(sum.load) / total, 100.0 * static_cast<double>(sum.compute) / total,
                100.0 * static_cast<double>(sum.readout) / total, s, total / s, ok ? "" : "  MISMATCH");
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    rtl::prepare_systolic_rtl_ws();  // all benches, before the first run
    bool ok = true;
    const auto wanted = [](const sysc::SystolicConfig& a) {
        return (a.rows == 16 && a.cols == 16) || (a.rows == 4 && a.cols == 4);
    };
    for (const auto& array : rtl::systolic_rtl_arrays()) {
        if (!wanted(array)) continue;
        const sysc::GemmShape shape = quick ? sysc::GemmShape{32, 32, 64} : sysc::GemmShape{64, 64, array.k_max};
        const auto jobs = make_jobs(array, shape, quick ? 1 : 32);
        ok = measure("rtl", jobs, [](const auto& j) { return rtl::run_gemm_rtl(j); }) && ok;
        ok = measure("systemc", jobs, [](const auto& j) { return sysc::run_gemm_systemc(j); }) && ok;
    }
    for (const auto& array : rtl::systolic_rtl_ws_arrays()) {
        if (!wanted(array)) continue;
        const sysc::GemmShape shape = quick ? sysc::GemmShape{32, 32, 64} : sysc::GemmShape{array.k_max, 64, 64};
        const auto jobs = make_jobs(array, shape, quick ? 1 : 32);
        ok = measure("rtl", jobs, [](const auto& j) { return rtl::run_gemm_rtl_ws(j); }) && ok;
        ok = measure("systemc", jobs, [](const auto& j) { return sysc::run_gemm_systemc(j); }) && ok;
    }
    // Double-buffered: a whole GEMM per start (64 x 64 x 64 on 4 x 4 is 256 passes, the arrays' PMAX).
    for (const auto& array : rtl::systolic_rtl_db_arrays()) {
        if (!wanted(array)) continue;
        const sysc::GemmShape shape = quick ? sysc::GemmShape{32, 32, 64} : sysc::GemmShape{64, 64, 64};
        const auto jobs = make_jobs(array, shape, quick ? 1 : 32);
        ok = measure("rtl-db", jobs, [](const auto& j) { return rtl::run_gemm_rtl(j); }) && ok;
        ok = measure("systemc-db", jobs, [](const auto& j) { return sysc::run_gemm_systemc(j); }) && ok;
    }
    for (const auto& array : rtl::systolic_rtl_ws_db_arrays()) {
        if (!wanted(array)) continue;
        const sysc::GemmShape shape = quick ? sysc::GemmShape{32, 32, 64} : sysc::GemmShape{64, 64, 64};
        const auto jobs = make_jobs(array, shape, quick ? 1 : 32);
        ok = measure("rtl-db", jobs, [](const auto& j) { return rtl::run_gemm_rtl_ws(j); }) && ok;
        ok = measure("systemc-db", jobs, [](const auto& j) { return sysc::run_gemm_systemc(j); }) && ok;
    }
    // Timing-only: one event per phase of a pass.
    for (const auto d : {sysc::Dataflow::kOutputStationary, sysc::Dataflow::kWeightStationary,
                         sysc::Dataflow::kInputStationary}) {
        const std::vector<sysc::GemmJob> jobs(quick ? 1 : 8, sysc::timing_job({128, 128, 0, d}, {4096, 4096, 4096}));
        ok = measure("timing-only", jobs, [](const auto& j) { return sysc::run_gemm_systemc(j); }) && ok;
    }
    return ok ? 0 : 1;
}
