// `chipdse sim gemm`: one GEMM on the chip's systolic array in the chip's (or --dataflow's)
// dataflow, cycle by cycle (SystemC, or the verilated RTL with --rtl), checked against a
// reference GEMM and the analytical fold formula; single-buffered, or pipelined when the chip's
// matrix.double_buffered or --double-buffered says so (SystemC, or with --rtl the double-buffered
// RTL arrays). Timing-only (--timing-only, or any GEMM above
// kSimGemmCheckedMacs without --rtl): no operands, each phase of a pass one timed wait.
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>

#include "commands.h"
#include "dse/model/compute_model.h"
#include "dse/spec/design_loader.h"
#include "sim_commands.h"

#if CHIPDSE_HAVE_SYSTEMC
#include "sysc/systolic/bf16_mac.h"
#include "sysc/systolic/systolic_run.h"
#endif
#if CHIPDSE_HAVE_VERILATOR
#include "rtl/systolic/systolic_rtl.h"
#include "rtl/systolic/systolic_rtl_ws.h"
#endif

namespace chipdse::cli {

int run_sim_gemm(const SimGemmOptions& opt) {
#if !CHIPDSE_HAVE_SYSTEMC
    (void)opt;
    std::fprintf(stderr, "sim gemm: this build has no SystemC models (configure with CHIPDSE_WITH_SYSTEMC=ON)\n");
    return kExitBadInput;
#else
    spec::LoadedDesign d = spec::load_design({opt.chip}, opt.assignments);
    if (d.ok() && !d.spec.chip)
        d.diag.error(d.tree.loc(), "chip", "section missing", "nothing", "a chip file with a 'chip:' section");
    if (!d.ok()) {
        std::fputs(d.diag.format().c_str(), stderr);
        return kExitBadInput;
    }
    const spec::ChipSpec& chip = *d.spec.chip;
    if (opt.m <= 0 || opt.n <= 0 || opt.k <= 0) {
        std::fprintf(stderr, "sim gemm: --m, --n and --k must be positive; got %lld x %lld x %lld\n",
                     static_cast<long long>(opt.m), static_cast<long long>(opt.n), static_cast<long long>(opt.k));
        return kExitBadInput;
    }
    sysc::SystolicConfig array;
    try {
        array = sysc::systolic_config(chip.matrix, 0);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "sim gemm: %s: %s\n", opt.chip.c_str(), e.what());
        return kExitBadInput;
    }
    try {
        if (!opt.dataflow.empty()) array.dataflow = sysc::parse_dataflow(opt.dataflow);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "sim gemm: --%s\n", e.what());
        return kExitBadInput;
    }
    if (opt.precision != "int8" && opt.precision != "bf16") {
        std::fprintf(stderr, "sim gemm: --precision %s: expected int8 or bf16\n", opt.precision.c_str());
        return kExitBadInput;
    }
    const bool bf16 = opt.precision == "bf16";
    if (bf16) array.precision = spec::Precision::kBf16;
    if (opt.double_buffered) array.double_buffered = true;
    const sysc::GemmShape shape{opt.m, opt.n, opt.k};
    const bool timing_only = opt.timing_only || (!opt.rtl && opt.m * opt.n * opt.k > kSimGemmCheckedMacs);
    if (opt.rtl && opt.timing_only) {
        std::fprintf(stderr, "sim gemm: --rtl and --timing-only: the RTL always simulates its data\n");
        return kExitBadInput;
    }
    if (opt.rtl && array.dataflow == sysc::Dataflow::kInputStationary) {
        std::fprintf(stderr, "sim gemm --rtl: dataflow is: the RTL array comes in os and ws variants; expected os or ws\n");
        return kExitBadInput;
    }
    std::vector<std::int8_t> a, b;
    std::vector<std::uint16_t> a16, b16;  // bf16: standard normal values rounded to bf16
    if (!timing_only && bf16) {
        std::mt19937_64 rng(opt.seed);
        std::normal_distribution<float> dist(0.0f, 1.0f);
        a16.resize(static_cast<size_t>(opt.m * opt.k));
        b16.resize(static_cast<size_t>(opt.k * opt.n));
        for (auto& x : a16) x = sysc::bf16_from_float(dist(rng));
        for (auto& x : b16) x = sysc::bf16_from_float(dist(rng));
    } else if (!timing_only) {
        std::mt19937_64 rng(opt.seed);
        std::uniform_int_distribution<int> dist(-128, 127);
        a.resize(static_cast<size_t>(opt.m * opt.k));
        b.resize(static_cast<size_t>(opt.k * opt.n));
        for (auto& x : a) x = static_cast<std::int8_t>(dist(rng));
        for (auto& x : b) x = static_cast<std::int8_t>(dist(rng));
    }

    sysc::GemmRun run;
    try {
        if (opt.rtl) {
#if CHIPDSE_HAVE_VERILATOR
            if (array.dataflow == sysc::Dataflow::kWeightStationary) {
                run = rtl::run_gemm_rtl_ws(bf16 ? sysc::make_job(array, shape, a16.data(), b16.data())
                                                : sysc::make_job(array, shape, a.data(), b.data()));
            } else {
                run = rtl::run_gemm_rtl(bf16 ? sysc::make_job(array, shape, a16.data(), b16.data())
                                             : sysc::make_job(array, shape, a.data(), b.data()));
                run.activity = sysc::gemm_activity(array, shape);  // this wrapper measures cycles only
            }
#else
            std::fprintf(stderr, "sim gemm --rtl: this build has no Verilator models\n");
            return kExitBadInput;
#endif
        } else if (timing_only) {
            run = sysc::run_gemm_systemc(sysc::timing_job(array, shape));
        } else {
            run = sysc::run_gemm_systemc(bf16 ? sysc::make_job(array, shape, a16.data(), b16.data())
                                              : sysc::make_job(array, shape, a.data(), b.data()));
        }
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "sim gemm: %s\n", e.what());
        return kExitBadInput;
    }
    // timing-only: nothing to compare but the cycles with the closed form
    const bool verified = timing_only ? run.cycles == sysc::gemm_cycles(array, shape)
                                      : run.c == (bf16 ? sysc::reference_gemm_bf16(shape, a16, b16)
                                                       : sysc::reference_gemm(shape, a, b));
    spec::ChipSpec as_run = chip;
    as_run.matrix.dataflow = array.dataflow;
    as_run.matrix.double_buffered = array.double_buffered;
    const model::ComputeModel cm(as_run, array.precision);
    const double macs = static_cast<double>(opt.m * opt.n * opt.k);
    const double pes = static_cast<double>(array.rows * array.cols);
    const double analytical_compute = macs / (pes * cm.array_utilisation(static_cast<double>(opt.m),
                                                                         static_cast<double>(opt.n),
                                                                         static_cast<double>(opt.k)));
    const double cycles = static_cast<double>(run.cycles.total());
    const double time_s = cycles / chip.clock.si();
    nlohmann::ordered_json j;
    j["fidelity"] = opt.rtl ? "rtl" : "systemc";
    j["dataflow"] = sysc::dataflow_name(array.dataflow);
    j["precision"] = opt.precision;
    j["mode"] = timing_only ? "timing_only" : "clocked";
    j["double_buffered"] = array.double_buffered;
    j["rows"] = array.rows;
    j["cols"] = array.cols;
    j["m"] = opt.m;
    j["n"] = opt.n;
    j["k"] = opt.k;
    j["tiles"] = run.cycles.tiles;
    j["cycles"] = run.cycles.total();
    j["load_cycles"] = run.cycles.load;
    j["compute_cycles"] = run.cycles.compute;
    j["readout_cycles"] = run.cycles.readout;
    j["analytical_compute_cycles"] = analytical_compute;
    j["scalesim_v2_compute_cycles"] = sysc::scalesim_v2_cycles(array, shape);
    j["utilization"] = macs / (pes * cycles);
    j["compute_utilization"] = macs / (pes * static_cast<double>(run.cycles.compute));
    j["macs"] = macs;
    // elements through the operand and result buffers (docs/systolic.md, "Activity")
    j["sram_reads"] = static_cast<double>(run.activity.sram_reads());
    j["sram_writes"] = static_cast<double>(run.activity.sram_writes());
    j["operand_sram_reads"] = run.activity.operand_reads;
    j["operand_sram_writes"] = run.activity.operand_writes;
    j["result_sram_reads"] = run.activity.result_reads;
    j["result_sram_writes"] = run.activity.result_writes;
    j["time_s"] = time_s;
    if (timing_only)
        j["verified"] = nullptr;  // no data
    else
        j["verified"] = verified;
    if (opt.json) {
        std::fputs((j.dump(2) + "\n").c_str(), stdout);
    } else {
        std::printf("%s%s: %lldx%lld %s%s array, GEMM %lldx%lldx%lld in %lld passes\n",
                    opt.rtl ? "RTL (Verilator)" : "SystemC", timing_only ? " timing-only" : "",
                    static_cast<long long>(array.rows), static_cast<long long>(array.cols), sysc::dataflow_name(array.dataflow),
                    array.double_buffered ? " double-buffered" : "",
                    static_cast<long long>(opt.m), static_cast<long long>(opt.n), static_cast<long long>(opt.k),
                    static_cast<long long>(run.cycles.tiles));
        std::printf("cycles %lld (load %lld, compute %lld, readout %lld); analytical compute %.0f\n",
                    static_cast<long long>(run.cycles.total()), static_cast<long long>(run.cycles.load),
                    static_cast<long long>(run.cycles.compute), static_cast<long long>(run.cycles.readout),
                    analytical_compute);
        std::printf("utilization %.3f (compute phase %.3f), %.4g s at %s, result %s\n", macs / (pes * cycles),
                    macs / (pes * static_cast<double>(run.cycles.compute)), time_s,
                    fmt::format("{:.4g} GHz", chip.clock.si() / 1e9).c_str(),
                    timing_only ? "not computed (timing-only)"
                                : verified ? "equals the reference GEMM" : "DIFFERS from the reference GEMM");
        std::printf("SRAM: %lld reads, %lld writes (elements)\n", static_cast<long long>(run.activity.sram_reads()),
                    static_cast<long long>(run.activity.sram_writes()));
    }
    return verified ? kExitOk : kExitFailure;
#endif
}

}  // namespace chipdse::cli
