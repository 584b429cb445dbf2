#pragma once
// Entry points of `chipdse py` and `chipdse report` (exit codes as commands.h), and the
// embedded Python's lifetime in main(): start_python_support() registers the sweep hooks'
// "python" provider (sweep files may name python functions) and returns the guard that
// finalises the interpreter if anything started it.
#include <memory>
#include <string>
#include <vector>

#include "dse/python/python_runtime.h"

namespace chipdse::cli {

struct PyOptions {
    std::string script;              // SCRIPT.py
    std::vector<std::string> args;   // its sys.argv[1:]
};
int run_py(const PyOptions& opt);

struct ReportOptions {
    std::string db;
    std::string out_dir;
    std::string sweep;               // empty: the sweep that wrote last
    int top = 8;                     // designs in the breakdowns and the table
    std::string command;             // the command line, for the provenance section
};
int run_report(const ReportOptions& opt);

std::unique_ptr<python::Session> start_python_support();

}  // namespace chipdse::cli
