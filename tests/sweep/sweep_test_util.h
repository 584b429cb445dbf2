#pragma once
// Helpers of the sweep tests: fixture paths, scratch stores, and a byte-exact dump of a store.
#include <string>
#include <vector>

#include "dse/sweep/sweep_loader.h"
#include "dse/sweep/sweep_runner.h"

namespace chipdse::sweep::test {

// tests/sweep/data/<name> relative to the source tree (the tests run there).
std::string data(const std::string& name);

// A fresh scratch directory for one test, removed with everything in it at the end of the test.
struct Scratch {
    explicit Scratch(const std::string& name);
    ~Scratch();
    std::string path;
};

// Loads a sweep and fails the test (with the messages) when it does not load.
LoadedSweep load(const std::string& path);

// Runs a sweep quietly into `db`.
RunStats run(const LoadedSweep& s, const std::string& db, unsigned jobs = 1);

// Every row of the points table, ordered by key, every column rendered exactly (doubles in
// hex), one string per row. Two stores with equal dumps hold the same results.
std::vector<std::string> dump(const std::string& db);

// Column names of the points table.
std::vector<std::string> columns(const std::string& db);

// Runs a shell command; returns its exit status, with stdout and stderr captured.
int shell(const std::string& cmd, std::string* out = nullptr, std::string* err = nullptr);

}  // namespace chipdse::sweep::test
