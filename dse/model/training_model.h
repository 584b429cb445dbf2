#pragma once
// The analytical (L0) model of a whole training run: workload op graph x parallel mapping x
// chip x network -> step time with its breakdown, memory per chip, MFU/HFU and time to train.
// Contract: never throws for a design that passed its schema; an impossible mapping or a
// design that does not fit is returned with feasible = false and the reason.
#include "dse/model/eval_result.h"
#include "dse/spec/design_spec.h"

namespace chipdse::model {

class Characteriser;

// Evaluates with the mapping given in design.parallelism (search: auto is resolved by the
// mapping search, not here). Requires chip, system, model and training sections. With a
// `characteriser` (dse/model/characteriser.h) the kernels it can measure take its values.
EvalResult evaluate_fixed(const spec::DesignSpec& design, const Characteriser* characteriser = nullptr);

// Evaluates, searching the valid mappings when design.parallelism.search is auto and
// returning the best by tokens per second (ties: lower memory).
EvalResult evaluate(const spec::DesignSpec& design, const Characteriser* characteriser = nullptr);

}  // namespace chipdse::model
