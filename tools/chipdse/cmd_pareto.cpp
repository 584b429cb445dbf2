// `chipdse pareto --db results.sqlite [--json]`: the non-dominated designs of a sweep.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "dse/sweep/front_query.h"
#include "pareto_refine.h"
#include "sweep_commands.h"

namespace chipdse::cli {
namespace {

std::string num(double v) {
    if (v != v) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

std::string mapping_text(const model::Mapping& m) {
    std::string s = "tp" + std::to_string(m.tp) + " pp" + std::to_string(m.pp) + " dp" + std::to_string(m.dp);
    if (m.cp > 1) s += " cp" + std::to_string(m.cp);
    if (m.ep > 1) s += " ep" + std::to_string(m.ep);
    s += " z" + std::to_string(m.zero) + " mb" + std::to_string(m.microbatch);
    if (!m.recompute.empty() && m.recompute != "none") s += " rc:" + m.recompute;
    return s;
}

nlohmann::ordered_json axes_object(const std::string& text) {
    try {
        return nlohmann::ordered_json::parse(text);
    } catch (const std::exception&) {
        return nlohmann::ordered_json::object();
    }
}

}  // namespace

int run_pareto(const ParetoOptions& opt) {
    sweep::FrontResult res;
    std::string error;
    try {
        sweep::ResultsStore store(opt.db, sweep::ResultsStore::Mode::kReadOnly);
        sweep::FrontQuery q;
        q.sweep = opt.sweep;
        q.all_sweeps = opt.all;
        q.objectives = opt.objectives;
        q.constraints = opt.constraints;
        q.fidelity = opt.fidelity;
        if (!sweep::pareto_front(store, q, res, error)) {
            std::fprintf(stderr, "pareto: %s\n", error.c_str());
            return kExitBadInput;
        }
    } catch (const sweep::StoreError& e) {
        std::fprintf(stderr, "pareto: %s\n", e.what());
        return kExitBadInput;
    }

    if (opt.store && opt.refine.empty()) {
        std::fprintf(stderr, "pareto: --store writes refined rows: give --refine systemc\n");
        return kExitBadInput;
    }
    if (!opt.refine.empty() && opt.json) return refine_front({opt.db, opt.refine, opt.top, true, opt.store}, res);
    if (opt.json) {
        nlohmann::ordered_json j;
        j["db"] = opt.db;
        j["sweep"] = res.sweep;
        j["fidelity"] = res.fidelity;
        j["other_fidelities"] = res.other_fidelities;
        j["objectives"] = nlohmann::ordered_json::array();
        for (const auto& o : res.objectives)
            j["objectives"].push_back({{"metric", o.metric()}, {"goal", o.is_max() ? "maximize" : "minimize"}});
        j["constraints"] = nlohmann::ordered_json::array();
        for (const auto& c : res.constraints) j["constraints"].push_back(c.text);
        j["rows"] = res.rows;
        j["eligible"] = res.eligible;
        j["front"] = nlohmann::ordered_json::array();
        for (const auto& p : res.front) {
            nlohmann::ordered_json e;
            e["key"] = p.key;
            e["sweep"] = p.sweep;
            e["axes"] = axes_object(p.axes);
            nlohmann::ordered_json ov = nlohmann::ordered_json::object();
            for (size_t k = 0; k < res.objectives.size(); ++k) ov[res.objectives[k].metric()] = p.objective_values[k];
            e["objectives"] = ov;
            const auto& m = p.mapping;
            e["mapping"] = {{"tp", m.tp}, {"pp", m.pp}, {"dp", m.dp}, {"cp", m.cp}, {"ep", m.ep}, {"zero", m.zero},
                            {"microbatch", m.microbatch}, {"microbatches", m.microbatches},
                            {"recompute", m.recompute}, {"schedule", m.schedule}, {"virtual_stages", m.virtual_stages}};
            nlohmann::ordered_json mv = nlohmann::ordered_json::object();
            for (const auto& [n, v] : p.metrics) mv[n] = v;
            e["metrics"] = mv;
            j["front"].push_back(e);
        }
        std::printf("%s\n", j.dump(2).c_str());
        return kExitOk;
    }

    std::printf("Pareto front%s%s (%s): %zu designs of %llu rows at fidelity %s (%llu valid, feasible and within the "
                "constraints)\n",
                res.sweep.empty() ? "" : " of sweep ", res.sweep.c_str(), opt.db.c_str(), res.front.size(),
                static_cast<unsigned long long>(res.rows), res.fidelity.c_str(),
                static_cast<unsigned long long>(res.eligible));
    for (const auto& f : res.other_fidelities)
        std::printf("rows at fidelity %s are left out: --fidelity %s shows their front\n", f.c_str(), f.c_str());
    std::string line = "objectives:";
    for (const auto& o : res.objectives) line += std::string(" ") + (o.is_max() ? "maximize " : "minimize ") + o.metric();
    std::printf("%s\n", line.c_str());
    if (!res.constraints.empty()) {
        line = "constraints:";
        for (size_t i = 0; i < res.constraints.size(); ++i) line += (i ? ", " : " ") + res.constraints[i].text;
        std::printf("%s\n", line.c_str());
    }
    if (res.front.empty()) return kExitOk;

    // table: objectives, axis values, mapping, key
    std::vector<std::string> header{"#"};
    for (const auto& o : res.objectives) header.push_back(o.metric());
    std::vector<std::string> axis_names;
    const nlohmann::ordered_json first_axes = axes_object(res.front.front().axes);
    for (const auto& [k, v] : first_axes.items()) axis_names.push_back(k);
    for (const auto& a : axis_names) header.push_back(a);
    header.push_back("mapping");
    header.push_back("key");
    std::vector<std::vector<std::string>> rows;
    for (size_t i = 0; i < res.front.size(); ++i) {
        const auto& p = res.front[i];
        std::vector<std::string> r{std::to_string(i + 1)};
        for (double v : p.objective_values) r.push_back(num(v));
        auto ax = axes_object(p.axes);
        for (const auto& a : axis_names) r.push_back(ax.contains(a) && ax[a].is_string() ? ax[a].get<std::string>() : "");
        r.push_back(mapping_text(p.mapping));
        r.push_back(p.key.substr(0, 12));
        rows.push_back(std::move(r));
    }
    std::vector<size_t> width(header.size());
    for (size_t c = 0; c < header.size(); ++c) {
        width[c] = header[c].size();
        for (const auto& r : rows) width[c] = std::max(width[c], r[c].size());
    }
    auto print_row = [&](const std::vector<std::string>& r) {
        std::string s;
        for (size_t c = 0; c < r.size(); ++c) {
            s += r[c] + (c + 1 < r.size() ? std::string(width[c] - r[c].size() + 2, ' ') : "");
        }
        std::printf("%s\n", s.c_str());
    };
    std::printf("\n");
    print_row(header);
    for (const auto& r : rows) print_row(r);
    if (!opt.refine.empty()) return refine_front({opt.db, opt.refine, opt.top, false, opt.store}, res);
    return kExitOk;
}

}  // namespace chipdse::cli
