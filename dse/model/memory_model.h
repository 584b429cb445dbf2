#pragma once
// Memory footprint per chip of a training run: weights, gradients, optimizer state (with
// ZeRO sharding), activations (by recompute mode, sequence parallelism and the number of
// micro-batches in flight on the first pipeline stage) and the logits buffer.
#include "dse/model/eval_result.h"
#include "dse/model/transformer_ops.h"
#include "dse/spec/workload_spec.h"

namespace chipdse::model {

struct MemoryInputs {
    const ModelDims& dims;
    const spec::ModelSpec& model;
    const spec::TrainingSpec& training;
    const spec::ParallelismSpec& par;
    const Mapping& mapping;
    double params_per_chip;  // weights held by the most loaded pipeline stage, per TP/EP rank
    double act_bytes;        // bytes per activation element
};

MemoryBreakdown memory_per_chip(const MemoryInputs& in);

}  // namespace chipdse::model
