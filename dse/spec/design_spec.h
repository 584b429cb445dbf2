#pragma once
// A design point: every section a config file may hold. A chip file fills `chip`, a system
// file `system` (usually including a chip), a workload file `model`, `training` and
// `parallelism`; evaluation needs them all. Memory and link files hold a lone `hbm` or `link`
// section for the cycle-level block models.
#include <optional>

#include "dse/spec/chip_spec.h"
#include "dse/spec/system_spec.h"
#include "dse/spec/workload_spec.h"

namespace chipdse::spec {

struct DesignSpec {
    std::optional<ChipSpec> chip;
    std::optional<SystemSpec> system;
    std::optional<ModelSpec> model;
    std::optional<TrainingSpec> training;
    std::optional<ParallelismSpec> parallelism;
    std::optional<HbmSpec> hbm;    // a memory file for `chipdse sim hbm` (arch_configs/memory/)
    std::optional<LinkSpec> link;  // a link file for `chipdse sim link` (arch_configs/links/)
};

}  // namespace chipdse::spec
