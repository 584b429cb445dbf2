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

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? kExitOk : kExitBadInput;
    }
    try {
        if (c->parsed()) return run_check(check);
        if (p->parsed()) return run_params(params);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "chipdse: internal error: %s\n", e.what());
        return kExitFailure;
    }
    return kExitFailure;
}
