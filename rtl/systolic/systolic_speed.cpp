// Simulated cycles per second of the verilated systolic arrays inside SystemC (L2), and of the
// SystemC shell (L1) on the same jobs; checks every result against the reference GEMM.
// Usage: chipdse_systolic_speed [--quick]     (--quick: a sub-second smoke run for CTest)
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "rtl/systolic/systolic_rtl.h"
#include "sysc/systolic/systolic_run.h"

namespace {

using namespace chipdse;

std::vector<sysc::GemmJob> make_jobs(const sysc::SystolicConfig& array, const sysc::GemmShape& shape, int count) {
    std::mt19937 rng(1234);
    std::uniform_int_distribution<int> value(-128, 127);
    std::vector<sysc::GemmJob> jobs;
    for (int j = 0; j < count; ++j) {
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
        ok = ok && runs[i].c == sysc::reference_gemm(jobs[i].shape, jobs[i].a, jobs[i].b) &&
             runs[i].cycles == sysc::gemm_cycles(jobs[i].array, jobs[i].shape);
    }
    const auto& a = jobs.front().array;
    const auto& g = jobs.front().shape;
    const double total = static_cast<double>(sum.total());
    std::printf("%-7s %2lldx%-2lld  %zu x GEMM %lldx%lldx%lld: %lld cycles (load %.0f%%, compute %.0f%%, readout %.0f%%) "
                "in %.3f s = %.3g cycles/s%s\n",
                fidelity, static_cast<long long>(a.rows), static_cast<long long>(a.cols), jobs.size(),
                static_cast<long long>(g.m), static_cast<long long>(g.n), static_cast<long long>(g.k),
                static_cast<long long>(sum.total()), 100.0 * static_cast<double>(sum.load) / total,
                100.0 * static_cast<double>(sum.compute) / total, 100.0 * static_cast<double>(sum.readout) / total, s,
                total / s, ok ? "" : "  MISMATCH");
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    rtl::prepare_systolic_rtl();
    bool ok = true;
    for (const auto& array : rtl::systolic_rtl_arrays()) {
        if (!((array.rows == 16 && array.cols == 16) || (array.rows == 4 && array.cols == 4))) continue;
        const sysc::GemmShape shape = quick ? sysc::GemmShape{32, 32, 64} : sysc::GemmShape{64, 64, array.k_max};
        const auto jobs = make_jobs(array, shape, quick ? 1 : 32);
        ok = measure("rtl", jobs, [](const auto& j) { return rtl::run_gemm_rtl(j); }) && ok;
        ok = measure("systemc", jobs, [](const auto& j) { return sysc::run_gemm_systemc(j); }) && ok;
    }
    return ok ? 0 : 1;
}
