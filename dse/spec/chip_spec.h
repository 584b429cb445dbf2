#pragma once
// What a chip is (Timeloop-style spec, no behaviour): matrix engines, vector units, SRAM,
// HBM, chip-to-chip links, power, area and cost. All values SI; see chip_schema() for keys.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dse/spec/hbm_spec.h"
#include "dse/spec/link_spec.h"
#include "dse/spec/precision.h"
#include "dse/units/quantity.h"

namespace chipdse::spec {

enum class Dataflow { kWeightStationary, kOutputStationary, kInputStationary };

struct MatrixEngineSpec {
    std::int64_t count = 1;          // engines per chip
    std::int64_t rows = 0, cols = 0;  // systolic array shape; 0 when the engine is not described as an array
    Dataflow dataflow = Dataflow::kOutputStationary;
    bool double_buffered = false;     // next fold's operands load while this one streams
                                      // (fill and drain paid once per GEMM, not per fold)
    PerPrecision<double> macs_per_cycle;  // dense MACs per cycle per engine
    double achievable_fraction = 0.85;   // large-GEMM throughput / peak (library and scheduling losses)
    double pe_transistors = 0;           // transistors of one PE from synthesis (rtl/synth); 0: per-node MAC area table
    double activity_factor = 1;          // MAC switching energy relative to random operands (rtl/activity)
};

struct VectorUnitSpec {
    double flops_per_cycle = 0;  // fp32 non-matrix FLOPs per cycle, whole chip
};

struct SramLevelSpec {
    std::string name;
    units::Bits capacity;             // per instance
    std::int64_t instances = 1;
    units::BitsPerSecond bandwidth;   // aggregate over all instances
    units::JoulesPerBit read_energy;
    units::JoulesPerBit write_energy;
};

struct PowerSpec {
    units::Watts tdp;
    units::Watts static_power;                 // leakage and always-on power at nominal clock
    PerPrecision<units::Joules> energy_per_mac;
    units::Joules energy_per_vector_flop;
    units::JoulesPerBit noc_energy_per_bit;
    units::Hertz min_clock;                    // lowest DVFS clock when throttled
};

struct AreaSpec {
    units::SquareMeters die;            // stated total silicon area; 0 = estimate from components
    units::SquareMeters reticle_limit;  // largest die one exposure can print
    std::int64_t chiplets = 1;          // compute dies per package
};

struct CostSpec {
    units::Dollars price;                   // stated price per chip; 0 = estimate from the die and package
    units::Dollars wafer_price;             // 0 = the process node's typical price
    units::PerSquareMeter defect_density;   // 0 = the process node's typical density
    units::DollarsPerBit hbm_price;         // 0 = typical price of the HBM generation
    units::Dollars package_price;           // 0 = 2.5D package estimate from the chiplet count
    units::GramsCo2 embodied_carbon;        // manufacturing emissions per chip (0 = not counted)
};

struct ChipSpec {
    std::string name;
    std::string vendor;
    units::Meters process_node;
    units::Hertz clock;
    MatrixEngineSpec matrix;
    VectorUnitSpec vector;
    std::vector<SramLevelSpec> sram;
    HbmSpec hbm;
    LinkSpec links;
    PowerSpec power;
    AreaSpec area;
    CostSpec cost;
    units::Seconds kernel_overhead;  // fixed launch / synchronisation cost per kernel

    // Dense peak matrix FLOP/s at the nominal clock for a precision (2 FLOPs per MAC).
    double peak_flops(Precision p) const {
        return 2.0 * static_cast<double>(matrix.count) * matrix.macs_per_cycle[p] * clock.si();
    }
    units::Bits hbm_capacity() const { return hbm.capacity_per_stack * static_cast<double>(hbm.stacks); }
    units::BitsPerSecond hbm_bandwidth() const { return hbm.bandwidth_per_stack * static_cast<double>(hbm.stacks); }
};

}  // namespace chipdse::spec
