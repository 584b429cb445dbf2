#pragma once
// The schemas of every spec: the single source of keys, types, units, defaults, ranges and docs.
#include "dse/config/schema.h"
#include "dse/spec/design_spec.h"

namespace chipdse::spec {

const config::ObjectSchema<ChipSpec>& chip_schema();
const config::ObjectSchema<HbmSpec>& hbm_schema();
const config::ObjectSchema<LinkSpec>& link_schema();
const config::ObjectSchema<SystemSpec>& system_schema();
const config::ObjectSchema<ModelSpec>& model_schema();
const config::ObjectSchema<TrainingSpec>& training_schema();
const config::ObjectSchema<ParallelismSpec>& parallelism_schema();
// The whole document: sections chip, system, model, training, parallelism (each optional).
const config::ObjectSchema<DesignSpec>& design_schema();

}  // namespace chipdse::spec
