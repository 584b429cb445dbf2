#pragma once
// The outcome of evaluating one design point. Metric names are a stable contract (JSON,
// results store): SI units, suffixed with their unit. An infeasible point is a value with a
// reason, never an exception.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace chipdse::model {

struct TimeBreakdown {
    double compute_s = 0;    // matrix-bound ops
    double memory_s = 0;     // memory-bound ops (norms, softmax, elementwise) and kernel overheads
    double tp_comm_s = 0;    // tensor-parallel and expert all-to-all traffic, pipeline sends
    double pp_bubble_s = 0;  // pipeline fill and drain
    double dp_comm_s = 0;    // exposed data-parallel gradient traffic
    double optimizer_s = 0;  // optimizer step
    double total() const { return compute_s + memory_s + tp_comm_s + pp_bubble_s + dp_comm_s + optimizer_s; }
};

struct MemoryBreakdown {
    double weights_bytes = 0, gradients_bytes = 0, optimizer_bytes = 0, activations_bytes = 0, other_bytes = 0;
    double total() const { return weights_bytes + gradients_bytes + optimizer_bytes + activations_bytes + other_bytes; }
};

// Energy of the whole training run by where it goes (joules, system-wide, after PUE for
// `system`): mac = matrix and vector arithmetic, sram = on-chip SRAM and network-on-chip,
// hbm = DRAM and PHY, link = chip-to-chip and scale-out network, static = chip leakage,
// system = hosts, switches and the facility overhead (PUE).
struct EnergyBreakdown {
    double mac_j = 0, sram_j = 0, hbm_j = 0, link_j = 0, static_j = 0, system_j = 0;
    double total() const { return mac_j + sram_j + hbm_j + link_j + static_j + system_j; }
};

// Die area by component (mm^2 summed over chiplets).
struct AreaBreakdown {
    double mac_mm2 = 0, vector_mm2 = 0, sram_mm2 = 0, hbm_phy_mm2 = 0, serdes_mm2 = 0, other_mm2 = 0;
    double total() const { return mac_mm2 + vector_mm2 + sram_mm2 + hbm_phy_mm2 + serdes_mm2 + other_mm2; }
};

struct Mapping {
    std::int64_t tp = 1, pp = 1, dp = 1, cp = 1, ep = 1, zero = 0, microbatch = 1, microbatches = 1;
    std::int64_t virtual_stages = 1;
    std::string recompute, schedule;
};

struct EvalResult {
    bool feasible = false;
    std::string infeasible_reason;

    Mapping mapping;
    double params = 0, active_params = 0;
    double step_time_s = 0, tokens_per_s = 0, mfu = 0, hfu = 0;
    double time_to_train_s = 0, training_flops = 0, seed_flops_120p2 = 0;
    double model_flops_per_step = 0, hardware_flops_per_step = 0;
    double achieved_flops_per_chip = 0;  // hardware FLOP/s per chip (includes recompute)
    double memory_per_chip_bytes = 0, memory_capacity_bytes = 0;
    TimeBreakdown time;
    MemoryBreakdown memory;

    // power and energy
    double clock_hz = 0;             // effective clock (below nominal when throttled to the TDP)
    bool throttled = false;
    double avg_power_w = 0;          // per chip
    double system_power_w = 0;       // whole system at the wall (PUE included)
    double energy_per_token_j = 0, tokens_per_joule = 0, energy_to_train_j = 0;
    EnergyBreakdown energy;

    // area, cost, carbon
    double die_area_mm2 = 0;         // stated die area, or the modelled one when none is stated
    double die_area_model_mm2 = 0;   // always the component model
    AreaBreakdown area;
    double dies_per_wafer = 0, die_yield = 0;
    double chip_cost_usd = 0;        // stated price, or the modelled cost when none is stated
    double chip_cost_model_usd = 0;  // die + package + HBM manufacturing cost
    double system_capex_usd = 0, tco_usd = 0, co2_kg = 0, tokens_per_dollar = 0;

    // Flat (name, value) pairs in the stable order used by JSON and tables.
    std::vector<std::pair<std::string, double>> metrics() const;
};

}  // namespace chipdse::model
