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
// Share of a node's best-case logic density that placed and routed datapath logic reaches
// (row utilisation ~0.7 x real cell mix and wiring ~0.7); converts matrix.pe_transistors
// (from rtl/synth) to mm^2. docs/rtl_area.md.
inline constexpr double kLogicUtilisation = 0.5;

// Area of engines x PEs of a given transistor count at a node (mm^2); PEs = rows x cols for an
// array, else the largest MAC rate. Used when matrix.pe_transistors is set.
double synthesised_mac_area_mm2(const spec::ChipSpec& chip);

AreaBreakdown chip_area(const spec::ChipSpec& chip);

}  // namespace chipdse::model
