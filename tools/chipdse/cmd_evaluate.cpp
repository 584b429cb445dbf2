#include <fmt/format.h>

#include <cstdio>

#include "commands.h"
#include "dse/model/characteriser.h"
#include "dse/model/levers.h"
#include "dse/model/training_model.h"
#include "dse/spec/design_loader.h"
#include "dse/sweep/characterisation_cache.h"
#include "dse/sweep/results_store.h"
#include "report_text.h"

namespace chipdse::cli {

int run_evaluate(const EvaluateOptions& opt) {
    // analytical: L0 alone. Any other fidelity characterises the kernels the run uses with that
    // level's models (dse/model/characteriser.h, docs/fidelity.md) and feeds them to L0.
    std::unique_ptr<model::Characteriser> characteriser;
    if (opt.fidelity != "analytical") {
        characteriser = model::make_characteriser(opt.fidelity);
        if (!characteriser) {
            std::string known = "analytical";
            for (const auto& f : model::characteriser_fidelities()) known += " or " + f;
            std::string why = opt.fidelity == "rtl"
                ? " (the RTL arrays run single GEMMs: chipdse sim gemm --rtl; whole runs take their timing at systemc,"
                  " which the RTL matches cycle for cycle)"
                : "";
            std::fprintf(stderr, "evaluate: --fidelity %s: no such fidelity in this build%s; expected %s\n",
                         opt.fidelity.c_str(), why.c_str(), known.c_str());
            return kExitBadInput;
        }
    }
    if (!opt.db.empty() && !characteriser) {
        std::fprintf(stderr, "evaluate: --db %s: the store keeps characterised kernels; give --fidelity systemc\n",
                     opt.db.c_str());
        return kExitBadInput;
    }
    // --db: kernels characterised before (by a sweep, a refinement or an evaluation) are taken
    // from the store's cache, and the new ones added when the evaluation is done
    std::unique_ptr<sweep::ResultsStore> store;
    if (!opt.db.empty()) {
        try {
            store = std::make_unique<sweep::ResultsStore>(opt.db, sweep::ResultsStore::Mode::kReadWrite);
            sweep::load_characterisations(*store, *characteriser);
        } catch (const sweep::StoreError& e) {
            std::fprintf(stderr, "evaluate: %s\n", e.what());
            return kExitBadInput;
        }
    }
    auto save_cache = [&]() -> bool {
        if (!store) return true;
        try {
            sweep::save_characterisations(*store, *characteriser);
            return true;
        } catch (const sweep::StoreError& e) {
            std::fprintf(stderr, "evaluate: %s\n", e.what());
            return false;
        }
    };
    const model::Characteriser* ch = characteriser.get();
    spec::LoadedDesign d = spec::load_design({opt.system, opt.workload}, opt.assignments);
    if (d.ok()) spec::require_sections_for_evaluation(d, d.diag);
    if (!d.ok()) {
        std::fputs(d.diag.format().c_str(), stderr);
        return kExitBadInput;
    }
    model::EvalResult r = model::evaluate(d.spec, ch);
    if (!opt.levers) {
        if (!save_cache()) return kExitFailure;
        std::fputs((opt.json ? result_json(d.spec, r, ch) : result_text(d.spec, r, ch)).c_str(), stdout);
        return kExitOk;
    }
    // Each lever alone on the base design: time, energy and cost relative to the base.
    std::string out = opt.json ? "" : result_text(d.spec, r, ch) + "\nlevers (each alone, relative to the base)\n" +
        fmt::format("  {:<26} {:>8} {:>8} {:>8}  {}\n", "lever", "time", "energy", "cost", "change");
    std::string json = "{\"base\": " + result_json(d.spec, r, ch) + ", \"levers\": [";
    bool first = true;
    for (const auto& lever : model::seed_levers(d.spec, r.chip_cost_usd)) {
        std::vector<std::string> sets = opt.assignments;
        sets.insert(sets.end(), lever.assignments.begin(), lever.assignments.end());
        spec::LoadedDesign v = spec::load_design({opt.system, opt.workload}, sets);
        if (!v.ok()) {
            std::fputs(v.diag.format().c_str(), stderr);
            return kExitFailure;  // our own lever produced a bad config: a bug, not the user's input
        }
        model::EvalResult lr = model::evaluate(v.spec, ch);
        auto rel = [](double a, double b) { return b > 0 ? a / b : 0.0; };
        const double t = rel(lr.time_to_train_s, r.time_to_train_s);
        const double e = rel(lr.energy_to_train_j, r.energy_to_train_j);
        const double c = rel(lr.tco_usd, r.tco_usd);
        if (lr.feasible) {
            out += fmt::format("  {:<26} {:>7.2f}x {:>7.2f}x {:>7.2f}x  {}\n", lever.name, t, e, c, lever.change);
        } else {
            out += fmt::format("  {:<26} {:>8} {:>8} {:>8}  {} (infeasible: {})\n", lever.name, "-", "-", "-",
                               lever.change, lr.infeasible_reason);
        }
        json += std::string(first ? "" : ", ") +
                fmt::format("{{\"name\": \"{}\", \"feasible\": {}, \"time_ratio\": {}, \"energy_ratio\": {}, "
                            "\"cost_ratio\": {}}}",
                            lever.name, lr.feasible ? "true" : "false", t, e, c);
        first = false;
    }
    json += "]}\n";
    if (!save_cache()) return kExitFailure;
    std::fputs((opt.json ? json : out).c_str(), stdout);
    return kExitOk;
}

}  // namespace chipdse::cli
