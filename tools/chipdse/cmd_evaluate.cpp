#include <cstdio>

#include "commands.h"
#include "dse/model/training_model.h"
#include "dse/spec/design_loader.h"
#include "report_text.h"

namespace chipdse::cli {

int run_evaluate(const EvaluateOptions& opt) {
    if (opt.fidelity != "analytical") {
        std::fprintf(stderr,
                     "evaluate: --fidelity %s: only the analytical model feeds whole-run evaluation so far; "
                     "expected analytical\n",
                     opt.fidelity.c_str());
        return kExitBadInput;
    }
    spec::LoadedDesign d = spec::load_design({opt.system, opt.workload}, opt.assignments);
    if (d.ok()) spec::require_sections_for_evaluation(d, d.diag);
    if (!d.ok()) {
        std::fputs(d.diag.format().c_str(), stderr);
        return kExitBadInput;
    }
    model::EvalResult r = model::evaluate(d.spec);
    std::fputs((opt.json ? result_json(d.spec, r) : result_text(d.spec, r)).c_str(), stdout);
    return kExitOk;
}

}  // namespace chipdse::cli
