#pragma once
// What a system is: how many chips, how they are grouped into nodes, the scale-up and
// scale-out networks, facility power and prices. All values SI.
#include <cstdint>
#include <string>

#include "dse/units/quantity.h"

namespace chipdse::spec {

enum class Topology { kSwitched, kRing, kTorus2d, kTorus3d, kFullyConnected, kFatTree, kDragonfly, kRailOptimized };

struct NetworkSpec {
    Topology topology = Topology::kSwitched;
    std::int64_t domain = 1;            // chips in one domain of this network (scale-up: NVLink domain)
    units::BitsPerSecond bandwidth;     // per chip, per direction, injection
    units::Seconds latency;             // end-to-end for a small message
    double oversubscription = 1.0;      // upper-tier to lower-tier bandwidth taper (fat tree)
    double efficiency = 1.0;            // achievable fraction of bandwidth for large messages
    units::JoulesPerBit energy_per_bit; // NICs, switches and optics per bit moved
    units::Watts power_per_chip;        // idle power of this tier's NICs, switches and optics, per chip
};

struct FacilitySpec {
    units::Watts host_power_per_node;   // CPUs, memory, NICs and fans of a node besides the chips
    units::Watts network_power_per_chip;  // switches and optics, per chip
    double pue = 1.1;                   // facility power / IT power
};

struct PricesSpec {
    units::DollarsPerJoule electricity;
    units::GramsCo2PerJoule carbon_intensity;
    units::DollarsPerSecond chip_hour;  // cloud price per chip-hour; 0 = own the system
    units::Dollars node_overhead;       // server cost per node besides the chips
    double network_cost_fraction = 0.15;  // interconnect share of cluster capex
    units::Seconds depreciation;        // straight-line life of the hardware
};

struct SystemSpec {
    std::string name;
    std::int64_t chips = 1;
    std::int64_t chips_per_node = 1;
    NetworkSpec scale_up;
    NetworkSpec scale_out;
    FacilitySpec facility;
    PricesSpec prices;
};

}  // namespace chipdse::spec
