// The chipdse command line. Subcommand logic lives in cmd_*.cpp; this file only parses
// arguments (CLI11 stays out of every other translation unit).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "commands.h"

int main(int argc, char** argv) {
    using namespace chipdse::cli;
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
    e->add_option("--fidelity", eval.fidelity, "analytical | systemc | rtl");
    e->add_flag("--json", eval.json, "print JSON with the stable metric names");
    e->add_flag("--levers", eval.levers, "also print the seed paper's levers applied one at a time to this design");

    // ---- sweep, pareto, export, merge, report: declared in sweep_commands.cpp


    ValidateOptions val;
    val.cases = std::string(CHIPDSE_SOURCE_DIR) + "/tests/validation/cases.yaml";
    val.published = std::string(CHIPDSE_SOURCE_DIR) + "/tests/data/published_runs.yaml";
    auto* v = app.add_subcommand("validate", "compare the model with published training runs");
    v->add_option("--cases", val.cases, "how each published case maps onto shipped configs");
    v->add_option("--published", val.published, "the published runs");
    v->add_flag("--json", val.json, "print JSON");

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
    } catch (const std::exception& e) {
        std::fprintf(stderr, "chipdse: internal error: %s\n", e.what());
        return kExitFailure;
    }
    return kExitFailure;
}
