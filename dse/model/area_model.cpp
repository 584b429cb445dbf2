#include "dse/model/area_model.h"

#include <algorithm>
#include <cmath>

#include "dse/model/technology.h"

namespace chipdse::model {

double synthesised_mac_area_mm2(const spec::ChipSpec& chip) {
    const NodeTechnology& t = technology_for(chip.process_node.si());
    double pes = static_cast<double>(chip.matrix.rows * chip.matrix.cols);
    if (chip.matrix.rows == 0)
        for (spec::Precision p : spec::kAllPrecisions) pes = std::max(pes, chip.matrix.macs_per_cycle[p]);
    const double transistors = static_cast<double>(chip.matrix.count) * pes * chip.matrix.pe_transistors;
    return transistors / (t.logic_mtr_per_mm2 * 1e6 * kLogicUtilisation);
}

AreaBreakdown chip_area(const spec::ChipSpec& chip) {
    const NodeTechnology& t = technology_for(chip.process_node.si());
    AreaBreakdown a;
    // Engines share datapaths across precisions: the most expensive supported one sets the area.
    double mac_um2 = 0;
    for (size_t i = 0; i < spec::kAllPrecisions.size(); ++i) {
        const double macs = static_cast<double>(chip.matrix.count) * chip.matrix.macs_per_cycle[spec::kAllPrecisions[i]];
        mac_um2 = std::max(mac_um2, macs * t.mac_bf16_um2 * mac_area_factor(static_cast<int>(i)));
    }
    if (chip.matrix.rows > 0) mac_um2 *= kSystolicMacAreaFactor;
    a.mac_mm2 = chip.matrix.pe_transistors > 0 ? synthesised_mac_area_mm2(chip) : mac_um2 * 1e-6;
    a.vector_mm2 = chip.vector.flops_per_cycle * t.vector_um2_per_flop * 1e-6;
    for (const auto& level : chip.sram)
        a.sram_mm2 += units::bytes(level.capacity) * static_cast<double>(level.instances) / (1024.0 * 1024.0) *
                      t.sram_mm2_per_mib;
    if (chip.hbm.generation != spec::HbmGeneration::kNone)
        a.hbm_phy_mm2 = static_cast<double>(chip.hbm.stacks) * t.hbm_phy_mm2;
    a.serdes_mm2 = static_cast<double>(chip.links.count) * chip.links.bandwidth.si() / 1e9 * t.serdes_mm2_per_gbps;
    a.other_mm2 = kOtherAreaFraction * (a.mac_mm2 + a.vector_mm2 + a.sram_mm2 + a.hbm_phy_mm2 + a.serdes_mm2);
    return a;
}

}  // namespace chipdse::model
