// The chipdse command line. Subcommand logic lives in cmd_*.cpp; this file only parses
// arguments (CLI11 stays out of every other translation unit).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "commands.h"
#include "py_report_commands.h"
#include "sim_commands.h"
#include "sweep_commands.h"
#if CHIPDSE_HAVE_SYSTEMC
#include "sysc/characterise/l1_characteriser.h"
#endif

int main(int argc, char** argv) {
    using namespace chipdse::cli;
#if CHIPDSE_HAVE_SYSTEMC
    chipdse::sysc::register_l1_characteriser();  // --fidelity systemc
#endif
    CLI::App app{"chipdse: design-space exploration of chips and systems that train large language models"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("chipdse ") + CHIPDSE_VERSION);

    CheckOptions check;
    auto* c = app.add_subcommand("check", "validate config files and print the resolved configuration");
    c->add_option("files", check.files, "YAML config files")->required();
    c->add_option("--set", check.assignments, "override a value: path=value (e.g. system.chips=16384)");
    c->add_flag("-q,--quiet", check.quiet, "print only ok / the errors");

    ParamsOptions params;
    auto* p = app.add_subcommand("params", "print the config schema: keys, units, defaults, ranges");
    p->add_option("section", params.section, "chip, system, model, training, parallelism or workload");
    p->add_flag("--markdown", params.markdown, "print Markdown tables");

    EvaluateOptions eval;
    auto* e = app.add_subcommand("evaluate", "evaluate one design point: step time, MFU, memory, time to train");
    e->add_option("--system", eval.system, "system YAML (includes its chip)")->required();
    e->add_option("--workload", eval.workload, "workload YAML (model, training, parallelism)")->required();
    e->add_option("--set", eval.assignments, "override a value: path=value (e.g. parallelism.tp=8)");
    e->add_option("--fidelity", eval.fidelity,
                  "analytical, or systemc: array utilisation, HBM efficiency and scale-up collectives "
                  "characterised by the cycle-level models (docs/fidelity.md)");
    e->add_flag("--json", eval.json, "print JSON with the stable metric names");
    e->add_option("--db", eval.db,
                  "with --fidelity systemc: take characterised kernels from this results store's cache and add the "
                  "new ones (created if absent)");
    e->add_flag("--levers", eval.levers, "also print the seed paper's levers applied one at a time to this design");

    // ---- sweep, pareto, export, merge, report: declared in sweep_commands.h
    SweepOptions sweep_opt;
    auto* sw = app.add_subcommand("sweep", "run or resume a design-space sweep into a results store");
    sw->add_option("spec", sweep_opt.spec, "sweep YAML (sweeps/*.yaml)")->required();
    sw->add_option("--db", sweep_opt.db, "results store (SQLite; created if absent, resumed if present)")->required();
    sw->add_option("-j,--jobs", sweep_opt.jobs, "evaluator threads (default: every core; 1 per rank under mpirun)");
    sw->add_option("--shard", sweep_opt.shard, "I/N: evaluate only points with index % N == I (Slurm arrays)");
    sw->add_option("--progress", sweep_opt.progress, "auto | bar | lines | none");
    sw->add_flag("-q,--quiet", sweep_opt.quiet, "no progress output");
    sw->add_flag("--dry-run", sweep_opt.dry_run, "print the axes and the number of points, evaluate nothing");
    sw->add_option("--test-delay-us", sweep_opt.test_delay_us, "")->group("");  // tests of Ctrl-C and kill -9

    ParetoOptions pareto_opt;
    auto* pa = app.add_subcommand("pareto", "print the non-dominated designs of a results store");
    pa->add_option("--db", pareto_opt.db, "results store")->required();
    pa->add_option("--sweep", pareto_opt.sweep, "sweep name (default: the one that wrote last)");
    pa->add_option("--objective", pareto_opt.objectives, "e.g. \"maximize tokens_per_s\" (default: the sweep's)");
    pa->add_option("--constraint", pareto_opt.constraints, "e.g. \"die_area_mm2 <= 858\" (default: the sweep's)");
    pa->add_flag("--all", pareto_opt.all, "consider the rows of every sweep in the store");
    pa->add_flag("--json", pareto_opt.json, "print JSON");
    pa->add_option("--refine", pareto_opt.refine,
                   "evaluate the front again at this fidelity (systemc: docs/fidelity.md) and report the change");
    pa->add_option("--top", pareto_opt.top, "with --refine: only the first K designs of the front")
        ->check(CLI::Range(1, 1000000000));
    pa->add_flag("--store", pareto_opt.store,
                 "with --refine: write the refined rows (their own keys and fidelity) and the characterised kernels "
                 "into the store");
    pa->add_option("--fidelity", pareto_opt.fidelity,
                   "only rows evaluated at this fidelity: analytical or systemc (default: the sweep's)");

    ExportOptions export_opt;
    auto* ex = app.add_subcommand("export", "write every row of a results store as CSV or JSON");
    ex->add_option("--db", export_opt.db, "results store")->required();
    ex->add_flag("--csv", export_opt.csv, "CSV with a header line");
    ex->add_flag("--json", export_opt.json, "a JSON array of objects");
    ex->add_option("-o,--output", export_opt.output, "output file (default: stdout)");
    ex->add_option("--sweep", export_opt.sweep, "only rows of this sweep");
    ex->add_option("--fidelity", export_opt.fidelity, "only rows evaluated at this fidelity (analytical, systemc)");
    ex->add_flag("--feasible-only", export_opt.feasible_only, "only valid, feasible designs");
    ex->add_flag("--with-config", export_opt.with_config, "include each row's resolved config");

    MergeOptions merge_opt;
    auto* mg = app.add_subcommand("merge", "merge results stores (e.g. the shards of a Slurm array) into one");
    mg->add_option("out", merge_opt.out, "store to merge into (created if absent)")->required();
    mg->add_option("inputs", merge_opt.inputs, "stores to merge")->required();

    auto run_sweep_commands = [&]() -> int {
        if (sw->parsed()) return run_sweep_command(sweep_opt);
        if (pa->parsed()) return run_pareto(pareto_opt);
        if (ex->parsed()) return run_export(export_opt);
        if (mg->parsed()) return run_merge(merge_opt);
        return -1;
    };

    // ---- py, report: the embedded Python; declared in py_report_commands.h (begin)
    PyOptions py_opt;
    auto* pyc = app.add_subcommand("py", "run a Python script with `import chipdse` (embedded Python 3)");
    pyc->prefix_command();  // everything after the script goes to the script
    pyc->add_option("script", py_opt.script, "SCRIPT.py; the arguments after it become its sys.argv[1:]")->required();
    ReportOptions report_opt;
    auto* rp = app.add_subcommand("report", "write a self-contained HTML report of a sweep: Pareto front, "
                                            "breakdowns, sensitivity, roofline, top designs");
    rp->add_option("--db", report_opt.db, "results store")->required();
    rp->add_option("-o,--output", report_opt.out_dir, "output folder (created; index.html is written there)")->required();
    rp->add_option("--sweep", report_opt.sweep, "sweep name (default: the one that wrote last)");
    rp->add_option("--top", report_opt.top, "designs in the breakdowns and the table (default 8)");
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        if (a.find_first_of(" \t'\"") != std::string::npos) a = "'" + a + "'";
        report_opt.command += (i ? " " : "") + a;
    }
    // sweep files may name python functions; the interpreter starts on first use
    auto python_support = start_python_support();
    auto run_py_report_commands = [&]() -> int {
        if (pyc->parsed()) {
            py_opt.args = pyc->remaining();
            return run_py(py_opt);
        }
        if (rp->parsed()) return run_report(report_opt);
        return -1;
    };
    // ---- py, report (end)


    ValidateOptions val;
    val.cases = std::string(CHIPDSE_SOURCE_DIR) + "/tests/validation/cases.yaml";
    val.published = std::string(CHIPDSE_SOURCE_DIR) + "/tests/data/published_runs.yaml";
    auto* v = app.add_subcommand("validate", "compare the model with published training runs");
    v->add_option("--cases", val.cases, "how each published case maps onto shipped configs");
    v->add_option("--published", val.published, "the published runs");
    v->add_flag("--json", val.json, "print JSON");

    // ---- sim: cycle-level block models (gemm, hbm, link, allreduce); declared in sim_commands.h
    auto* sim = app.add_subcommand("sim", "run a cycle-level block model (SystemC, or RTL under Verilator)");
    sim->require_subcommand(1);
    SimGemmOptions gemm;
    auto* sg = sim->add_subcommand("gemm", "one GEMM on the chip's systolic array, cycle by cycle");
    sg->add_option("--chip", gemm.chip, "chip YAML with a systolic array (matrix.rows/cols/dataflow)")->required();
    sg->add_option("--m", gemm.m, "rows of A and C")->required();
    sg->add_option("--n", gemm.n, "columns of B and C")->required();
    sg->add_option("--k", gemm.k, "the reduction dimension")->required();
    sg->add_option("--dataflow", gemm.dataflow, "os, ws or is (default: the chip's); --rtl: os or ws");
    sg->add_option("--precision", gemm.precision,
                   "int8 (int8 x int8 -> int32) or bf16 (bf16 x bf16 -> fp32; --rtl: os or ws; docs/systolic.md)");
    sg->add_option("--set", gemm.assignments, "override a chip value: path=value");
    sg->add_option("--seed", gemm.seed, "seed of the random operands (int8 uniform; bf16 standard normal)");
    sg->add_flag("--rtl", gemm.rtl, "simulate the verilated RTL (L2) instead of the SystemC model (L1)");
    sg->add_flag("--timing-only", gemm.timing_only,
                 "no operands, each phase one timed wait (automatic above 2^32 MACs without --rtl)");
    sg->add_flag("--double-buffered", gemm.double_buffered,
                 "the double-buffered (wavefront-pipelined) array: fill and drain once per GEMM (default: the "
                 "chip's matrix.double_buffered)");
    sg->add_flag("--json", gemm.json, "print JSON");
    sg->add_option("--memory", gemm.memory,
                   "simple or hbm: the matrix engine, operands fetched over TLM into a double-buffered SRAM "
                   "(docs/matrix_engine.md)");
    sg->add_option("--memory-latency", gemm.memory_latency, "--memory simple: latency in cycles [0]");
    sg->add_option("--memory-bandwidth", gemm.memory_bandwidth, "--memory simple: bytes per cycle, 0 unbounded [0]");
    sg->add_option("--sram-bandwidth", gemm.sram_bandwidth, "--memory: operand SRAM fill, bytes per cycle, 0 unbounded [0]");
    sg->add_option("--request-bytes", gemm.request_bytes, "--memory: TLM request size [64]");
    SimHbmOptions hbm;
    auto* sh = sim->add_subcommand("hbm", "an access pattern on an HBM memory, cycle by cycle (FR-FCFS, JEDEC timing)");
    sh->add_option("--hbm", hbm.hbm, "memory YAML with an 'hbm:' section (arch_configs/memory/) or a chip with HBM timing")
        ->required();
    sh->add_option("--pattern", hbm.pattern, "seq | random | copy")->required()->check(CLI::IsMember({"seq", "random", "copy"}));
    sh->add_option("--request-bytes", hbm.request_bytes, "bytes per request, a multiple of the burst (default 64)");
    sh->add_option("--requests", hbm.requests, "requests in all (default 20000)");
    sh->add_option("--seed", hbm.seed, "seed of the random pattern");
    sh->add_option("--engine", hbm.engine, "systemc (TLM shell, default) | core (the plain C++ core)")
        ->check(CLI::IsMember({"systemc", "core"}));
    sh->add_option("--requesters", hbm.requesters,
                   "one (an in-order requester for the whole memory, default) | per-channel (one per channel, "
                   "each over its channel's addresses; --engine core)")
        ->check(CLI::IsMember({"one", "per-channel"}));
    sh->add_option("--threads", hbm.threads,
                   "per-channel: channels simulated at once, 0 = all cores (default 1; results do not depend on it)")
        ->check(CLI::Range(0, 4096));
    sh->add_option("--set", hbm.assignments, "override a value: path=value (e.g. hbm.timing.read_queue=64)");
    sh->add_flag("--json", hbm.json, "print JSON");

    SimLinkOptions link;
    auto* sl = sim->add_subcommand("link", "one message over one chip-to-chip link: framing, credits, CRC replay");
    sl->add_option("--link", link.link, "link YAML with a 'link:' section (arch_configs/links/) or a chip with links")
        ->required();
    sl->add_option("--bytes", link.bytes, "message size: bytes, or a size with its unit (\"1 MiB\")")->required();
    sl->add_option("--seed", link.seed, "seed of the bit-error draws");
    sl->add_option("--engine", link.engine, "systemc (TLM shell, default) | core (the plain C++ core)")
        ->check(CLI::IsMember({"systemc", "core"}));
    sl->add_option("--set", link.assignments, "override a value: path=value (e.g. link.buffer_depth=64)");
    sl->add_flag("--json", link.json, "print JSON");
    SimAllreduceOptions allreduce;
    auto* sa = sim->add_subcommand("allreduce", "all-reduce over K chips joined by their links (ring, torus, switch)");
    sa->add_option("--system", allreduce.system, "system YAML whose chip has links (e.g. arch_configs/systems/...)")
        ->required();
    sa->add_option("--link", allreduce.link, "link YAML (arch_configs/links/) to use instead of the chip's links; "
                                             "the chip keeps its link count");
    sa->add_option("--chips", allreduce.chips, "chips taking part (default: the scale-up domain)");
    sa->add_option("--bytes", allreduce.bytes, "buffer per chip: bytes, or a size with its unit (\"64 MiB\")")
        ->required();
    sa->add_option("--algorithm", allreduce.algorithm, "ring | tree")->check(CLI::IsMember({"ring", "tree"}));
    sa->add_option("--topology", allreduce.topology, "switch | ring | torus2d | torus3d (default: the system's scale-up)")
        ->check(CLI::IsMember({"switch", "ring", "torus2d", "torus3d"}));
    sa->add_option("--dims", allreduce.dims, "torus dimensions, e.g. 4x4 (default: near-equal factors of --chips)");
    sa->add_option("--chunk", allreduce.chunk, "tree pipeline chunk, e.g. \"64 KiB\" (default: 1/64 of a tree's half)");
    sa->add_option("--seed", allreduce.seed, "seed of the bit-error draws");
    sa->add_option("--engine", allreduce.engine, "systemc (default) | core (the plain C++ core)")
        ->check(CLI::IsMember({"systemc", "core"}));
    sa->add_option("--set", allreduce.assignments, "override a value: path=value (e.g. chip.links.latency=200ns)");
    sa->add_flag("--json", allreduce.json, "print JSON");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? kExitOk : kExitBadInput;
    }
    try {
        if (c->parsed()) return run_check(check);
        if (p->parsed()) return run_params(params);
        if (e->parsed()) return run_evaluate(eval);
        if (v->parsed()) return run_validate(val);
        if (sg->parsed()) return gemm.memory.empty() ? run_sim_gemm(gemm) : run_sim_gemm_engine(gemm);
        if (sl->parsed()) return run_sim_link(link);
        if (sa->parsed()) return run_sim_allreduce(allreduce);
        if (sh->parsed()) return run_sim_hbm(hbm);
        if (int rc = run_sweep_commands(); rc >= 0) return rc;
        if (int rc = run_py_report_commands(); rc >= 0) return rc;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "chipdse: internal error: %s\n", e.what());
        return kExitFailure;
    }
    return kExitFailure;
}
