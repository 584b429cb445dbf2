#pragma once
// Step time, FLOPs and memory of a training run at a fixed mapping (the performance half of
// the analytical model; power, area and cost are layered on it by evaluate_fixed).
#include "dse/model/activity.h"
#include "dse/model/eval_result.h"
#include "dse/spec/design_spec.h"

namespace chipdse::model {

class Characteriser;

// Fills everything of EvalResult but energy, area and cost. When `activity` is given, it
// receives the work one chip of the bottleneck pipeline stage does per step. With a
// `characteriser`, kernel utilisations, HBM efficiency and scale-up collective times come from it.
EvalResult evaluate_performance(const spec::DesignSpec& design, Activity* activity,
                                const Characteriser* characteriser = nullptr);

}  // namespace chipdse::model
