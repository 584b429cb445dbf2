#include "dse/report/roofline.h"

#include <exception>

#include "dse/model/compute_model.h"
#include "dse/model/training_model.h"
#include "dse/model/transformer_ops.h"

namespace chipdse::report {
namespace {

const char* kind_name(model::OpKind k) {
    switch (k) {
        case model::OpKind::kGemm: return "gemm";
        case model::OpKind::kAttention: return "attention";
        case model::OpKind::kElementwise: return "elementwise";
    }
    return "?";
}

}  // namespace

Roofline roofline(const spec::DesignSpec& design) {
    Roofline out;
    if (!design.chip || !design.system || !design.model || !design.training) {
        out.error = "the design needs chip, system, model and training sections";
        return out;
    }
    model::EvalResult r;
    try {
        r = model::evaluate(design);
    } catch (const std::exception& e) {
        out.error = std::string("model error: ") + e.what();
        return out;
    }
    out.feasible = r.feasible;
    out.infeasible_reason = r.infeasible_reason;
    out.mapping = r.mapping;
    if (r.step_time_s <= 0) {
        out.error = "no step time: " + r.infeasible_reason;
        return out;
    }
    spec::ChipSpec chip = *design.chip;
    out.throttled = r.throttled;
    if (r.throttled && r.clock_hz > 0 && chip.clock.si() > 0) chip.clock = chip.clock * (r.clock_hz / chip.clock.si());
    out.clock_hz = chip.clock.si();
    const spec::Precision prec = design.training->precision;
    out.precision = std::string(spec::precision_name(prec));
    const model::ComputeModel cm(chip, prec);
    out.peak_flops = cm.peak_flops();
    out.matrix_fraction = chip.matrix.achievable_fraction;
    out.vector_flops = chip.vector.flops_per_cycle * chip.clock.si();
    out.hbm_bytes_per_s = cm.hbm_bytes_per_s();
    out.ridge_intensity = out.hbm_bytes_per_s > 0 ? out.peak_flops / out.hbm_bytes_per_s : 0;

    const spec::ParallelismSpec par = design.parallelism.value_or(spec::ParallelismSpec{});
    const model::ModelDims d = model::model_dims(*design.model);
    const double act_bytes = prec == spec::Precision::kFp32 ? 4.0 : 2.0;
    const model::OpShape shape{r.mapping.microbatch, r.mapping.tp, r.mapping.cp, r.mapping.ep,
                               par.sequence_parallel, design.training->flash_attention, act_bytes};
    const bool moe = d.moe_layers > 0 && d.moe_layers >= d.layers;  // all-MoE models show an MoE layer
    const model::LayerOps layer = model::layer_ops(d, shape, moe);
    std::vector<model::Op> ops = model::embedding_ops(d, shape);
    ops.insert(ops.end(), layer.forward.begin(), layer.forward.end());
    for (const auto& o : model::logits_ops(d, shape)) ops.push_back(o);
    for (const auto& op : ops) {
        if (op.flops <= 0 || op.bytes <= 0) continue;
        RooflineOp ro;
        ro.name = op.name;
        ro.kind = kind_name(op.kind);
        ro.flops = op.flops;
        ro.bytes = op.bytes;
        ro.intensity = op.flops / op.bytes;
        const auto t = cm.op_time(op);
        ro.seconds = t.seconds;
        ro.compute_bound = t.compute_bound;
        ro.attained_flops = t.seconds > 0 ? op.flops / t.seconds : 0;
        out.ops.push_back(std::move(ro));
    }
    out.ok = true;
    return out;
}

}  // namespace chipdse::report
