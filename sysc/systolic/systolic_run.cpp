#include "sysc/systolic/systolic_run.h"

#include <stdexcept>
#include <systemc>

#include "sysc/kernel/gated_clock.h"
#include "sysc/kernel/sim_session.h"
#include "sysc/systolic/systolic_sc.h"

namespace chipdse::sysc {
namespace {

constexpr const char* kBenchName = "systolic_sc";

// A gated clock and the shell; the clock runs only while the shell has jobs.
struct ScBench : sc_core::sc_module {
    GatedClock clock;
    SystolicSc engine;

    explicit ScBench(const sc_core::sc_module_name& name)
        : sc_core::sc_module(name),
          clock("clock", sc_core::sc_time(1, sc_core::SC_NS)),
          engine("engine", sc_core::sc_time(1, sc_core::SC_NS)) {
        engine.clk(clock.signal());
        engine.on_idle = [this] { clock.disable(); };
    }
};

// Built once, never destroyed: SystemC modules live as long as the simulation, i.e. the process.
ScBench* g_bench = nullptr;

}  // namespace

void prepare_systolic_sc() {
    auto& session = SimSession::instance();
    auto lock = session.lock();
    session.require(kBenchName, [] { g_bench = new ScBench(kBenchName); });
}

std::vector<GemmRun> run_gemm_systemc(std::span<const GemmJob> jobs) {
    for (const GemmJob& job : jobs) validate(job);
    auto& session = SimSession::instance();
    auto lock = session.lock();
    prepare_systolic_sc();
    std::vector<GemmRun> runs(jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) g_bench->engine.submit(jobs[i], runs[i]);
    if (g_bench->engine.needs_clock()) g_bench->clock.enable();
    session.run();
    if (!g_bench->engine.idle()) throw std::logic_error("systolic_sc: simulation stopped with jobs queued");
    return runs;
}

GemmRun run_gemm_systemc(const GemmJob& job) { return std::move(run_gemm_systemc(std::span(&job, 1)).front()); }

GemmRun run_gemm_systemc(std::int64_t rows, std::int64_t cols, const GemmShape& shape, const std::int8_t* a,
                         const std::int8_t* b) {
    return run_gemm_systemc(make_job({rows, cols, 0}, shape, a, b));
}

}  // namespace chipdse::sysc
