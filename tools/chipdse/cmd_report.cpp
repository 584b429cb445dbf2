// `chipdse report --db results.sqlite -o DIR`: a self-contained HTML report of a sweep.
#include <cstdio>

#include "commands.h"
#include "py_report_commands.h"

namespace chipdse::cli {

int run_report(const ReportOptions& opt) {
    if (opt.top < 1) {
        std::fprintf(stderr, "report: --top: got %d; expected at least 1\n", opt.top);
        return kExitBadInput;
    }
    python::ReportRequest req;
    req.db = opt.db;
    req.out_dir = opt.out_dir;
    req.sweep = opt.sweep;
    req.top = opt.top;
    req.command = opt.command;
    std::string index, error;
    const int rc = python::write_report(req, index, error);
    if (rc != 0) {
        std::fprintf(stderr, "report: %s\n", error.c_str());
        return rc == 2 ? kExitBadInput : kExitFailure;
    }
    std::printf("report: %s\n", index.c_str());
    return kExitOk;
}

}  // namespace chipdse::cli
