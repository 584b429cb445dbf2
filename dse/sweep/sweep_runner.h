#pragma once
// Running a sweep into a results store: a pool of evaluator threads (and MPI ranks when given
// a cluster) takes points in chunks, one writer thread inserts rows in batched transactions.
// Rows depend only on the point, so the store is the same for any number of threads or ranks.
// Points already in the store are found by key and not evaluated again (resume). Memory is
// bounded: points are generated from their index and rows stream to the store.
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "dse/sweep/sweep_loader.h"

namespace chipdse::sweep {

class Cluster;

struct RunOptions {
    unsigned jobs = 1;                   // evaluator threads in this process
    std::uint64_t shard_index = 0, shard_count = 1;  // this run takes points with index % count == index
    enum class ProgressStyle { kNone, kBar, kLines } progress = ProgressStyle::kNone;
    std::FILE* progress_out = stderr;
    double progress_interval_s = 10;     // between plain lines
    const std::atomic<bool>* stop = nullptr;  // set (e.g. by SIGINT) to stop: work done so far is kept
    std::uint32_t test_delay_us = 0;     // tests: sleep this long per evaluated point
    std::size_t commit_rows = 2000;      // a transaction commits after this many rows ...
    double commit_seconds = 1.0;         // ... or this many seconds, whichever comes first
};

struct RunStats {
    std::uint64_t planned = 0;    // points this run visits
    std::uint64_t done = 0;       // visited: evaluated or found in the store
    std::uint64_t evaluated = 0;  // evaluated now
    std::uint64_t found = 0;      // already stored (resume, or a point repeated within the sweep)
    std::uint64_t inserted = 0;   // rows added to the store
    std::uint64_t invalid = 0;    // of the evaluated: configs that did not bind
    std::uint64_t infeasible = 0; // of the evaluated: valid designs the model found infeasible
    double seconds = 0;
    bool interrupted = false;
    // at a fidelity above analytical (sweep key `fidelity`), of rank 0's characteriser:
    std::int64_t simulations = 0;         // kernels simulated now (each distinct one once)
    std::int64_t kernels_from_store = 0;  // kernels answered from the store's characterisation cache
    std::int64_t kernels_stored = 0;      // cache entries written to the store by this run
};

// Runs `sweep` into the store at `db` (created if absent). At a fidelity above analytical the
// characteriser is preloaded from the store's characterisation cache and what it simulates is
// written back with every commit (characterisation_cache.h). With a cluster of more than one
// rank, call on every rank: rank 0 returns the stats, the others serve and return zeros.
// Throws StoreError when the store cannot be used.
RunStats run_sweep(const LoadedSweep& sweep, const std::string& db, const RunOptions& opt, Cluster* cluster = nullptr);

}  // namespace chipdse::sweep
