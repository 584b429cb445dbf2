#pragma once
// The seed paper's levers (Faraboschi et al. 2024), each expressed as a config change on a
// base design, so that its effect on time, energy and cost can be measured.
#include <string>
#include <vector>

#include "dse/spec/design_spec.h"

namespace chipdse::model {

struct Lever {
    std::string name;
    std::string change;                    // what the lever does, in words
    std::vector<std::string> assignments;  // `path=value` overrides applied to the base design
};

// The seven levers for a base design (values computed from the base: e.g. half its tokens).
std::vector<Lever> seed_levers(const spec::DesignSpec& base, double base_chip_cost_usd);

}  // namespace chipdse::model
