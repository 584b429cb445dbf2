#pragma once
// One row of the results store: a design point's key, its values on the sweep's axes, its
// resolved config, whether it was a valid design, the mapping chosen and every metric.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "dse/model/eval_result.h"

namespace chipdse::sweep {

struct PointRow {
    std::string key;     // hash of the fidelity and the fully resolved config (32 hex digits)
    std::string sweep;   // name of the sweep that first stored it
    std::string axes;    // JSON object: axis / derived path -> value as resolved
    std::string config;  // resolved YAML (or the difference from the base, store_config: delta)
    std::string fidelity = "analytical";  // what the metrics were computed at (analytical, systemc)
    bool valid = true;   // false: the config did not bind (the reason says why)
    std::string infeasible_reason;
    model::Mapping mapping;
    std::vector<std::pair<std::string, double>> metrics;  // model::EvalResult::metrics(), by name

    // Value of a metric, NaN when absent.
    double metric(const std::string& name) const;
};

// What evaluating one work item produced: a new row, or the key of a row already stored.
struct PointResult {
    std::uint64_t index = 0;
    std::string key;
    bool found = false;  // already in the store: not evaluated again
    bool other_sweep = false;  // found, stored first by another sweep
    PointRow row;        // filled when !found
};

// Binary encoding for messages between MPI ranks.
void encode(const PointResult& r, std::string& out);
bool decode(const std::string& in, size_t& pos, PointResult& r);

// JSON string literal with escapes.
std::string json_quote(const std::string& s);

}  // namespace chipdse::sweep
