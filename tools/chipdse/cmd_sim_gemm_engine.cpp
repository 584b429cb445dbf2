// `chipdse sim gemm --memory simple|hbm`: one GEMM on the chip's matrix engine with its operands
// fetched over TLM into a double-buffered operand SRAM (docs/systolic.md, "Matrix engine"), from
// a latency + bandwidth memory or the chip's HBM model; the array single-buffered or pipelined
// (the chip's matrix.double_buffered, or --double-buffered). Timing only.
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "commands.h"
#include "dse/model/compute_model.h"
#include "dse/spec/design_loader.h"
#include "sim_commands.h"

#if CHIPDSE_HAVE_SYSTEMC
#include "sysc/systolic/matrix_engine_run.h"
#endif

namespace chipdse::cli {

int run_sim_gemm_engine(const SimGemmOptions& opt) {
#if !CHIPDSE_HAVE_SYSTEMC
    (void)opt;
    std::fprintf(stderr, "sim gemm: this build has no SystemC models (configure with CHIPDSE_WITH_SYSTEMC=ON)\n");
    return kExitBadInput;
#else
    auto fail = [](const std::string& msg) {
        std::fprintf(stderr, "sim gemm: %s\n", msg.c_str());
        return kExitBadInput;
    };
    if (opt.memory != "simple" && opt.memory != "hbm")
        return fail("--memory " + opt.memory + ": expected simple or hbm");
    if (opt.rtl) return fail("--memory and --rtl: the matrix engine is a SystemC model (L1)");
    spec::LoadedDesign d = spec::load_design({opt.chip}, opt.assignments);
    if (d.ok() && !d.spec.chip)
        d.diag.error(d.tree.loc(), "chip", "section missing", "nothing", "a chip file with a 'chip:' section");
    if (!d.ok()) {
        std::fputs(d.diag.format().c_str(), stderr);
        return kExitBadInput;
    }
    const spec::ChipSpec& chip = *d.spec.chip;
    if (opt.m <= 0 || opt.n <= 0 || opt.k <= 0)
        return fail(fmt::format("--m, --n and --k must be positive; got {} x {} x {}", opt.m, opt.n, opt.k));
    sysc::EngineJob job;
    try {
        job.array = sysc::systolic_config(chip.matrix, 0);
        if (!opt.dataflow.empty()) job.array.dataflow = sysc::parse_dataflow(opt.dataflow);
        if (opt.double_buffered) job.array.double_buffered = true;
    } catch (const std::invalid_argument& e) {
        return fail(opt.chip + ": " + e.what());
    }
    if (opt.precision != "int8" && opt.precision != "bf16")
        return fail("--precision " + opt.precision + ": expected int8 or bf16");
    if (opt.precision == "bf16") job.array.precision = spec::Precision::kBf16;
    job.shape = {opt.m, opt.n, opt.k};
    job.clock_hz = chip.clock.si();
    job.sram = {opt.sram_bandwidth, opt.request_bytes};
    if (opt.memory == "simple") {
        job.memory = sysc::EngineMemory::kSimple;
        job.simple = {opt.memory_latency, opt.memory_bandwidth};
    } else {
        if (!chip.hbm.timing)
            return fail("--memory hbm: " + opt.chip + ": chip.hbm has no timing block (docs/hbm.md)");
        job.memory = sysc::EngineMemory::kHbm;
        try {
            job.hbm = sysc::hbm::make_hbm_config(chip.hbm);
        } catch (const std::invalid_argument& e) {
            return fail(std::string("--memory hbm: ") + e.what());
        }
    }
    sysc::EngineRun run;
    try {
        run = sysc::run_matrix_engine_systemc(job);
    } catch (const std::invalid_argument& e) {
        return fail(e.what());
    }
    const bool simple = job.memory == sysc::EngineMemory::kSimple;
    const sysc::EngineCycles closed =
        simple ? sysc::double_buffered_cycles(job.array, job.shape, job.simple, job.sram) : sysc::EngineCycles{};
    const bool verified = !simple || run.cycles == closed;
    const double macs = static_cast<double>(opt.m * opt.n * opt.k);
    const double pes = static_cast<double>(job.array.rows * job.array.cols);
    spec::ChipSpec as_run = chip;
    as_run.matrix.dataflow = job.array.dataflow;
    as_run.matrix.double_buffered = job.array.double_buffered;
    const double analytical = macs / (pes * model::ComputeModel::array_utilisation_l0(
                                                as_run.matrix, static_cast<double>(opt.m),
                                                static_cast<double>(opt.n), static_cast<double>(opt.k)));
    const double cycles = static_cast<double>(run.cycles.total());
    nlohmann::ordered_json j;
    j["fidelity"] = "systemc";
    j["mode"] = "double_buffered";  // the operand SRAM
    j["double_buffered"] = job.array.double_buffered;  // the array's passes pipelined
    j["memory"] = opt.memory;
    j["dataflow"] = sysc::dataflow_name(job.array.dataflow);
    j["precision"] = opt.precision;
    j["rows"] = job.array.rows;
    j["cols"] = job.array.cols;
    j["m"] = opt.m;
    j["n"] = opt.n;
    j["k"] = opt.k;
    j["tiles"] = run.cycles.passes;
    j["cycles"] = run.cycles.total();
    j["compute_cycles"] = run.cycles.compute;
    j["stall_cycles"] = run.cycles.stall;
    j["first_fetch_cycles"] = run.cycles.first_fetch;
    j["last_writeback_cycles"] = run.cycles.last_writeback;
    if (simple)
        j["closed_form_cycles"] = closed.total();
    else
        j["closed_form_cycles"] = nullptr;
    j["analytical_compute_cycles"] = analytical;
    j["utilization"] = macs / (pes * cycles);
    j["macs"] = macs;
    j["sram_reads"] = static_cast<double>(run.activity.sram_reads());
    j["sram_writes"] = static_cast<double>(run.activity.sram_writes());  // operand fills included
    j["operand_sram_writes"] = run.activity.operand_writes;
    j["fetch_bytes"] = run.fetch_bytes;
    j["writeback_bytes"] = run.writeback_bytes;
    j["memory_requests"] = run.requests;
    j["memory_bytes_per_cycle"] = static_cast<double>(run.fetch_bytes + run.writeback_bytes) / cycles;
    j["time_s"] = run.time_s;
    if (simple)
        j["verified"] = verified;
    else
        j["verified"] = nullptr;
    if (opt.json) {
        std::fputs((j.dump(2) + "\n").c_str(), stdout);
    } else {
        std::printf("SystemC matrix engine: %lldx%lld %s%s array, GEMM %lldx%lldx%lld in %lld passes, operands over TLM "
                    "from %s memory into a double-buffered SRAM\n",
                    static_cast<long long>(job.array.rows), static_cast<long long>(job.array.cols),
                    sysc::dataflow_name(job.array.dataflow), job.array.double_buffered ? " double-buffered" : "",
                    static_cast<long long>(opt.m),
                    static_cast<long long>(opt.n), static_cast<long long>(opt.k),
                    static_cast<long long>(run.cycles.passes), simple ? "a simple" : "the HBM");
        std::printf("cycles %lld (first fetch %lld, compute %lld, stalls %lld, last write-back %lld)%s\n",
                    static_cast<long long>(run.cycles.total()), static_cast<long long>(run.cycles.first_fetch),
                    static_cast<long long>(run.cycles.compute), static_cast<long long>(run.cycles.stall),
                    static_cast<long long>(run.cycles.last_writeback),
                    simple ? (verified ? "; equals the closed form" : "; DIFFERS from the closed form") : "");
        std::printf("utilization %.3f, %.4g s at %s; memory %lld B read, %lld B written in %lld requests (%.3g B/cycle)\n",
                    macs / (pes * cycles), run.time_s, fmt::format("{:.4g} GHz", job.clock_hz / 1e9).c_str(),
                    static_cast<long long>(run.fetch_bytes), static_cast<long long>(run.writeback_bytes),
                    static_cast<long long>(run.requests),
                    static_cast<double>(run.fetch_bytes + run.writeback_bytes) / cycles);
    }
    return verified ? kExitOk : kExitFailure;
#endif
}

}  // namespace chipdse::cli
