#pragma once
// The roofline of a design: its chip's matrix peak and sustained HBM bandwidth, and where the
// ops of one transformer layer (forward pass, one micro-batch, the mapping the model chose)
// and of the embedding and logits fall on it. Uses the analytical model's own op graph and
// op timing (dse/model), so the report shows what the sweep evaluated.
#include <string>
#include <vector>

#include "dse/model/eval_result.h"
#include "dse/spec/design_spec.h"

namespace chipdse::report {

struct RooflineOp {
    std::string name;
    std::string kind;        // gemm, attention, elementwise
    double flops = 0;        // over the op's instances
    double bytes = 0;        // HBM traffic
    double intensity = 0;    // flops / bytes
    double seconds = 0;      // the model's time for the op (kernel overhead included)
    double attained_flops = 0;  // flops / seconds
    bool compute_bound = true;
};

struct Roofline {
    bool ok = false;
    std::string error;               // why there is none (sections missing, infeasible mapping)
    std::string precision;
    double clock_hz = 0;             // effective clock (throttled to the TDP when the model did)
    bool throttled = false;
    double peak_flops = 0;           // dense matrix FLOP/s at the precision and clock
    double matrix_fraction = 1;      // achievable fraction of the matrix peak for large GEMMs
    double vector_flops = 0;         // non-matrix FLOP/s
    double hbm_bytes_per_s = 0;      // sustained (achievable fraction applied)
    double ridge_intensity = 0;      // FLOP/byte where the roofs meet
    model::Mapping mapping;
    bool feasible = false;
    std::string infeasible_reason;
    std::vector<RooflineOp> ops;
};

// Evaluates the design (resolving parallelism: auto like the sweep did) and places its ops.
Roofline roofline(const spec::DesignSpec& design);

}  // namespace chipdse::report
