#pragma once
// The outcome of evaluating one design point. Metric names are a stable contract (JSON,
// results store): SI units, suffixed with their unit. An infeasible point is a value with a
// reason, never an exception.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace chipdse::model {

struct TimeBreakdown {
    double compute_s = 0;    // matrix-bound ops
    double memory_s = 0;     // memory-bound ops (norms, softmax, elementwise) and kernel overheads
    double tp_comm_s = 0;    // tensor-parallel and expert all-to-all traffic, pipeline sends
    double pp_bubble_s = 0;  // pipeline fill and drain
    double dp_comm_s = 0;    // exposed data-parallel gradient traffic
    double optimizer_s = 0;  // optimizer step
    double total() const { return compute_s + memory_s + tp_comm_s + pp_bubble_s + dp_comm_s + optimizer_s; }
};

struct MemoryBreakdown {
    double weights_bytes = 0, gradients_bytes = 0, optimizer_bytes = 0, activations_bytes = 0, other_bytes = 0;
    double total() const { return weights_bytes + gradients_bytes + optimizer_bytes + activations_bytes + other_bytes; }
};

struct Mapping {
    std::int64_t tp = 1, pp = 1, dp = 1, cp = 1, ep = 1, zero = 0, microbatch = 1, microbatches = 1;
    std::int64_t virtual_stages = 1;
    std::string recompute, schedule;
};

struct EvalResult {
    bool feasible = false;
    std::string infeasible_reason;

    Mapping mapping;
    double params = 0, active_params = 0;
    double step_time_s = 0, tokens_per_s = 0, mfu = 0, hfu = 0;
    double time_to_train_s = 0, training_flops = 0, seed_flops_120p2 = 0;
    double model_flops_per_step = 0, hardware_flops_per_step = 0;
    double achieved_flops_per_chip = 0;  // hardware FLOP/s per chip (includes recompute)
    double memory_per_chip_bytes = 0, memory_capacity_bytes = 0;
    TimeBreakdown time;
    MemoryBreakdown memory;

    // Flat (name, value) pairs in the stable order used by JSON and tables.
    std::vector<std::pair<std::string, double>> metrics() const;
};

}  // namespace chipdse::model
