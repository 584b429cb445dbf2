// `chipdse validate`: every published run in the validation data, evaluated from shipped
// configs with no per-case tuning, against what the run reported.
#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "dse/model/training_model.h"
#include "dse/spec/design_loader.h"
#include "dse/units/unit_parser.h"
#include "report_text.h"

namespace chipdse::cli {
namespace {

struct Tolerance {
    double value = 0;
    bool relative = true;
};

Tolerance parse_tolerance(const std::string& s) {
    Tolerance t;
    if (!s.empty() && s.back() == '%') {
        t.value = std::stod(s.substr(0, s.size() - 1)) / 100.0;
        return t;
    }
    t.value = std::stod(s);
    t.relative = s.find("absolute") == std::string::npos;
    return t;
}

// A published figure as an SI number: "140 TFLOP/s", "34 days", "688 MWh", "0.457", "1720320".
bool parse_reported(std::string text, double& out) {
    // drop a trailing remark: "140 TFLOP/s (hardware FLOPs, incl. recompute)"
    if (auto paren = text.find(" ("); paren != std::string::npos) text = text.substr(0, paren);
    auto r = units::parse_value(text);
    if (!r.value) return false;
    out = r.value->si;
    return true;
}

struct Row {
    std::string id, metric;
    double predicted = 0, published = 0, error = 0;
    Tolerance tol;
    bool pass = false;
    std::string note;
};

}  // namespace

int run_validate(const ValidateOptions& opt) {
    YAML::Node cases, published;
    try {
        cases = YAML::LoadFile(opt.cases);
        published = YAML::LoadFile(opt.published);
    } catch (const YAML::Exception& e) {
        std::fprintf(stderr, "validate: %s\n", e.what());
        return kExitBadInput;
    }
    std::map<std::string, YAML::Node> pub;
    for (const auto& c : published["cases"]) pub.emplace(c["id"].as<std::string>(), YAML::Node(c));
    const std::string root = std::string(CHIPDSE_SOURCE_DIR) + "/";

    std::vector<Row> rows;
    bool bad_input = false;
    for (const auto& c : cases["cases"]) {
        const std::string id = c["id"].as<std::string>();
        auto it = pub.find(id);
        if (it == pub.end()) {
            std::fprintf(stderr, "validate: %s: case not in %s\n", id.c_str(), opt.published.c_str());
            bad_input = true;
            continue;
        }
        const YAML::Node p = it->second;
        std::vector<std::string> sets;
        if (c["set"])
            for (const auto& s : c["set"]) sets.push_back(s.as<std::string>());
        auto d = spec::load_design({root + c["system"].as<std::string>(), root + c["workload"].as<std::string>()}, sets);
        if (d.ok()) spec::require_sections_for_evaluation(d, d.diag);
        if (!d.ok()) {
            std::fprintf(stderr, "validate: %s:\n%s", id.c_str(), d.diag.format().c_str());
            bad_input = true;
            continue;
        }
        model::EvalResult r = model::evaluate(d.spec);
        const double chips = static_cast<double>(d.spec.system->chips);
        std::map<std::string, double> derived;
        for (const auto& [k, v] : r.metrics()) derived[k] = v;
        derived["gpu_hours"] = chips * r.time_to_train_s / 3600.0;
        derived["energy_at_tdp_j"] = chips * r.time_to_train_s * d.spec.chip->power.tdp.si();
        // the model card's convention: GPU-hours x TDP x the grid's carbon intensity (grams)
        derived["emissions_at_tdp_gco2"] = derived["energy_at_tdp_j"] * d.spec.system->prices.carbon_intensity.si();
        derived["training_flops_6nd"] =
            6.0 * (d.spec.model->params > 0 ? d.spec.model->params : r.params) * d.spec.training->tokens;
        derived["fraction_of_peak"] = r.hfu;
        derived["mfu_with_attention"] = r.mfu;

        for (const auto& cmp : c["compare"]) {
            Row row;
            row.id = id;
            row.metric = cmp.first.as<std::string>();
            const std::string ours = cmp.second.as<std::string>();
            if (!p["reported"][row.metric] || !p["tolerance"][row.metric]) {
                std::fprintf(stderr, "validate: %s: no reported value or tolerance for %s\n", id.c_str(),
                             row.metric.c_str());
                bad_input = true;
                continue;
            }
            if (!derived.count(ours)) {
                std::fprintf(stderr, "validate: %s: unknown metric %s\n", id.c_str(), ours.c_str());
                bad_input = true;
                continue;
            }
            if (!parse_reported(p["reported"][row.metric].as<std::string>(), row.published)) {
                std::fprintf(stderr, "validate: %s: cannot read %s\n", id.c_str(), row.metric.c_str());
                bad_input = true;
                continue;
            }
            row.tol = parse_tolerance(p["tolerance"][row.metric].as<std::string>());
            row.predicted = derived[ours];
            row.error = row.tol.relative ? (row.predicted - row.published) / row.published
                                         : row.predicted - row.published;
            row.pass = r.feasible && std::fabs(row.error) <= row.tol.value;
            if (!r.feasible) row.note = "infeasible: " + r.infeasible_reason;
            rows.push_back(row);
        }
    }

    int failed = 0;
    for (const auto& row : rows) failed += row.pass ? 0 : 1;
    if (opt.json) {
        nlohmann::ordered_json j = nlohmann::ordered_json::array();
        for (const auto& row : rows)
            j.push_back({{"id", row.id}, {"metric", row.metric}, {"predicted", row.predicted},
                         {"published", row.published}, {"error", row.error}, {"relative", row.tol.relative},
                         {"tolerance", row.tol.value}, {"pass", row.pass}, {"note", row.note}});
        std::fputs((j.dump(2) + "\n").c_str(), stdout);
    } else {
        std::printf("%-34s %-18s %14s %14s %9s %9s  %s\n", "case", "metric", "predicted", "published", "error",
                    "tolerance", "");
        for (const auto& row : rows) {
            std::string err = row.tol.relative ? fmt::format("{:+.1f}%", 100 * row.error) : fmt::format("{:+.3f}", row.error);
            std::string tol = row.tol.relative ? fmt::format("{:.0f}%", 100 * row.tol.value) : fmt::format("{:.3f}", row.tol.value);
            std::printf("%-34s %-18s %14.4g %14.4g %9s %9s  %s %s\n", row.id.c_str(), row.metric.c_str(), row.predicted,
                        row.published, err.c_str(), tol.c_str(), row.pass ? "ok" : "FAIL", row.note.c_str());
        }
        std::printf("%zu comparisons, %d outside tolerance\n", rows.size(), failed);
    }
    if (bad_input) return kExitBadInput;
    return failed ? kExitFailure : kExitOk;
}

}  // namespace chipdse::cli
