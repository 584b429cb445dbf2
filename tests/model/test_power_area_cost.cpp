// Power, area, cost and carbon: closed forms checked by hand, shipped chips against their
// published die areas and TDP-limited operation, and the TDP cap.
#include <catch2/catch.hpp>

#include <cmath>

#include "design_fixture.h"
#include "dse/model/area_model.h"
#include "dse/model/cost_model.h"
#include "dse/model/power_model.h"
#include "dse/model/training_model.h"

using chipdse::test::design_from_yaml;

namespace {
// A DGX-like system around a shipped chip, and GPT-3 175B as the reference training workload
// (the one the energy parameters were calibrated on: docs/power_area_cost.md).
std::string reference_design(const std::string& chip) {
    return "include: " + std::string(CHIPDSE_SOURCE_DIR) + "/arch_configs/chips/" + chip + ".yaml\n" + R"(
system:
  name: reference
  chips: 1024
  chips_per_node: 8
  scale_up: {domain: 8, bandwidth: 300 GB/s}
  scale_out: {bandwidth: 25 GB/s}
model: {name: gpt3, layers: 96, hidden: 12288, heads: 96, vocab: 51200, seq_len: 2048, tied_embeddings: true}
training: {tokens: 300e9, global_batch: 1536, flash_attention: true}
parallelism: {tp: 8, pp: 8, microbatch: 1, recompute: selective}
)";
}
}  // namespace

TEST_CASE("dies per wafer and yield follow the textbook formulas", "[model][cost]") {
    // 100 mm^2 on 300 mm: pi*150^2/100 - pi*300/sqrt(200) = 706.86 - 66.64 = 640.2
    CHECK(chipdse::model::dies_per_wafer(100) == Approx(640.2).epsilon(1e-3));
    // negative binomial, A = 8 cm^2, D0 = 0.1/cm^2, alpha = 3: (1 + 0.8/3)^-3 = 0.4918
    CHECK(chipdse::model::die_yield(800, 0.1) == Approx(std::pow(1 + 0.8 / 3, -3)));
    // tiny dies yield almost perfectly
    CHECK(chipdse::model::die_yield(1, 0.1) > 0.999);
}

TEST_CASE("shipped chips' modelled die areas are near their published areas", "[model][area]") {
    // Published: A100 826 mm^2 and H100 814 mm^2 (NVIDIA whitepapers), TPU v4 < 600 mm^2
    // (Jouppi et al. ISCA 2023), B200 two reticle-sized dies. Band: 25%.
    for (const char* chip : {"a100-sxm-80gb", "h100-sxm", "tpu-v4", "b200"}) {
        auto r = chipdse::model::evaluate(design_from_yaml(reference_design(chip)));
        INFO(chip << ": model " << r.die_area_model_mm2 << " mm^2, stated " << r.die_area_mm2);
        CHECK(r.die_area_model_mm2 == Approx(r.die_area_mm2).epsilon(0.25));
        CHECK(r.area.mac_mm2 + r.area.vector_mm2 + r.area.sram_mm2 + r.area.hbm_phy_mm2 + r.area.serdes_mm2 +
                  r.area.other_mm2 == Approx(r.die_area_model_mm2));
    }
}

TEST_CASE("shipped chips draw close to their TDP when training", "[model][power]") {
    for (const char* chip : {"a100-sxm-80gb", "h100-sxm", "h200-sxm", "b200", "mi250x", "mi300x", "tpu-v4", "tpu-v5p",
                             "gaudi3", "hypothetical-4x128-bf16"}) {
        auto d = design_from_yaml(reference_design(chip));
        auto r = chipdse::model::evaluate(d);
        const double tdp = d.chip->power.tdp.si();
        INFO(chip << ": " << r.avg_power_w << " W of " << tdp << " W");
        REQUIRE(r.feasible);
        CHECK(r.avg_power_w >= 0.8 * tdp);
        CHECK(r.avg_power_w <= tdp * (1 + 1e-9));
    }
}

TEST_CASE("a chip over its TDP throttles its clock and slows down", "[model][power]") {
    const std::string base = reference_design("h100-sxm");
    auto nominal = chipdse::model::evaluate(design_from_yaml(base));
    auto capped = chipdse::model::evaluate(design_from_yaml(base, "chip: {power: {tdp: 580 W}}"));
    REQUIRE(capped.feasible);
    CHECK(capped.throttled);
    CHECK_FALSE(nominal.throttled);
    CHECK(capped.clock_hz < nominal.clock_hz);
    CHECK(capped.avg_power_w == Approx(580).epsilon(0.01));
    CHECK(capped.step_time_s > nominal.step_time_s);
    // a cap no clock can meet is an infeasible point with the numbers, not a crash
    auto impossible = chipdse::model::evaluate(design_from_yaml(base, "chip: {power: {tdp: 150 W, static: 100 W}}"));
    CHECK_FALSE(impossible.feasible);
    CHECK_THAT(impossible.infeasible_reason, Catch::Contains("even at the lowest clock"));
}

TEST_CASE("energy, TCO and carbon add up", "[model][energy]") {
    auto d = design_from_yaml(reference_design("a100-sxm-80gb"), R"(
system:
  facility: {host_power_per_node: 2 kW, network_power_per_chip: 50 W, pue: 1.25}
  prices: {electricity: $0.10/kWh, carbon_intensity: 400 gCO2/kWh, node_overhead: $100000,
           network_cost_fraction: 0.2, depreciation: 4 year}
)");
    auto r = chipdse::model::evaluate(d);
    REQUIRE(r.feasible);
    CHECK(r.energy.total() == Approx(r.energy_to_train_j).epsilon(1e-9));
    CHECK(r.energy_per_token_j * 300e9 == Approx(r.energy_to_train_j).epsilon(1e-9));
    CHECK(r.tokens_per_joule == Approx(1 / r.energy_per_token_j));
    // system power: (chips + hosts + network) x PUE
    const double it = 1024 * r.avg_power_w + 128 * 2000 + 1024 * 50;
    CHECK(r.system_power_w == Approx(1.25 * it).epsilon(1e-9));
    // capex: (chips + servers) / (1 - network share); stated A100 price from the chip file
    const double capex = (1024 * r.chip_cost_usd + 128 * 100000.0) / (1 - 0.2);
    CHECK(r.system_capex_usd == Approx(capex));
    const double years = r.time_to_train_s / (4 * 365.25 * 86400);
    const double kwh = r.energy_to_train_j / 3.6e6;
    CHECK(r.tco_usd == Approx(capex * years + 0.10 * kwh));
    CHECK(r.co2_kg == Approx(0.4 * kwh));
    // renting instead: chip-hours at the hourly price
    auto cloud = chipdse::model::evaluate(design_from_yaml(reference_design("a100-sxm-80gb"),
                                                           "system: {prices: {chip_hour: $2/h}}"));
    CHECK(cloud.tco_usd == Approx(1024 * 2.0 * cloud.time_to_train_s / 3600));
}

TEST_CASE("a die beyond the reticle is infeasible unless split into chiplets", "[model][area]") {
    const std::string base = reference_design("h100-sxm");
    auto big = chipdse::model::evaluate(design_from_yaml(base, "chip: {area: {die: 1200 mm^2}}"));
    CHECK_FALSE(big.feasible);
    CHECK_THAT(big.infeasible_reason, Catch::Contains("reticle"));
    auto split = chipdse::model::evaluate(design_from_yaml(base, "chip: {area: {die: 1200 mm^2, chiplets: 2}}"));
    CHECK(split.feasible);
}

TEST_CASE("a synthesised PE's transistor count sets the matrix-engine area", "[model][area]") {
    // TPU v4: 7 nm, 8 MXUs of 128 x 128. 6500 transistors per PE (about the int8 PE of rtl/synth)
    // at N7's 91.2 MTr/mm^2 (WikiChip) and 50% utilisation: 8 x 16384 x 6500 / 45.6e6 = 18.68 mm^2.
    const std::string base = reference_design("tpu-v4");
    auto table = design_from_yaml(base);
    auto rtl = design_from_yaml(base, "chip: {matrix: {pe_transistors: 6500}}");
    const auto a_table = chipdse::model::chip_area(*table.chip);
    const auto a_rtl = chipdse::model::chip_area(*rtl.chip);
    CHECK(a_rtl.mac_mm2 == Approx(8.0 * 16384 * 6500 / (91.2e6 * 0.5)));
    // the other components do not depend on the PE
    CHECK(a_rtl.sram_mm2 == Approx(a_table.sram_mm2));
    CHECK(a_rtl.vector_mm2 == Approx(a_table.vector_mm2));
    // an engine not described as an array counts one PE per MAC/cycle of its widest rate:
    // 5 nm (171.3 MTr/mm^2), 2 engines x 1024 MACs x 10000 transistors / 85.65e6 = 0.2391 mm^2
    auto flat = design_from_yaml(base, R"(
chip:
  process_node: 5 nm
  matrix: {count: 2, rows: 0, cols: 0, macs_per_cycle: {bf16: 512, int8: 1024}, pe_transistors: 10000}
)");
    CHECK(chipdse::model::chip_area(*flat.chip).mac_mm2 == Approx(2.0 * 1024 * 10000 / (171.3e6 * 0.5)));
}

TEST_CASE("the activity factor scales the MAC energy and nothing else", "[model][power]") {
    const std::string base = reference_design("tpu-v4");
    auto random = design_from_yaml(base);
    auto sparse = design_from_yaml(base, "chip: {matrix: {activity_factor: 0.5}}");
    chipdse::model::Activity w;
    w.matrix_macs = 1e15;
    w.vector_flops = 1e12;
    w.hbm_bytes = 1e11;
    const auto e1 = chipdse::model::chip_step_energy(*random.chip, *random.system, chipdse::spec::Precision::kBf16, w,
                                                     1.0, 1.0);
    const auto e2 = chipdse::model::chip_step_energy(*sparse.chip, *sparse.system, chipdse::spec::Precision::kBf16, w,
                                                     1.0, 1.0);
    CHECK(e1.mac > 0);
    CHECK(e2.mac == Approx(0.5 * e1.mac));
    CHECK(e2.vector == Approx(e1.vector));
    CHECK(e2.sram == Approx(e1.sram));
    CHECK(e2.hbm == Approx(e1.hbm));
}
