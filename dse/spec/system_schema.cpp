#include "dse/spec/spec_schemas.h"

namespace chipdse::spec {
namespace {

using config::defaults_to;
using config::ObjectSchema;
using config::Range;
using config::required;

const std::vector<std::pair<std::string, Topology>>& topology_names() {
    static const std::vector<std::pair<std::string, Topology>> k{
        {"switched", Topology::kSwitched},   {"ring", Topology::kRing},
        {"torus2d", Topology::kTorus2d},     {"torus3d", Topology::kTorus3d},
        {"fully_connected", Topology::kFullyConnected}, {"fat_tree", Topology::kFatTree},
        {"dragonfly", Topology::kDragonfly}, {"rail_optimized", Topology::kRailOptimized}};
    return k;
}

ObjectSchema<NetworkSpec> network_schema(const char* title, const char* default_topology) {
    ObjectSchema<NetworkSpec> o(title);
    auto nn = Range::non_negative();
    o.choice("topology", &NetworkSpec::topology, topology_names(), "how the chips of this network connect",
             defaults_to(default_topology))
        .count("domain", &NetworkSpec::domain, "chips in one domain of this network", defaults_to("1"))
        .quantity("bandwidth", &NetworkSpec::bandwidth, "injection bandwidth per chip, per direction", required())
        .quantity("latency", &NetworkSpec::latency, "small-message latency end to end", defaults_to("0 s"), nn)
        .number("oversubscription", &NetworkSpec::oversubscription, "bandwidth taper between tiers (1: full bisection)",
                defaults_to("1"), Range::at_least(1.0))
        .number("efficiency", &NetworkSpec::efficiency, "achievable fraction of bandwidth on large messages",
                defaults_to("1"), Range{0.0, 1.0, true})
        .quantity("energy_per_bit", &NetworkSpec::energy_per_bit, "NIC, switch and optics energy per bit",
                  defaults_to("0 pJ/bit"), nn)
        .quantity("power_per_chip", &NetworkSpec::power_per_chip,
                  "standing power of this tier's NICs, switches and optics, per chip", defaults_to("0 W"), nn);
    return o;
}

const ObjectSchema<NetworkSpec>& scale_up_schema() {
    static const ObjectSchema<NetworkSpec> s = network_schema("scale_up", "switched");
    return s;
}
const ObjectSchema<NetworkSpec>& scale_out_schema() {
    static const ObjectSchema<NetworkSpec> s = network_schema("scale_out", "fat_tree");
    return s;
}

const ObjectSchema<FacilitySpec>& facility_schema() {
    static const ObjectSchema<FacilitySpec> s = [] {
        ObjectSchema<FacilitySpec> o("facility");
        auto nn = Range::non_negative();
        o.quantity("host_power_per_node", &FacilitySpec::host_power_per_node,
                   "CPUs, memory, NICs and fans of one node besides the chips", defaults_to("0 W"), nn)
            .quantity("network_power_per_chip", &FacilitySpec::network_power_per_chip,
                      "switches and optics, per chip", defaults_to("0 W"), nn)
            .number("pue", &FacilitySpec::pue, "power usage effectiveness (facility / IT power)", defaults_to("1.1"),
                    Range::between(1.0, 3.0));
        return o;
    }();
    return s;
}

const ObjectSchema<PricesSpec>& prices_schema() {
    static const ObjectSchema<PricesSpec> s = [] {
        ObjectSchema<PricesSpec> o("prices");
        auto nn = Range::non_negative();
        o.quantity("electricity", &PricesSpec::electricity, "price of energy", defaults_to("$0.08/kWh"), nn)
            .quantity("carbon_intensity", &PricesSpec::carbon_intensity, "grid carbon intensity",
                      defaults_to("380 gCO2/kWh"), nn)
            .quantity("chip_hour", &PricesSpec::chip_hour, "cloud price per chip-hour (0: owned system)",
                      defaults_to("$0/h"), nn)
            .quantity("node_overhead", &PricesSpec::node_overhead, "server cost per node besides the chips",
                      defaults_to("$0"), nn)
            .number("network_cost_fraction", &PricesSpec::network_cost_fraction, "interconnect share of cluster capex",
                    defaults_to("0.15"), Range{0.0, 0.9})
            .quantity("depreciation", &PricesSpec::depreciation, "straight-line hardware life", defaults_to("4 year"));
        return o;
    }();
    return s;
}

}  // namespace

const ObjectSchema<SystemSpec>& system_schema() {
    static const ObjectSchema<SystemSpec> s = [] {
        ObjectSchema<SystemSpec> o("system");
        o.text("name", &SystemSpec::name, "display name", required())
            .count("chips", &SystemSpec::chips, "total chips in the system", required())
            .count("chips_per_node", &SystemSpec::chips_per_node, "chips per server node", required())
            .object("scale_up", &SystemSpec::scale_up, scale_up_schema(), "fast domain (NVLink, ICI, Infinity Fabric)")
            .object("scale_out", &SystemSpec::scale_out, scale_out_schema(), "network between scale-up domains")
            .object("facility", &SystemSpec::facility, facility_schema(), "power besides the chips")
            .object("prices", &SystemSpec::prices, prices_schema(), "energy, carbon and hardware prices")
            .check([](const SystemSpec& sys, const config::ConfigNode* node, const std::string& path,
                      config::BindContext& ctx) {
                auto loc = node ? node->loc() : config::SourceLoc{};
                if (sys.chips_per_node > 0 && sys.chips % sys.chips_per_node != 0)
                    ctx.diag.error(config::key_loc(node, "chips"), path + ".chips", "chips must be a multiple of chips_per_node",
                                   std::to_string(sys.chips),
                                   "a multiple of " + std::to_string(sys.chips_per_node));
                if (sys.scale_up.domain > sys.chips)
                    ctx.diag.error(config::key_loc(config::key_node(node, "scale_up"), "domain"), path + ".scale_up.domain", "the scale-up domain exceeds the system",
                                   std::to_string(sys.scale_up.domain), "<= chips (" + std::to_string(sys.chips) + ")");
            });
        return o;
    }();
    return s;
}

}  // namespace chipdse::spec
