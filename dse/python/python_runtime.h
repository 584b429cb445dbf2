#pragma once
// The embedded Python 3 interpreter (Debian's, through pybind11) and what runs on it: user
// scripts with `import chipdse` (`chipdse py`), functions named in sweep files (sweep hooks)
// and the report generator (`chipdse report`). This header is free of pybind11: only
// dse/python/*.cpp see Python's headers.
//
// One interpreter per process, started on first use from the main thread and finalised by
// Session. Between calls into Python the GIL is released, so sweep threads can take it for
// the moment a user's function runs and evaluate the model in parallel otherwise.
#include <string>
#include <vector>

namespace chipdse::python {

// Owns the interpreter's lifetime: starts nothing; its destructor finalises the interpreter
// if anything started it. Create one in main() (or a test) before any use.
class Session {
public:
    Session();
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
};

// Starts the interpreter if it is not running; false with `error` when it cannot start.
bool ensure_started(std::string& error);
bool started();

// Registers the "python" provider of the sweeper's hooks (dse/sweep/hooks.h): sweep files
// may then name `python: FILE.py:FUNCTION`. The interpreter starts when one is resolved.
void install_sweep_hooks();

// Runs a script as __main__ with sys.argv = [path, args...] and its folder first on sys.path.
// Returns its exit status: SystemExit's code, 1 after an uncaught exception (traceback on
// stderr), 2 when the file cannot be read.
int run_script(const std::string& path, const std::vector<std::string>& args);

// Runs Python source text as __main__ (tests); exit status as run_script.
int run_code(const std::string& code, const std::vector<std::string>& args);

struct ReportRequest {
    std::string db;        // results store
    std::string out_dir;   // created if absent; index.html is written there
    std::string sweep;     // empty: the sweep that wrote last
    int top = 8;           // designs in the breakdowns and the table
    std::string command;   // the command line, for the provenance section
};
// Writes the report; returns 0 and sets `index_html`, 2 for bad input (no store, unknown
// sweep, no objectives) with `error`, 1 for other failures (traceback in `error`).
int write_report(const ReportRequest& req, std::string& index_html, std::string& error);

}  // namespace chipdse::python
