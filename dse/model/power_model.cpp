#include "dse/model/power_model.h"

#include <algorithm>
#include <cmath>

namespace chipdse::model {

double voltage_ratio(double r) { return 0.6 + 0.4 * std::clamp(r, 0.0, 1.0); }

ChipStepEnergy chip_step_energy(const spec::ChipSpec& chip, const spec::SystemSpec& sys, spec::Precision p,
                                const Activity& w, double t, double clock_ratio) {
    const double v = voltage_ratio(clock_ratio);
    const double v2 = v * v;
    ChipStepEnergy e;
    // activity_factor: data-dependent switching relative to random operands (rtl/activity).
    e.mac = w.matrix_macs * chip.power.energy_per_mac[p].si() * chip.matrix.activity_factor * v2;
    e.vector = w.vector_flops * chip.power.energy_per_vector_flop.si() * v2;
    const double hbm_bits = w.hbm_bytes * 8;
    // Every HBM byte is written into and read out of each SRAM level on its way; the nearest
    // level also feeds the engines: an engine of N MACs/cycle, fed as a sqrt(N) x sqrt(N)
    // array, reads 2 sqrt(N) operands per cycle, i.e. 2 / sqrt(N) operands per MAC.
    const double bits = spec::precision_bytes(p) * 8;
    const double reuse = std::max(1.0, std::sqrt(std::max(1.0, chip.matrix.macs_per_cycle[p])));
    for (size_t i = 0; i < chip.sram.size(); ++i) {
        const auto& level = chip.sram[i];
        e.sram += hbm_bits * (level.read_energy.si() + level.write_energy.si());
        if (i == 0) e.sram += 2.0 * w.matrix_macs * bits / reuse * level.read_energy.si();
    }
    e.sram *= v2;
    e.noc = hbm_bits * chip.power.noc_energy_per_bit.si() * v2;
    e.hbm = hbm_bits * chip.hbm.energy_per_bit.si();
    e.link = w.scale_up_bytes * 8 * (chip.links.energy_per_bit.si() + sys.scale_up.energy_per_bit.si()) +
             w.scale_out_bytes * 8 * sys.scale_out.energy_per_bit.si();
    e.statik = chip.power.static_power.si() * v * t;
    return e;
}

}  // namespace chipdse::model
