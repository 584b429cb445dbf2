#pragma once
// Plain-text and JSON rendering of evaluation results for the command line.
#include <string>

#include "dse/model/eval_result.h"
#include "dse/spec/design_spec.h"

namespace chipdse::cli {

std::string human_duration(double seconds);
std::string result_text(const spec::DesignSpec& design, const model::EvalResult& r);
std::string result_json(const spec::DesignSpec& design, const model::EvalResult& r);

}  // namespace chipdse::cli
