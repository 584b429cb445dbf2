#pragma once
// Step time, FLOPs and memory of a training run at a fixed mapping (the performance half of
// the analytical model; power, area and cost are layered on it by evaluate_fixed).
#include "dse/model/activity.h"
#include "dse/model/eval_result.h"
#include "dse/spec/design_spec.h"

namespace chipdse::model {

// Fills everything of EvalResult but energy, area and cost. When `activity` is given, it
// receives the work one chip of the bottleneck pipeline stage does per step.
EvalResult evaluate_performance(const spec::DesignSpec& design, Activity* activity);

}  // namespace chipdse::model
