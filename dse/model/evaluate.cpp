// evaluate_fixed: performance, then power (throttling to the TDP), area, cost and carbon.
#include <algorithm>
#include <cmath>

#include "dse/model/area_model.h"
#include "dse/model/cost_model.h"
#include "dse/model/performance_model.h"
#include "dse/model/power_model.h"
#include "dse/model/training_model.h"
#include "dse/units/unit_parser.h"

namespace chipdse::model {
namespace {

struct PowerPoint {
    EvalResult perf;
    Activity work;
    ChipStepEnergy energy;
    double chip_power = 0;
};

PowerPoint run_at(const spec::DesignSpec& design, double clock_ratio, const Characteriser* characteriser) {
    PowerPoint pp;
    if (clock_ratio == 1.0) {
        pp.perf = evaluate_performance(design, &pp.work, characteriser);
    } else {
        spec::DesignSpec slower = design;
        slower.chip->clock = design.chip->clock * clock_ratio;
        pp.perf = evaluate_performance(slower, &pp.work, characteriser);
    }
    if (pp.perf.step_time_s > 0) {
        pp.energy = chip_step_energy(*design.chip, *design.system, design.training->precision, pp.work,
                                     pp.perf.step_time_s, clock_ratio);
        pp.chip_power = pp.energy.total() / pp.perf.step_time_s;
    }
    return pp;
}

void add_area_and_cost(const spec::DesignSpec& d, EvalResult& r) {
    const auto& chip = *d.chip;
    r.area = chip_area(chip);
    r.die_area_model_mm2 = r.area.total();
    r.die_area_mm2 = chip.area.die.si() > 0 ? units::mm2(chip.area.die) : r.die_area_model_mm2;
    const ChipCost cost = chip_cost(chip, r.die_area_mm2);
    r.dies_per_wafer = cost.dies_per_wafer;
    r.die_yield = cost.yield;
    r.chip_cost_model_usd = cost.total_usd();
    r.chip_cost_usd = chip.cost.price.si() > 0 ? chip.cost.price.si() : r.chip_cost_model_usd;
    r.system_capex_usd = system_capex(*d.system, r.chip_cost_usd).total();
}

}  // namespace

EvalResult evaluate_fixed(const spec::DesignSpec& design, const Characteriser* characteriser) {
    PowerPoint pp = run_at(design, 1.0, characteriser);
    EvalResult& r = pp.perf;
    add_area_and_cost(design, r);
    const auto& chip = *design.chip;
    const auto& sys = *design.system;
    r.clock_hz = chip.clock.si();
    const double per_chiplet = r.die_area_mm2 / static_cast<double>(std::max<std::int64_t>(1, chip.area.chiplets));
    if (r.feasible && per_chiplet > units::mm2(chip.area.reticle_limit)) {
        r.feasible = false;
        r.infeasible_reason = "a die of " + units::format_value(per_chiplet * 1e-6, units::dims::kArea, 4) +
                              " exceeds the reticle limit of " +
                              units::format_value(chip.area.reticle_limit.si(), units::dims::kArea, 4) +
                              "; split it into chiplets (chip.area.chiplets)";
    }
    if (r.step_time_s <= 0) return r;  // the mapping itself is impossible: nothing to price

    // ---- power cap: throttle the clock until the chip fits its TDP (bisection on the clock)
    const double tdp = chip.power.tdp.si();
    if (tdp > 0 && pp.chip_power > tdp) {
        const double floor_ratio =
            chip.power.min_clock.si() > 0 ? std::min(1.0, chip.power.min_clock.si() / chip.clock.si()) : 0.3;
        PowerPoint low = run_at(design, floor_ratio, characteriser);
        double ratio = floor_ratio;
        if (low.chip_power <= tdp) {
            double lo = floor_ratio, hi = 1.0;
            for (int i = 0; i < 24; ++i) {
                const double mid = 0.5 * (lo + hi);
                (run_at(design, mid, characteriser).chip_power > tdp ? hi : lo) = mid;
            }
            ratio = lo;
        }
        const bool feasible = r.feasible;
        const std::string reason = r.infeasible_reason;
        EvalResult keep_cost = r;
        pp = run_at(design, ratio, characteriser);
        // area and cost do not depend on the clock
        pp.perf.area = keep_cost.area;
        pp.perf.die_area_mm2 = keep_cost.die_area_mm2;
        pp.perf.die_area_model_mm2 = keep_cost.die_area_model_mm2;
        pp.perf.dies_per_wafer = keep_cost.dies_per_wafer;
        pp.perf.die_yield = keep_cost.die_yield;
        pp.perf.chip_cost_usd = keep_cost.chip_cost_usd;
        pp.perf.chip_cost_model_usd = keep_cost.chip_cost_model_usd;
        pp.perf.system_capex_usd = keep_cost.system_capex_usd;
        pp.perf.feasible = feasible && pp.perf.feasible;
        if (!reason.empty()) pp.perf.infeasible_reason = reason;
        pp.perf.throttled = true;
        pp.perf.clock_hz = chip.clock.si() * ratio;
        if (pp.chip_power > tdp * (1 + 1e-6) && pp.perf.feasible) {
            pp.perf.feasible = false;
            pp.perf.infeasible_reason = "draws " + units::format_value(pp.chip_power, units::dims::kPower, 4) +
                                        " per chip even at the lowest clock, above the TDP of " +
                                        units::format_value(tdp, units::dims::kPower, 4);
        }
    }
    EvalResult& out = pp.perf;

    // ---- system energy: chips, hosts and network, then the facility (PUE)
    const double t = out.step_time_s;
    const double chips = static_cast<double>(sys.chips);
    const double nodes = chips / static_cast<double>(std::max<std::int64_t>(1, sys.chips_per_node));
    const double host = nodes * sys.facility.host_power_per_node.si() * t;
    const double network = chips *
                           (sys.facility.network_power_per_chip.si() + sys.scale_up.power_per_chip.si() +
                            sys.scale_out.power_per_chip.si()) * t;
    const double it = chips * pp.energy.total() + host + network;
    const double wall = it * sys.facility.pue;
    const double tokens_per_step = out.tokens_per_s * t;
    const double steps = design.training->tokens / tokens_per_step;
    out.avg_power_w = pp.chip_power;
    out.system_power_w = wall / t;
    out.energy_per_token_j = wall / tokens_per_step;
    out.tokens_per_joule = 1.0 / out.energy_per_token_j;
    out.energy_to_train_j = wall * steps;
    out.energy.mac_j = chips * (pp.energy.mac + pp.energy.vector) * steps;
    out.energy.sram_j = chips * (pp.energy.sram + pp.energy.noc) * steps;
    out.energy.hbm_j = chips * pp.energy.hbm * steps;
    out.energy.link_j = chips * pp.energy.link * steps;
    out.energy.static_j = chips * pp.energy.statik * steps;
    out.energy.system_j = (host + network + (wall - it)) * steps;

    // ---- cost of the run and its carbon
    const auto& prices = sys.prices;
    const double depreciation = prices.depreciation.si();
    if (prices.chip_hour.si() > 0) {
        // a rented system: the hourly price covers hardware, energy and facility
        out.tco_usd = chips * prices.chip_hour.si() * out.time_to_train_s;
    } else {
        const double amortised = depreciation > 0 ? out.system_capex_usd * out.time_to_train_s / depreciation : 0.0;
        out.tco_usd = amortised + out.energy_to_train_j * prices.electricity.si();
    }
    out.tokens_per_dollar = out.tco_usd > 0 ? design.training->tokens / out.tco_usd : 0.0;
    const double embodied = depreciation > 0 ? chip.cost.embodied_carbon.si() * chips * out.time_to_train_s / depreciation
                                             : 0.0;
    out.co2_kg = (out.energy_to_train_j * prices.carbon_intensity.si() + embodied) / 1000.0;
    return out;
}

std::vector<std::pair<std::string, double>> EvalResult::metrics() const {
    return {
        {"feasible", feasible ? 1.0 : 0.0},
        {"step_time_s", step_time_s},
        {"tokens_per_s", tokens_per_s},
        {"mfu", mfu},
        {"hfu", hfu},
        {"achieved_flops_per_chip", achieved_flops_per_chip},
        {"time_to_train_s", time_to_train_s},
        {"training_flops", training_flops},
        {"seed_flops_120p2", seed_flops_120p2},
        {"params", params},
        {"active_params", active_params},
        {"memory_per_chip_bytes", memory_per_chip_bytes},
        {"memory_capacity_bytes", memory_capacity_bytes},
        {"memory_weights_bytes", memory.weights_bytes},
        {"memory_gradients_bytes", memory.gradients_bytes},
        {"memory_optimizer_bytes", memory.optimizer_bytes},
        {"memory_activations_bytes", memory.activations_bytes},
        {"memory_other_bytes", memory.other_bytes},
        {"time_compute_s", time.compute_s},
        {"time_memory_s", time.memory_s},
        {"time_tp_comm_s", time.tp_comm_s},
        {"time_pp_bubble_s", time.pp_bubble_s},
        {"time_dp_comm_s", time.dp_comm_s},
        {"time_optimizer_s", time.optimizer_s},
        {"clock_hz", clock_hz},
        {"throttled", throttled ? 1.0 : 0.0},
        {"avg_power_w", avg_power_w},
        {"system_power_w", system_power_w},
        {"energy_per_token_j", energy_per_token_j},
        {"tokens_per_joule", tokens_per_joule},
        {"energy_to_train_j", energy_to_train_j},
        {"energy_mac_j", energy.mac_j},
        {"energy_sram_j", energy.sram_j},
        {"energy_hbm_j", energy.hbm_j},
        {"energy_link_j", energy.link_j},
        {"energy_static_j", energy.static_j},
        {"energy_system_j", energy.system_j},
        {"die_area_mm2", die_area_mm2},
        {"die_area_model_mm2", die_area_model_mm2},
        {"area_mac_mm2", area.mac_mm2},
        {"area_vector_mm2", area.vector_mm2},
        {"area_sram_mm2", area.sram_mm2},
        {"area_hbm_phy_mm2", area.hbm_phy_mm2},
        {"area_serdes_mm2", area.serdes_mm2},
        {"area_other_mm2", area.other_mm2},
        {"dies_per_wafer", dies_per_wafer},
        {"die_yield", die_yield},
        {"chip_cost_usd", chip_cost_usd},
        {"chip_cost_model_usd", chip_cost_model_usd},
        {"system_capex_usd", system_capex_usd},
        {"tco_usd", tco_usd},
        {"tokens_per_dollar", tokens_per_dollar},
        {"co2_kg", co2_kg},
    };
}

}  // namespace chipdse::model
