#pragma once
// The analytical (L0) all-reduce time for the network a job simulates, for comparison
// (docs/links.md "Agreement with the analytical model"). Plain C++, no SystemC.
//
// The matched system gives dse/model's CollectiveModel the network the simulation runs: per-chip
// bandwidth B = links used x the payload bandwidth of one link (framing counted, credits taken as
// ample), step latency alpha = the hops of one step (switch: 2 x link latency + switch latency;
// torus: one link latency), efficiency 1, the job's topology, one scale-up domain of K chips.
#include <cstdint>

#include "dse/spec/system_spec.h"
#include "sysc/collective/allreduce.h"

namespace chipdse::sysc {

struct AllReduceEstimate {
    double bandwidth = 0;  // B, bytes/s per chip per direction
    double alpha_s = 0;    // latency of one step
    double ring_s = 0;     // 2(n-1)/n S/B + 2 steps alpha, steps = sum over dimensions of (k - 1)
    double tree_s = 0;     // 2 S/B + 2 ceil(log2 n) alpha (CollectiveModel's double binary tree)
    double algorithm_s = 0;  // ring_s or tree_s, the job's algorithm
    double model_s = 0;    // CollectiveModel::time(all-reduce) on the matched system: min(ring, tree)
};

spec::SystemSpec matched_system(const AllReduceJob& job);
AllReduceEstimate analytical_allreduce(const AllReduceJob& job);

// CollectiveModel::time(all-reduce) of `bytes` over `chips` consecutive chips of a system as
// given (its scale-up bandwidth x efficiency and latency; hierarchical beyond one domain).
double system_allreduce_time(const spec::SystemSpec& system, std::int64_t chips, std::int64_t bytes);

}  // namespace chipdse::sysc
