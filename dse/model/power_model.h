#pragma once
// Energy of one training step from the chip's activity (L0), and the voltage-frequency
// relation used when the power exceeds the TDP. Equations: docs/power_area_cost.md.
#include "dse/model/activity.h"
#include "dse/spec/chip_spec.h"
#include "dse/spec/system_spec.h"

namespace chipdse::model {

// Supply voltage relative to nominal at clock ratio r = f / f_nominal: V/V0 = 0.6 + 0.4 r,
// a linear fit typical of DVFS tables (e.g. 0.7 V at half clock for a 0.85 V part).
double voltage_ratio(double clock_ratio);

// Joules one chip spends in one step, by component (SI). Core energy (arithmetic, SRAM, NoC)
// scales with V^2 and static power with V; HBM and link energy do not depend on the core clock.
struct ChipStepEnergy {
    double mac = 0, vector = 0, sram = 0, noc = 0, hbm = 0, link = 0, statik = 0;
    double core_dynamic() const { return mac + vector + sram + noc; }
    double total() const { return core_dynamic() + hbm + link + statik; }
};

ChipStepEnergy chip_step_energy(const spec::ChipSpec& chip, const spec::SystemSpec& sys, spec::Precision precision,
                                const Activity& work, double step_time_s, double clock_ratio);

}  // namespace chipdse::model
