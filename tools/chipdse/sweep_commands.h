#pragma once
// Entry points of `chipdse sweep`, `pareto`, `export` and `merge` (exit codes as commands.h:
// 0 ok, 1 tool failure, 2 bad input; a sweep stopped by Ctrl-C returns 130 after saving).
#include <string>
#include <vector>

namespace chipdse::cli {

inline constexpr int kExitInterrupted = 130;

struct SweepOptions {
    std::string spec;                    // sweeps/NAME.yaml
    std::string db;                      // results store (created if absent)
    unsigned jobs = 0;                   // evaluator threads; 0: every core (1 per rank under MPI)
    std::string shard;                   // "I/N": this run takes points with index % N == I
    std::string progress = "auto";       // auto | bar | lines | none
    bool quiet = false;                  // no progress, only errors and the summary
    bool dry_run = false;                // print the plan (axes, points) and stop
    unsigned test_delay_us = 0;          // hidden: slow each point down (tests of Ctrl-C and kill)
};
int run_sweep_command(const SweepOptions& opt);

struct ParetoOptions {
    std::string db;
    std::string sweep;                     // empty: the sweep that wrote last
    std::vector<std::string> objectives;   // "maximize tokens_per_s"; empty: the sweep's
    std::vector<std::string> constraints;  // "die_area_mm2 <= 858"; empty: the sweep's
    bool json = false;
    bool all = false;                      // consider every row of the store, whatever its sweep
    std::string fidelity;                  // only rows at this fidelity; empty: the sweep's
    std::string refine;                    // evaluate the front again at this fidelity (pareto_refine.h)
    int top = 0;                           // refine only the first K of the front
    bool store = false;                    // with refine: write the refined rows and kernels into the store
};
int run_pareto(const ParetoOptions& opt);

struct ExportOptions {
    std::string db;
    std::string output = "-";  // file, or - for stdout
    bool csv = false, json = false;
    bool with_config = false;  // include the resolved config column
    bool feasible_only = false;
    std::string sweep;         // only rows of this sweep
    std::string fidelity;      // only rows at this fidelity (every row carries its fidelity column)
};
int run_export(const ExportOptions& opt);

struct MergeOptions {
    std::string out;
    std::vector<std::string> inputs;
};
int run_merge(const MergeOptions& opt);

}  // namespace chipdse::cli
