// `chipdse sim gemm`: one GEMM on the chip's systolic array, cycle by cycle (SystemC, or the
// verilated RTL with --rtl), checked against a reference GEMM and the analytical fold formula.
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
#include "sysc/systolic/systolic_run.h"
#endif
#if CHIPDSE_HAVE_VERILATOR
#include "rtl/systolic/systolic_rtl.h"
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
    if (!opt.dataflow.empty() && opt.dataflow != "os") {
        std::fprintf(stderr, "sim gemm: --dataflow %s: the cycle-level array is output-stationary only so far; "
                             "expected os\n", opt.dataflow.c_str());
        return kExitBadInput;
    }
    sysc::SystolicConfig array;
    try {
        array = sysc::systolic_config(chip.matrix, 0);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "sim gemm: %s: %s\n", opt.chip.c_str(), e.what());
        return kExitBadInput;
    }
    const sysc::GemmShape shape{opt.m, opt.n, opt.k};
    std::mt19937_64 rng(opt.seed);
    std::uniform_int_distribution<int> dist(-128, 127);
    std::vector<std::int8_t> a(static_cast<size_t>(opt.m * opt.k)), b(static_cast<size_t>(opt.k * opt.n));
    for (auto& x : a) x = static_cast<std::int8_t>(dist(rng));
    for (auto& x : b) x = static_cast<std::int8_t>(dist(rng));

    sysc::GemmRun run;
    try {
        if (opt.rtl) {
#if CHIPDSE_HAVE_VERILATOR
            run = rtl::run_gemm_rtl(array.rows, array.cols, shape, a.data(), b.data());
#else
            std::fprintf(stderr, "sim gemm --rtl: this build has no Verilator models\n");
            return kExitBadInput;
#endif
        } else {
            run = sysc::run_gemm_systemc(array.rows, array.cols, shape, a.data(), b.data());
        }
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "sim gemm: %s\n", e.what());
        return kExitBadInput;
    }
    const bool verified = run.c == sysc::reference_gemm(shape, a, b);
    const model::ComputeModel cm(chip, spec::Precision::kInt8);
    const double macs = static_cast<double>(opt.m * opt.n * opt.k);
    const double pes = static_cast<double>(array.rows * array.cols);
    const double analytical_compute = macs / (pes * cm.array_utilisation(static_cast<double>(opt.m),
                                                                         static_cast<double>(opt.n),
                                                                         static_cast<double>(opt.k)));
    // operand buffers: every A row and B column element of a tile is written once and streamed
    // into the array once; results are written into and read out of the result buffer once
    double operand_elems = 0, result_elems = 0;
    for (const auto& t : sysc::plan_tiles(array, shape)) {
        operand_elems += static_cast<double>((t.m + t.n) * opt.k);
        result_elems += static_cast<double>(t.m * t.n);
    }
    const double cycles = static_cast<double>(run.cycles.total());
    const double time_s = cycles / chip.clock.si();
    nlohmann::ordered_json j;
    j["fidelity"] = opt.rtl ? "rtl" : "systemc";
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
    j["utilization"] = macs / (pes * cycles);
    j["compute_utilization"] = macs / (pes * static_cast<double>(run.cycles.compute));
    j["macs"] = macs;
    j["sram_reads"] = operand_elems + result_elems;
    j["sram_writes"] = operand_elems + result_elems;
    j["time_s"] = time_s;
    j["verified"] = verified;
    if (opt.json) {
        std::fputs((j.dump(2) + "\n").c_str(), stdout);
    } else {
        std::printf("%s: %lldx%lld array, GEMM %lldx%lldx%lld in %lld tiles\n", opt.rtl ? "RTL (Verilator)" : "SystemC",
                    static_cast<long long>(array.rows), static_cast<long long>(array.cols),
                    static_cast<long long>(opt.m), static_cast<long long>(opt.n), static_cast<long long>(opt.k),
                    static_cast<long long>(run.cycles.tiles));
        std::printf("cycles %lld (load %lld, compute %lld, readout %lld); analytical compute %.0f\n",
                    static_cast<long long>(run.cycles.total()), static_cast<long long>(run.cycles.load),
                    static_cast<long long>(run.cycles.compute), static_cast<long long>(run.cycles.readout),
                    analytical_compute);
        std::printf("utilization %.3f (compute phase %.3f), %.4g s at %s, result %s\n", macs / (pes * cycles),
                    macs / (pes * static_cast<double>(run.cycles.compute)), time_s,
                    fmt::format("{:.4g} GHz", chip.clock.si() / 1e9).c_str(),
                    verified ? "equals the reference GEMM" : "DIFFERS from the reference GEMM");
    }
    return verified ? kExitOk : kExitFailure;
#endif
}

}  // namespace chipdse::cli
