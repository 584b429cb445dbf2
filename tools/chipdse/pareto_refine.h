#pragma once
// `chipdse pareto --refine systemc [--top K]`: the multi-fidelity step of a sweep. The front found
// at the analytical fidelity is evaluated again with a characteriser (docs/fidelity.md); the
// refined objectives, their ratio to L0 and the front among the refined designs are reported.
// The store's characterisation cache is read (kernels stored earlier are not simulated again);
// with `store` the refined rows (keyed at the refined fidelity) and the new kernels are written.
#include <string>

#include "dse/sweep/front_query.h"

namespace chipdse::cli {

struct RefineOptions {
    std::string db;
    std::string fidelity;  // a registered characteriser ("systemc")
    int top = 0;           // the first K of the front by the first objective; 0: the whole front
    bool json = false;
    bool store = false;    // write the refined rows and the characterised kernels into the store
};

// Prints the refinement of `front`; returns the exit code (bad input: unknown fidelity, a row
// whose stored config does not load).
int refine_front(const RefineOptions& opt, const sweep::FrontResult& front);

}  // namespace chipdse::cli
