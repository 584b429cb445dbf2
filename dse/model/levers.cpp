#include "dse/model/levers.h"

#include "dse/units/unit_parser.h"

namespace chipdse::model {

std::vector<Lever> seed_levers(const spec::DesignSpec& base, double base_chip_cost_usd) {
    using units::format_value;
    std::vector<Lever> levers;
    levers.push_back({"supercomputing", "overlap communication with compute (90% of DP, 50% of TP traffic hidden)",
                      {"parallelism.dp_overlap=0.9", "parallelism.tp_overlap=0.5"}});
    levers.push_back({"data reduction", "deduplicated / pruned data: half the tokens for the same quality",
                      {"training.tokens=" + units::format_value(base.training->tokens / 2, units::dims::kNone)}});
    levers.push_back({"model partitioning", "search the best parallel mapping (parallelism: auto)",
                      {"parallelism.search=auto"}});
    levers.push_back({"training algorithms", "fused attention and selective recomputation",
                      {"training.flash_attention=true", "parallelism.recompute=selective"}});
    levers.push_back({"lower precision", "fp8 matrix math (activations stay bf16)", {"training.precision=fp8"}});
    {
        Lever l{"efficient hardware", "half the energy per MAC, per SRAM/HBM/link bit", {}};
        const auto& c = *base.chip;
        const char* names[] = {"fp32", "tf32", "bf16", "fp16", "fp8", "int8", "fp4"};
        for (size_t i = 0; i < spec::kAllPrecisions.size(); ++i) {
            const double e = c.power.energy_per_mac[spec::kAllPrecisions[i]].si();
            if (e > 0)
                l.assignments.push_back(std::string("chip.power.energy_per_mac.") + names[i] + "=" +
                                        format_value(e / 2, units::dims::kEnergy));
        }
        l.assignments.push_back("chip.hbm.energy_per_bit=" + format_value(c.hbm.energy_per_bit.si() / 2, units::dims::kEnergyPerBit));
        l.assignments.push_back("chip.links.energy_per_bit=" +
                                format_value(c.links.energy_per_bit.si() / 2, units::dims::kEnergyPerBit));
        levers.push_back(l);
    }
    levers.push_back({"competitive accelerators", "an accelerator at half the price",
                      {"chip.cost.price=" + format_value(base_chip_cost_usd / 2, units::dims::kMoney)}});
    return levers;
}

}  // namespace chipdse::model
