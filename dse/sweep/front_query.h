#pragma once
// The Pareto front of a results store: rows that are valid, feasible and meet the
// constraints, reduced to the non-dominated set for the objectives. Objectives and
// constraints default to those the sweep recorded in the store. Rows of one fidelity only are
// compared (the sweep's unless one is asked for): a front never mixes fidelities. Streams the rows.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "dse/model/eval_result.h"
#include "dse/sweep/results_store.h"
#include "dse/sweep/sweep_spec.h"

namespace chipdse::sweep {

struct FrontQuery {
    std::string sweep;                         // empty: the sweep that wrote last
    bool all_sweeps = false;                   // consider every row, whatever its sweep
    std::vector<std::string> objectives;       // "maximize tokens_per_s"; empty: the sweep's
    std::vector<std::string> constraints;      // empty: the sweep's
    std::string fidelity;                      // only rows at this fidelity; empty: the sweep's
};

struct FrontPoint {
    std::string key, sweep, axes;              // axes: JSON object as stored
    std::vector<double> objective_values;      // in objective order
    model::Mapping mapping;
    std::vector<std::pair<std::string, double>> metrics;  // every metric column of the row
};

struct FrontResult {
    std::string sweep;                         // the sweep the front is of (empty with all_sweeps)
    std::vector<ObjectiveSpec> objectives;
    std::vector<ConstraintSpec> constraints;
    std::string fidelity;                      // the fidelity of every row considered
    std::vector<std::string> other_fidelities; // rows of the same selection at other fidelities (left out)
    std::uint64_t rows = 0;                    // rows considered
    std::uint64_t eligible = 0;                // of them: valid, feasible, meeting the constraints
    std::vector<FrontPoint> front;             // sorted by the first objective, best first
};

// Returns false with `error` for bad input (no objectives, unknown metric, unknown sweep).
// Throws StoreError for store failures.
bool pareto_front(ResultsStore& store, const FrontQuery& q, FrontResult& out, std::string& error);

}  // namespace chipdse::sweep
