#pragma once
// Manufacturing cost of a chip (dies per wafer, yield, wafer price, package, HBM) and the
// system capex built from it. Equations and sources: docs/power_area_cost.md.
#include "dse/spec/chip_spec.h"
#include "dse/spec/system_spec.h"

namespace chipdse::model {

inline constexpr double kWaferDiameterMm = 300.0;
inline constexpr double kYieldClusterAlpha = 3.0;  // negative-binomial clustering parameter

struct ChipCost {
    double die_area_mm2 = 0;  // one chiplet
    double dies_per_wafer = 0, yield = 0;
    double dies_usd = 0, package_usd = 0, hbm_usd = 0;
    double total_usd() const { return dies_usd + package_usd + hbm_usd; }
};

// Gross dies per wafer: pi (d/2)^2 / A - pi d / sqrt(2 A) (de Vries 2005).
double dies_per_wafer(double die_mm2, double wafer_diameter_mm = kWaferDiameterMm);
// Negative-binomial yield (1 + A D0 / alpha)^-alpha.
double die_yield(double die_mm2, double defects_per_cm2, double alpha = kYieldClusterAlpha);

ChipCost chip_cost(const spec::ChipSpec& chip, double total_die_mm2);

struct SystemCapex {
    double chips_usd = 0, servers_usd = 0, network_usd = 0;
    double total() const { return chips_usd + servers_usd + network_usd; }
};
SystemCapex system_capex(const spec::SystemSpec& system, double chip_price_usd);

}  // namespace chipdse::model
