#pragma once
// Die area from components (L0): matrix-engine MACs, vector lanes, SRAM, HBM PHYs, SerDes
// and a fixed share for everything else. Equations: docs/power_area_cost.md.
#include "dse/model/eval_result.h"
#include "dse/spec/chip_spec.h"

namespace chipdse::model {

// Fraction added for network-on-chip, control, clocking, PCIe and other I/O.
inline constexpr double kOtherAreaFraction = 0.9;
// A systolic-array PE needs about a third of a tensor-core MAC's area (no per-MAC operand staging).
inline constexpr double kSystolicMacAreaFactor = 0.35;

AreaBreakdown chip_area(const spec::ChipSpec& chip);

}  // namespace chipdse::model
