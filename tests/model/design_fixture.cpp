#include "design_fixture.h"

#include <catch2/catch.hpp>

#include "dse/config/config_loader.h"
#include "dse/spec/design_loader.h"

namespace chipdse::test {

spec::DesignSpec design_from_yaml(const std::string& yaml) { return design_from_yaml(yaml, "{}"); }

spec::DesignSpec design_from_yaml(const std::string& base, const std::string& overlay) {
    config::Diagnostics diag;
    config::ConfigNode tree = config::load_config_text(base, "test.yaml", diag);
    if (overlay != "{}") config::merge_into(tree, config::load_config_text(overlay, "overlay.yaml", diag));
    spec::DesignSpec d;
    if (diag.empty()) spec::bind_design(tree, d, diag);
    INFO(diag.format());
    REQUIRE(diag.empty());
    return d;
}

const char* const kA100System = R"(
chip:
  name: A100
  process_node: 7 nm
  clock: 1.41 GHz
  matrix: {count: 432, macs_per_cycle: {bf16: 256, tf32: 128}, achievable_fraction: 0.8}
  vector: {flops_per_cycle: 13824}
  hbm: {stacks: 5, capacity_per_stack: 16 GiB, bandwidth_per_stack: 407.8 GB/s}
  power: {tdp: 400 W}
system:
  name: cluster
  chips: 1024
  chips_per_node: 8
  scale_up: {domain: 8, bandwidth: 300 GB/s}
  scale_out: {bandwidth: 25 GB/s}
)";

}  // namespace chipdse::test
