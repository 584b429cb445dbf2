#include "report_text.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "dse/units/unit_parser.h"

namespace chipdse::cli {

std::string human_duration(double s) {
    if (s >= 2 * 86400) return fmt::format("{:.1f} days", s / 86400);
    if (s >= 2 * 3600) return fmt::format("{:.1f} h", s / 3600);
    if (s >= 120) return fmt::format("{:.1f} min", s / 60);
    return units::format_value(s, units::dims::kTime, 4);
}

namespace {
std::string bytes_text(double b) {
    return fmt::format("{:.1f} GiB", b / (1024.0 * 1024 * 1024));
}
std::string bar(double frac, int width = 30) {
    int n = static_cast<int>(frac * width + 0.5);
    return std::string(static_cast<size_t>(std::clamp(n, 0, width)), '#') +
           std::string(static_cast<size_t>(width - std::clamp(n, 0, width)), '.');
}
}  // namespace

namespace {

std::string entry_value(double v, const std::string& unit) {
    if (unit == "s") return units::format_value(v, units::dims::kTime, 4);
    return fmt::format("{:.4f}", v);
}

}  // namespace

// What the characteriser measured, one kernel a line, against the L0 value it replaces.
std::string characterisation_text(const model::Characteriser& c) {
    const auto entries = c.entries();
    std::string o = fmt::format("fidelity   {}: {} kernels characterised, {} simulations{}\n", c.fidelity(),
                                entries.size(), c.simulations(),
                                c.preloaded_used() > 0
                                    ? fmt::format(", {} kernels from the store's cache", c.preloaded_used())
                                    : std::string());
    for (const auto& e : entries) {
        if (e.characterised) {
            const double ratio = e.l0_value > 0 ? e.value / e.l0_value : 0;
            o += fmt::format("  {:<10} {:<44} {:>10} (L0 {:>10}, x{:.3f})  {}\n", e.block, e.kernel,
                             entry_value(e.value, e.unit), entry_value(e.l0_value, e.unit), ratio, e.note);
        } else {
            o += fmt::format("  {:<10} {:<44} {:>10} L0 kept: {}\n", e.block, e.kernel, "-", e.note);
        }
    }
    return o;
}

std::string result_text(const spec::DesignSpec& design, const model::EvalResult& r,
                        const model::Characteriser* characteriser) {
    std::string o;
    const auto& m = r.mapping;
    o += fmt::format("design     {} x {} chips, {} ({})\n", design.system->chips, design.chip->name,
                     design.system->name, design.model->name);
    o += fmt::format("mapping    tp {} pp {} dp {} cp {} ep {} | zero {} | microbatch {} x {} | recompute {} | {}{}\n",
                     m.tp, m.pp, m.dp, m.cp, m.ep, m.zero, m.microbatch, m.microbatches, m.recompute, m.schedule,
                     m.virtual_stages > 1 ? fmt::format(" (v={})", m.virtual_stages) : "");
    o += fmt::format("params     {:.4g} total, {:.4g} active per token\n", r.params, r.active_params);
    if (!r.feasible) {
        o += "feasible   no: " + r.infeasible_reason + "\n";
        if (r.step_time_s <= 0) return o;
    } else {
        o += "feasible   yes\n";
    }
    o += fmt::format("step time  {}   tokens/s {:.4g}\n", units::format_value(r.step_time_s, units::dims::kTime, 4),
                     r.tokens_per_s);
    o += fmt::format("MFU        {:.1f}%   HFU {:.1f}%   achieved {:.1f} TFLOP/s per chip (incl. recompute)\n",
                     100 * r.mfu, 100 * r.hfu, r.achieved_flops_per_chip / 1e12);
    o += fmt::format("training   {:.3g} FLOPs (6ND + attention); seed form 120 P^2 = {:.3g}\n", r.training_flops,
                     r.seed_flops_120p2);
    o += fmt::format("time to train  {}\n", human_duration(r.time_to_train_s));
    o += fmt::format("memory     {} of {} per chip (weights {}, grads {}, optimizer {}, activations {}, other {})\n",
                     bytes_text(r.memory_per_chip_bytes), bytes_text(r.memory_capacity_bytes),
                     bytes_text(r.memory.weights_bytes), bytes_text(r.memory.gradients_bytes),
                     bytes_text(r.memory.optimizer_bytes), bytes_text(r.memory.activations_bytes),
                     bytes_text(r.memory.other_bytes));
    o += "step time breakdown\n";
    const auto& t = r.time;
    const double total = std::max(t.total(), 1e-30);
    const std::pair<const char*, double> parts[] = {{"compute", t.compute_s},   {"memory", t.memory_s},
                                                    {"tp_comm", t.tp_comm_s},   {"pp_bubble", t.pp_bubble_s},
                                                    {"dp_comm", t.dp_comm_s},   {"optimizer", t.optimizer_s}};
    for (const auto& [name, v] : parts)
        o += fmt::format("  {:<10} {} {:5.1f}%  {}\n", name, bar(v / total), 100 * v / total,
                         units::format_value(v, units::dims::kTime, 4));
    o += fmt::format("power      {:.0f} W per chip{} ({:.1f} MW system at the wall); clock {:.3g} GHz\n",
                     r.avg_power_w, r.throttled ? " (throttled to the TDP)" : "", r.system_power_w / 1e6,
                     r.clock_hz / 1e9);
    o += fmt::format("energy     {:.4g} J/token ({:.4g} tokens/J); {:.4g} MWh to train\n", r.energy_per_token_j,
                     r.tokens_per_joule, r.energy_to_train_j / 3.6e9);
    const auto& e = r.energy;
    const double etotal = std::max(e.total(), 1e-30);
    const std::pair<const char*, double> eparts[] = {{"mac", e.mac_j},   {"sram", e.sram_j},     {"hbm", e.hbm_j},
                                                     {"link", e.link_j}, {"static", e.static_j}, {"system", e.system_j}};
    for (const auto& [name, v] : eparts)
        o += fmt::format("  {:<10} {} {:5.1f}%  {:.4g} MWh\n", name, bar(v / etotal), 100 * v / etotal, v / 3.6e9);
    const auto& a = r.area;
    o += fmt::format("area       {:.0f} mm^2 die{} (model {:.0f}: mac {:.0f}, vector {:.0f}, sram {:.0f}, hbm phy {:.0f}, "
                     "serdes {:.0f}, other {:.0f})\n",
                     r.die_area_mm2, r.die_area_mm2 != r.die_area_model_mm2 ? " stated" : "", r.die_area_model_mm2,
                     a.mac_mm2, a.vector_mm2, a.sram_mm2, a.hbm_phy_mm2, a.serdes_mm2, a.other_mm2);
    o += fmt::format("cost       chip ${:.0f} (manufacturing ${:.0f}, {:.0f} dies/wafer, yield {:.0f}%); system ${:.4g}M; "
                     "run TCO ${:.4g}M ({:.3g} tokens/$); CO2 {:.4g} t\n",
                     r.chip_cost_usd, r.chip_cost_model_usd, r.dies_per_wafer, 100 * r.die_yield,
                     r.system_capex_usd / 1e6, r.tco_usd / 1e6, r.tokens_per_dollar, r.co2_kg / 1000);
    if (characteriser) o += characterisation_text(*characteriser);
    return o;
}

std::string result_json(const spec::DesignSpec& design, const model::EvalResult& r,
                        const model::Characteriser* characteriser) {
    nlohmann::ordered_json j;
    j["fidelity"] = characteriser ? characteriser->fidelity() : "analytical";
    j["chip"] = design.chip->name;
    j["system"] = design.system->name;
    j["model"] = design.model->name;
    j["chips"] = design.system->chips;
    j["feasible"] = r.feasible;
    j["infeasible_reason"] = r.infeasible_reason;
    const auto& m = r.mapping;
    j["mapping"] = {{"tp", m.tp}, {"pp", m.pp}, {"dp", m.dp}, {"cp", m.cp}, {"ep", m.ep}, {"zero", m.zero},
                    {"microbatch", m.microbatch}, {"microbatches", m.microbatches}, {"recompute", m.recompute},
                    {"schedule", m.schedule}, {"virtual_stages", m.virtual_stages}};
    for (const auto& [k, v] : r.metrics()) {
        if (k == "feasible") continue;
        j[k] = v;
    }
    j["breakdown"]["energy"] = {{"mac", r.energy.mac_j},   {"sram", r.energy.sram_j},     {"hbm", r.energy.hbm_j},
                                {"link", r.energy.link_j}, {"static", r.energy.static_j}, {"system", r.energy.system_j}};
    j["breakdown"]["area"] = {{"mac", r.area.mac_mm2},         {"vector", r.area.vector_mm2},
                              {"sram", r.area.sram_mm2},       {"hbm_phy", r.area.hbm_phy_mm2},
                              {"serdes", r.area.serdes_mm2},   {"other", r.area.other_mm2}};
    j["breakdown"]["time"] = {{"compute", r.time.compute_s},     {"memory", r.time.memory_s},
                              {"tp_comm", r.time.tp_comm_s},     {"pp_bubble", r.time.pp_bubble_s},
                              {"dp_comm", r.time.dp_comm_s},     {"optimizer", r.time.optimizer_s}};
    if (characteriser) {
        j["characterisation"]["simulations"] = characteriser->simulations();
        j["characterisation"]["kernels_from_store"] = characteriser->preloaded_used();
        auto& list = j["characterisation"]["kernels"] = nlohmann::ordered_json::array();
        for (const auto& e : characteriser->entries())
            list.push_back({{"block", e.block}, {"kernel", e.kernel}, {"characterised", e.characterised},
                            {"value", e.value}, {"l0_value", e.l0_value}, {"unit", e.unit}, {"note", e.note}});
    }
    return j.dump(2) + "\n";
}

}  // namespace chipdse::cli
