#pragma once
// Helpers of the Python tests: the embedded interpreter, fixture paths, scratch folders, stores.
#include <string>
#include <vector>

#include "dse/sweep/sweep_loader.h"
#include "dse/sweep/sweep_runner.h"

namespace chipdse::python::test {

// Starts the interpreter once per process (never finalised: test processes just exit) and
// registers the sweep hooks' python provider.
void use_python();

// tests/python/data/<name> relative to the source tree (the tests run there).
std::string data(const std::string& name);

// A fresh scratch folder, removed at the end of the test.
struct Scratch {
    explicit Scratch(const std::string& name);
    ~Scratch();
    std::string path;
    std::string file(const std::string& name) const { return path + "/" + name; }
};

sweep::LoadedSweep load(const std::string& path);
sweep::RunStats run(const sweep::LoadedSweep& s, const std::string& db, unsigned jobs);

// Every row of the points table ordered by key, each column rendered exactly.
std::vector<std::string> dump(const std::string& db);

// Runs a query and returns the first column of each row as text ("" for NULL).
std::vector<std::string> column(const std::string& db, const std::string& sql);

// Runs Python code (asserts inside) with sys.argv[1:] = args; returns its exit status.
int run_python(const std::string& code, const std::vector<std::string>& args = {});

}  // namespace chipdse::python::test
