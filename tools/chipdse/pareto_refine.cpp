#include "pareto_refine.h"

#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "dse/model/characteriser.h"
#include "dse/model/training_model.h"
#include "dse/spec/design_loader.h"
#include "dse/spec/spec_schemas.h"
#include "dse/sweep/characterisation_cache.h"
#include "dse/sweep/point_evaluator.h"
#include "dse/sweep/point_hash.h"
#include "dse/sweep/results_store.h"
#include "report_text.h"

namespace chipdse::cli {
namespace {

struct Refined {
    const sweep::FrontPoint* point = nullptr;
    bool feasible = false;
    std::string reason;
    std::vector<double> values;  // objectives at the refined fidelity
    bool on_front = false;
};

double metric_of(const model::EvalResult& r, const std::string& name) {
    for (const auto& [k, v] : r.metrics())
        if (k == name) return v;
    return std::nan("");
}

// a dominates b: no worse in every objective and better in one.
bool dominates(const std::vector<double>& a, const std::vector<double>& b, const std::vector<sweep::ObjectiveSpec>& obj) {
    bool better = false;
    for (size_t i = 0; i < obj.size(); ++i) {
        const double x = obj[i].is_max() ? a[i] : -a[i], y = obj[i].is_max() ? b[i] : -b[i];
        if (x < y) return false;
        if (x > y) better = true;
    }
    return better;
}

std::string num(double v) {
    if (v != v) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

}  // namespace

int refine_front(const RefineOptions& opt, const sweep::FrontResult& res) {
    auto characteriser = model::make_characteriser(opt.fidelity);
    if (!characteriser) {
        std::string known;
        for (const auto& f : model::characteriser_fidelities()) known += (known.empty() ? "" : " or ") + f;
        std::fprintf(stderr, "pareto: --refine %s: no such fidelity in this build; expected %s\n", opt.fidelity.c_str(),
                     known.empty() ? "(none built: configure with CHIPDSE_WITH_SYSTEMC=ON)" : known.c_str());
        return kExitBadInput;
    }
    if (res.fidelity != "analytical") {
        std::fprintf(stderr, "pareto: --refine %s: the front is at fidelity %s already; refine an analytical front "
                             "(--fidelity analytical)\n", opt.fidelity.c_str(), res.fidelity.c_str());
        return kExitBadInput;
    }
    for (const auto& o : res.objectives)
        if (!o.python.empty()) {
            std::fprintf(stderr, "pareto: --refine: objective %s is computed by a Python function; refinement "
                                 "re-evaluates model metrics only\n", o.metric().c_str());
            return kExitBadInput;
        }
    const size_t k = opt.top > 0 ? std::min<size_t>(static_cast<size_t>(opt.top), res.front.size()) : res.front.size();
    std::vector<Refined> refined(k);
    const auto start = std::chrono::steady_clock::now();
    std::int64_t rows_stored = 0, kernels_stored = 0;
    try {
        sweep::ResultsStore store(opt.db, opt.store ? sweep::ResultsStore::Mode::kReadWrite
                                                    : sweep::ResultsStore::Mode::kReadOnly);
        sweep::load_characterisations(store, *characteriser);
        std::vector<sweep::PointRow> rows;
        for (size_t i = 0; i < k; ++i) {
            const auto& p = res.front[i];
            std::string config;
            store.query("SELECT config FROM points WHERE key = ?", {p.key}, [&](sqlite3_stmt* st) {
                const unsigned char* t = sqlite3_column_text(st, 0);
                config = t ? reinterpret_cast<const char*>(t) : "";
            });
            spec::LoadedDesign d = spec::load_design_text(config, opt.db + ": row " + p.key);
            if (d.ok()) spec::require_sections_for_evaluation(d, d.diag);
            if (!d.ok()) {
                std::fprintf(stderr,
                             "pareto: --refine: the stored config of row %s does not load as a whole design "
                             "(a sweep with store_config: delta keeps only differences; rerun it with "
                             "store_config: full to refine):\n%s",
                             p.key.c_str(), d.diag.format().c_str());
                return kExitBadInput;
            }
            const model::EvalResult r = model::evaluate(d.spec, characteriser.get());
            Refined& out = refined[i];
            out.point = &p;
            out.feasible = r.feasible;
            out.reason = r.infeasible_reason;
            for (const auto& o : res.objectives) out.values.push_back(metric_of(r, o.metric()));
            if (!opt.store) continue;
            // The refined row is keyed as a sweep at this fidelity keys the design: the same
            // resolved config behind the fidelity's prefix. That holds only when the stored key is
            // the plain analytical key of that config (not, e.g., salted by a sweep's functions).
            const std::string resolved = config::to_yaml(spec::design_schema().dump(d.spec));
            if (sweep::hash_hex(sweep::point_key_prefix("analytical") + resolved) != p.key) {
                std::fprintf(stderr,
                             "pareto: --refine --store: row %s is not keyed by its config alone (a sweep whose "
                             "objectives or constraints run functions salts its keys); nothing was stored\n",
                             p.key.c_str());
                return kExitBadInput;
            }
            sweep::PointRow row;
            row.key = sweep::hash_hex(sweep::point_key_prefix(characteriser->fidelity()) + resolved);
            row.sweep = p.sweep;
            row.axes = p.axes;
            row.config = config;
            row.fidelity = characteriser->fidelity();
            row.valid = true;
            row.infeasible_reason = r.feasible ? "" : r.infeasible_reason;
            row.mapping = r.mapping;
            row.metrics = r.metrics();
            rows.push_back(std::move(row));
        }
        if (opt.store) {
            store.begin();
            for (const auto& row : rows) rows_stored += store.insert(row) ? 1 : 0;
            kernels_stored = static_cast<std::int64_t>(sweep::save_characterisations(store, *characteriser));
            store.commit();
        }
    } catch (const sweep::StoreError& e) {
        std::fprintf(stderr, "pareto: %s\n", e.what());
        return kExitBadInput;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (auto& a : refined) {
        a.on_front = a.feasible;
        for (const auto& b : refined)
            if (a.on_front && &a != &b && b.feasible && dominates(b.values, a.values, res.objectives)) a.on_front = false;
    }

    if (opt.json) {
        nlohmann::ordered_json j;
        j["fidelity"] = characteriser->fidelity();
        j["designs"] = k;
        j["simulations"] = characteriser->simulations();
        j["kernels_from_store"] = characteriser->preloaded_used();
        j["stored"] = {{"rows", rows_stored}, {"kernels", kernels_stored}};
        j["seconds"] = seconds;
        auto& list = j["refined"] = nlohmann::ordered_json::array();
        for (const auto& r : refined) {
            nlohmann::ordered_json e;
            e["key"] = r.point->key;
            e["feasible"] = r.feasible;
            if (!r.feasible) e["infeasible_reason"] = r.reason;
            e["on_front"] = r.on_front;
            for (size_t i = 0; i < res.objectives.size(); ++i) {
                const std::string m = res.objectives[i].metric();
                e["analytical"][m] = r.point->objective_values[i];
                e[characteriser->fidelity()][m] = r.values[i];
            }
            list.push_back(e);
        }
        std::printf("%s\n", j.dump(2).c_str());
        return kExitOk;
    }
    std::printf("\nrefined at fidelity %s: %zu designs, %lld simulations, %lld kernels from the store's cache, %.1f s\n",
                characteriser->fidelity().c_str(), k, static_cast<long long>(characteriser->simulations()),
                static_cast<long long>(characteriser->preloaded_used()), seconds);
    if (opt.store)
        std::printf("stored in %s: %lld refined rows (fidelity %s; %lld were there), %lld characterised kernels\n",
                    opt.db.c_str(), static_cast<long long>(rows_stored), characteriser->fidelity().c_str(),
                    static_cast<long long>(k) - static_cast<long long>(rows_stored),
                    static_cast<long long>(kernels_stored));
    std::string head = "  #  ";
    for (const auto& o : res.objectives) head += o.metric() + " (analytical -> " + characteriser->fidelity() + ")    ";
    std::printf("%sfront  key\n", head.c_str());
    for (size_t i = 0; i < k; ++i) {
        const auto& r = refined[i];
        std::string line = "  " + std::to_string(i + 1) + (i + 1 < 10 ? "  " : " ");
        for (size_t o = 0; o < res.objectives.size(); ++o) {
            const double a = r.point->objective_values[o], b = r.values[o];
            line += num(a) + " -> " + num(b) + (a != 0 && b == b ? " (x" + num(b / a) + ")" : "") + "    ";
        }
        line += r.feasible ? (r.on_front ? "yes    " : "no     ") : "infeasible: " + r.reason + " ";
        line += r.point->key.substr(0, 12);
        std::printf("%s\n", line.c_str());
    }
    std::printf("\n%s", characterisation_text(*characteriser).c_str());
    return kExitOk;
}

}  // namespace chipdse::cli
