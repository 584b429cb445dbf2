#include "sysc/systolic/matrix_engine_run.h"

#include <limits>
#include <stdexcept>
#include <string>
#include <systemc>

#include "sysc/hbm/hbm_memory.h"
#include "sysc/hbm/hbm_sc.h"
#include "sysc/kernel/sim_session.h"
#include "sysc/systolic/matrix_engine_sc.h"

namespace chipdse::sysc {
namespace {

constexpr const char* kBenchName = "matrix_engine_sc";

// Two engines, one per memory target (an initiator socket binds one target).
struct EngineBench : sc_core::sc_module {
    SimpleMemorySc simple;
    hbm::HbmSc hbm;
    MatrixEngineSc on_simple, on_hbm;

    explicit EngineBench(const sc_core::sc_module_name& name)
        : sc_core::sc_module(name), simple("simple"), hbm("hbm"), on_simple("on_simple"), on_hbm("on_hbm") {
        on_simple.socket.bind(simple.socket);
        on_hbm.socket.bind(hbm.socket);
    }
};

// Built once, never destroyed: SystemC modules live as long as the simulation, i.e. the process.
EngineBench* g_bench = nullptr;

[[noreturn]] void bad(const std::string& what) { throw std::invalid_argument(what); }

void validate(const EngineJob& job) {
    validate(timing_job(job.array, job.shape));  // array and shape
    if (!(job.clock_hz > 0)) bad("clock_hz: must be positive; got " + std::to_string(job.clock_hz));
    if (job.sram.fill_bytes_per_cycle < 0) bad("sram.fill_bytes_per_cycle: must be 0 (unbounded) or positive");
    if (job.sram.request_bytes < 0) bad("sram.request_bytes: must be 0 (one request per transfer) or positive");
    if (job.memory == EngineMemory::kSimple) {
        if (job.simple.latency < 0) bad("simple.latency: must not be negative; got " + std::to_string(job.simple.latency));
        if (job.simple.bytes_per_cycle < 0) bad("simple.bytes_per_cycle: must be 0 (unbounded) or positive");
        std::int64_t largest = job.sram.request_bytes;
        if (largest == 0)
            for (const EnginePass& p : engine_passes(job.array, job.shape))
                largest = std::max({largest, p.fetch_bytes, p.writeback_bytes});
        if (largest > std::numeric_limits<unsigned int>::max())
            bad("sram.request_bytes: a request of " + std::to_string(largest) + " bytes exceeds a TLM payload");
        return;
    }
    if (job.sram.request_bytes == 0 || job.sram.request_bytes % job.hbm.burst_bytes != 0)
        bad("sram.request_bytes: the HBM takes whole bursts of " + std::to_string(job.hbm.burst_bytes) +
            " bytes; got " + std::to_string(job.sram.request_bytes));
    const hbm::HbmMemory probe(job.hbm);
    if (!probe.fits(0, job.sram.request_bytes, false) || !probe.fits(0, job.sram.request_bytes, true))
        bad("sram.request_bytes: a request of " + std::to_string(job.sram.request_bytes) +
            " bytes does not fit the HBM's queues");
}

}  // namespace

void prepare_matrix_engine_sc() {
    auto& session = SimSession::instance();
    auto lock = session.lock();
    session.require(kBenchName, [] { g_bench = new EngineBench(kBenchName); });
}

EngineRun run_matrix_engine_systemc(const EngineJob& job) {
    validate(job);
    auto& session = SimSession::instance();
    auto lock = session.lock();
    prepare_matrix_engine_sc();
    EngineRun out;
    MatrixEngineSc* engine = nullptr;
    if (job.memory == EngineMemory::kSimple) {
        g_bench->simple.configure(sc_core::sc_time(1.0 / job.clock_hz, sc_core::SC_SEC), job.simple);
        engine = &g_bench->on_simple;
        engine->start(job, out, std::uint64_t{1} << 62, 1);
    } else {
        g_bench->hbm.configure(job.hbm);
        engine = &g_bench->on_hbm;
        engine->start(job, out, static_cast<std::uint64_t>(job.hbm.capacity_bytes()), job.hbm.burst_bytes);
    }
    session.run();
    if (!engine->idle()) throw std::logic_error("matrix_engine_sc: simulation stopped with the GEMM unfinished");
    if (engine->errors() > 0) throw std::logic_error("matrix_engine_sc: the memory answered requests with errors");
    if (job.memory == EngineMemory::kSimple &&
        (g_bench->simple.bytes_read() != out.fetch_bytes || g_bench->simple.bytes_written() != out.writeback_bytes))
        throw std::logic_error("matrix_engine_sc: the memory served other byte counts than the engine sent");
    return out;
}

}  // namespace chipdse::sysc
