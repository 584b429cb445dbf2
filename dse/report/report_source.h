#pragma once
// The report generator's Python source (dse/report/report.py, compiled in by CMake).
namespace chipdse::report {

const char* report_py_source();

}  // namespace chipdse::report
