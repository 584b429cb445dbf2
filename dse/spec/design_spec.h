#pragma once
// A design point: every section a config file may hold. A chip file fills `chip`, a system
// file `system` (usually including a chip), a workload file `model`, `training` and
// `parallelism`; evaluation needs them all.
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
};

}  // namespace chipdse::spec
