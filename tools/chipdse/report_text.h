#pragma once
// Plain-text and JSON rendering of evaluation results for the command line.
#include <string>

#include "dse/model/characteriser.h"
#include "dse/model/eval_result.h"
#include "dse/spec/design_spec.h"

namespace chipdse::cli {

std::string human_duration(double seconds);
// What a characteriser measured, a kernel a line, against the L0 values it replaced.
std::string characterisation_text(const model::Characteriser& c);

// With a characteriser, the output also says the fidelity and lists what it characterised.
std::string result_text(const spec::DesignSpec& design, const model::EvalResult& r,
                        const model::Characteriser* characteriser = nullptr);
std::string result_json(const spec::DesignSpec& design, const model::EvalResult& r,
                        const model::Characteriser* characteriser = nullptr);

}  // namespace chipdse::cli
