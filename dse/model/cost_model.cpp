#include "dse/model/cost_model.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "dse/model/technology.h"

namespace chipdse::model {

double dies_per_wafer(double a, double d) {
    if (a <= 0) return 0;
    const double pi = std::numbers::pi;
    return std::max(0.0, pi * (d / 2) * (d / 2) / a - pi * d / std::sqrt(2 * a));
}

double die_yield(double a, double d0, double alpha) {
    return std::pow(1.0 + (a / 100.0) * d0 / alpha, -alpha);  // a in mm^2, d0 per cm^2
}

namespace {
// Typical HBM prices per GB (press and analyst estimates, docs/power_area_cost.md).
double hbm_usd_per_gb(spec::HbmGeneration g) {
    switch (g) {
        case spec::HbmGeneration::kHbm2: return 8;
        case spec::HbmGeneration::kHbm2e: return 10;
        case spec::HbmGeneration::kHbm3: return 15;
        case spec::HbmGeneration::kHbm3e: return 18;
        case spec::HbmGeneration::kHbm4: return 22;
        case spec::HbmGeneration::kGddr: return 4;
        case spec::HbmGeneration::kLpddr: return 3;
        case spec::HbmGeneration::kNone: return 0;
    }
    return 0;
}
constexpr double kInterposerUsdPerMm2 = 0.5;   // CoWoS-class 2.5D: ~$700 for an H100-sized package
constexpr double kHbmFootprintMm2 = 110.0;     // one HBM stack on the interposer
constexpr double kPackageBaseUsd = 50.0;       // substrate, assembly and test besides the interposer
}  // namespace

ChipCost chip_cost(const spec::ChipSpec& chip, double total_die_mm2) {
    const NodeTechnology& t = technology_for(chip.process_node.si());
    ChipCost c;
    const double chiplets = static_cast<double>(std::max<std::int64_t>(1, chip.area.chiplets));
    c.die_area_mm2 = total_die_mm2 / chiplets;
    c.dies_per_wafer = dies_per_wafer(c.die_area_mm2);
    const double d0 = chip.cost.defect_density.si() > 0 ? chip.cost.defect_density.si() * 1e-4 : t.defect_density_cm2;
    c.yield = die_yield(c.die_area_mm2, d0);
    const double wafer = chip.cost.wafer_price.si() > 0 ? chip.cost.wafer_price.si() : t.wafer_price_usd;
    const double good = c.dies_per_wafer * c.yield;
    c.dies_usd = good > 0 ? wafer / good * chiplets : 0;
    if (chip.cost.package_price.si() > 0) {
        c.package_usd = chip.cost.package_price.si();
    } else {
        const double stacks = chip.hbm.generation == spec::HbmGeneration::kNone ? 0 : static_cast<double>(chip.hbm.stacks);
        c.package_usd = kPackageBaseUsd + kInterposerUsdPerMm2 * (total_die_mm2 + stacks * kHbmFootprintMm2);
    }
    const double gb = units::bytes(chip.hbm_capacity()) / 1e9;
    const double per_gb = chip.cost.hbm_price.si() > 0 ? chip.cost.hbm_price.si() * 8e9 : hbm_usd_per_gb(chip.hbm.generation);
    c.hbm_usd = gb * per_gb;
    return c;
}

SystemCapex system_capex(const spec::SystemSpec& sys, double chip_price_usd) {
    SystemCapex k;
    const double chips = static_cast<double>(sys.chips);
    const double nodes = chips / static_cast<double>(std::max<std::int64_t>(1, sys.chips_per_node));
    k.chips_usd = chips * chip_price_usd;
    k.servers_usd = nodes * sys.prices.node_overhead.si();
    const double f = sys.prices.network_cost_fraction;
    k.network_usd = (k.chips_usd + k.servers_usd) * f / (1.0 - f);
    return k;
}

}  // namespace chipdse::model
