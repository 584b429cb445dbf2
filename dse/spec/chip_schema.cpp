#include "dse/spec/spec_schemas.h"

namespace chipdse::spec {
namespace {

using config::defaults_to;
using config::ObjectSchema;
using config::Range;
using config::required;

const ObjectSchema<PerPrecision<double>>& mac_rate_schema() {
    static const ObjectSchema<PerPrecision<double>> s = [] {
        ObjectSchema<PerPrecision<double>> o("macs_per_cycle");
        auto nn = Range::non_negative();
        o.number("fp32", &PerPrecision<double>::fp32, "dense fp32 MACs per cycle per engine (0: unsupported)", defaults_to("0"), nn)
            .number("tf32", &PerPrecision<double>::tf32, "dense tf32 MACs per cycle per engine", defaults_to("0"), nn)
            .number("bf16", &PerPrecision<double>::bf16, "dense bf16 MACs per cycle per engine", defaults_to("0"), nn)
            .number("fp16", &PerPrecision<double>::fp16, "dense fp16 MACs per cycle per engine", defaults_to("0"), nn)
            .number("fp8", &PerPrecision<double>::fp8, "dense fp8 MACs per cycle per engine", defaults_to("0"), nn)
            .number("int8", &PerPrecision<double>::int8, "dense int8 MACs per cycle per engine", defaults_to("0"), nn)
            .number("fp4", &PerPrecision<double>::fp4, "dense fp4 MACs per cycle per engine", defaults_to("0"), nn)
            .check([](const PerPrecision<double>& m, const config::ConfigNode* node, const std::string& path,
                      config::BindContext& ctx) {
                bool any = false;
                for (Precision p : kAllPrecisions) any = any || m[p] > 0;
                if (!any)
                    ctx.diag.error(node ? node->loc() : config::SourceLoc{}, path,
                                   "no precision has a MAC rate", "all zero", "e.g. bf16: 1024");
            });
        return o;
    }();
    return s;
}

const ObjectSchema<PerPrecision<units::Joules>>& mac_energy_schema() {
    using E = PerPrecision<units::Joules>;
    static const ObjectSchema<E> s = [] {
        ObjectSchema<E> o("energy_per_mac");
        auto nn = Range::non_negative();
        o.quantity("fp32", &E::fp32, "energy of one fp32 MAC incl. operand delivery inside the engine", defaults_to("0 J"), nn)
            .quantity("tf32", &E::tf32, "energy of one tf32 MAC", defaults_to("0 J"), nn)
            .quantity("bf16", &E::bf16, "energy of one bf16 MAC", defaults_to("0 J"), nn)
            .quantity("fp16", &E::fp16, "energy of one fp16 MAC", defaults_to("0 J"), nn)
            .quantity("fp8", &E::fp8, "energy of one fp8 MAC", defaults_to("0 J"), nn)
            .quantity("int8", &E::int8, "energy of one int8 MAC", defaults_to("0 J"), nn)
            .quantity("fp4", &E::fp4, "energy of one fp4 MAC", defaults_to("0 J"), nn);
        return o;
    }();
    return s;
}

const ObjectSchema<MatrixEngineSpec>& matrix_schema() {
    static const ObjectSchema<MatrixEngineSpec> s = [] {
        ObjectSchema<MatrixEngineSpec> o("matrix");
        o.count("count", &MatrixEngineSpec::count, "matrix engines per chip (tensor cores, MXUs)", required())
            .count("rows", &MatrixEngineSpec::rows, "systolic array rows (0: not described as an array)",
                   defaults_to("0"), Range::non_negative())
            .count("cols", &MatrixEngineSpec::cols, "systolic array columns (0: not described as an array)",
                   defaults_to("0"), Range::non_negative())
            .choice("dataflow", &MatrixEngineSpec::dataflow,
                    {{"weight_stationary", Dataflow::kWeightStationary},
                     {"output_stationary", Dataflow::kOutputStationary},
                     {"input_stationary", Dataflow::kInputStationary}},
                    "which operand stays in the PEs", defaults_to("output_stationary"))
            .flag("double_buffered", &MatrixEngineSpec::double_buffered,
                  "folds overlap: the array fills and drains once per GEMM instead of once per fold, a fold at "
                  "least R cycles after the previous one", false)
            .object("macs_per_cycle", &MatrixEngineSpec::macs_per_cycle, mac_rate_schema(),
                    "dense MACs per cycle per engine, by precision")
            .number("achievable_fraction", &MatrixEngineSpec::achievable_fraction,
                    "throughput of a large, well-shaped GEMM / dense peak (calibrated per chip)", defaults_to("0.85"),
                    Range{0.0, 1.0, true})
            .number("pe_transistors", &MatrixEngineSpec::pe_transistors,
                    "transistors of one PE (one MAC per cycle) from `make synth`; sets the engines' area from the "
                    "node's logic density (0: per-node MAC area table)",
                    defaults_to("0"), Range::non_negative())
            .number("activity_factor", &MatrixEngineSpec::activity_factor,
                    "MAC energy relative to random operands, from chipdse_activity (e.g. 0.5 at 50% zeros; 1: random)",
                    defaults_to("1"), Range::non_negative())
            .check([](const MatrixEngineSpec& m, const config::ConfigNode* node, const std::string& path,
                      config::BindContext& ctx) {
                if ((m.rows == 0) != (m.cols == 0))
                    ctx.diag.error(node ? node->loc() : config::SourceLoc{}, path,
                                   "rows and cols go together", "rows " + std::to_string(m.rows) + ", cols " +
                                   std::to_string(m.cols), "both zero or both positive");
            });
        return o;
    }();
    return s;
}

const ObjectSchema<VectorUnitSpec>& vector_schema() {
    static const ObjectSchema<VectorUnitSpec> s = [] {
        ObjectSchema<VectorUnitSpec> o("vector");
        o.number("flops_per_cycle", &VectorUnitSpec::flops_per_cycle,
                 "fp32 non-matrix FLOPs per cycle, whole chip (norms, softmax, elementwise)", required());
        return o;
    }();
    return s;
}

const ObjectSchema<SramLevelSpec>& sram_schema() {
    static const ObjectSchema<SramLevelSpec> s = [] {
        ObjectSchema<SramLevelSpec> o("sram level");
        o.text("name", &SramLevelSpec::name, "level name (e.g. l1, l2, vmem)", config::required())
            .quantity("capacity", &SramLevelSpec::capacity, "capacity of one instance", required())
            .count("instances", &SramLevelSpec::instances, "instances per chip (e.g. one per SM)", defaults_to("1"))
            .quantity("bandwidth", &SramLevelSpec::bandwidth, "aggregate bandwidth of all instances", required())
            .quantity("read_energy", &SramLevelSpec::read_energy, "energy per bit read", defaults_to("0 pJ/bit"),
                      Range::non_negative())
            .quantity("write_energy", &SramLevelSpec::write_energy, "energy per bit written",
                      defaults_to("0 pJ/bit"), Range::non_negative());
        return o;
    }();
    return s;
}

const ObjectSchema<PowerSpec>& power_schema() {
    static const ObjectSchema<PowerSpec> s = [] {
        ObjectSchema<PowerSpec> o("power");
        auto nn = Range::non_negative();
        o.quantity("tdp", &PowerSpec::tdp, "thermal design power (board)", required())
            .quantity("static", &PowerSpec::static_power, "leakage and always-on power", defaults_to("0 W"), nn)
            .object("energy_per_mac", &PowerSpec::energy_per_mac, mac_energy_schema(), "energy per MAC by precision")
            .quantity("energy_per_vector_flop", &PowerSpec::energy_per_vector_flop, "energy per vector-unit FLOP",
                      defaults_to("0 J"), nn)
            .quantity("noc_energy_per_bit", &PowerSpec::noc_energy_per_bit, "on-chip network energy per bit",
                      defaults_to("0 pJ/bit"), nn)
            .quantity("min_clock", &PowerSpec::min_clock, "lowest clock when throttled to the TDP",
                      defaults_to("0 Hz"), nn)
            .check([](const PowerSpec& p, const config::ConfigNode* node, const std::string& path,
                      config::BindContext& ctx) {
                if (p.static_power.si() > 0 && p.tdp.si() > 0 && p.static_power.si() >= p.tdp.si())
                    ctx.diag.error(config::key_loc(node, "static"), path + ".static",
                                   "static power must be below the TDP",
                                   units::format_value(p.static_power.si(), units::dims::kPower, 6),
                                   "< " + units::format_value(p.tdp.si(), units::dims::kPower, 6));
            });
        return o;
    }();
    return s;
}

const ObjectSchema<AreaSpec>& area_schema() {
    static const ObjectSchema<AreaSpec> s = [] {
        ObjectSchema<AreaSpec> o("area");
        o.quantity("die", &AreaSpec::die, "stated silicon area of all compute dies (0: estimate)",
                   defaults_to("0 mm^2"), Range::non_negative())
            .quantity("reticle_limit", &AreaSpec::reticle_limit, "largest printable die", defaults_to("858 mm^2"))
            .count("chiplets", &AreaSpec::chiplets, "compute dies per package", defaults_to("1"));
        return o;
    }();
    return s;
}

const ObjectSchema<CostSpec>& cost_schema() {
    static const ObjectSchema<CostSpec> s = [] {
        ObjectSchema<CostSpec> o("cost");
        auto nn = Range::non_negative();
        o.quantity("price", &CostSpec::price, "price per chip (0: estimate from die and package)", defaults_to("$0"), nn)
            .quantity("wafer_price", &CostSpec::wafer_price, "price of one 300 mm wafer (0: typical for the node)",
                      defaults_to("$0"), nn)
            .quantity("defect_density", &CostSpec::defect_density, "defects per area (0: typical for the node)",
                      defaults_to("0 /cm^2"), nn)
            .quantity("hbm_price", &CostSpec::hbm_price, "HBM price per byte (0: typical for the generation)",
                      defaults_to("$0/GB"), nn)
            .quantity("package_price", &CostSpec::package_price, "package, interposer and assembly (0: estimate)",
                      defaults_to("$0"), nn)
            .quantity("embodied_carbon", &CostSpec::embodied_carbon, "manufacturing emissions per chip",
                      defaults_to("0 gCO2"), nn);
        return o;
    }();
    return s;
}

}  // namespace

const ObjectSchema<ChipSpec>& chip_schema() {
    static const ObjectSchema<ChipSpec> s = [] {
        ObjectSchema<ChipSpec> o("chip");
        o.text("name", &ChipSpec::name, "display name", required())
            .text("vendor", &ChipSpec::vendor, "maker")
            .quantity("process_node", &ChipSpec::process_node, "logic process node (e.g. 4 nm)", required(),
                      Range{1e-9, 1e-6, false})
            .quantity("clock", &ChipSpec::clock, "matrix-engine clock at which peak rates are quoted", required(),
                      Range::positive(), true)
            .object("matrix", &ChipSpec::matrix, matrix_schema(), "matrix engines")
            .object("vector", &ChipSpec::vector, vector_schema(), "vector (SIMD) units")
            .list("sram", &ChipSpec::sram, sram_schema(), "on-chip SRAM levels, nearest first")
            .object("hbm", &ChipSpec::hbm, hbm_schema(), "off-chip memory")
            .object("links", &ChipSpec::links, link_schema(), "chip-to-chip links")
            .object("power", &ChipSpec::power, power_schema(), "power and energy per operation")
            .object("area", &ChipSpec::area, area_schema(), "silicon area")
            .object("cost", &ChipSpec::cost, cost_schema(), "price")
            .quantity("kernel_overhead", &ChipSpec::kernel_overhead, "fixed launch / synchronisation cost per kernel",
                      defaults_to("0 s"), Range::non_negative());
        return o;
    }();
    return s;
}

}  // namespace chipdse::spec
