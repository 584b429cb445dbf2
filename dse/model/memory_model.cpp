#include "dse/model/memory_model.h"

#include <algorithm>
#include <cmath>

namespace chipdse::model {

MemoryBreakdown memory_per_chip(const MemoryInputs& in) {
    MemoryBreakdown m;
    const auto& d = in.dims;
    const auto& mp = in.mapping;
    const double t = static_cast<double>(mp.tp), dp = static_cast<double>(mp.dp * mp.cp);
    const double p = in.params_per_chip;
    const double wbytes = spec::precision_bytes(in.training.precision == spec::Precision::kFp8
                                                    ? spec::Precision::kBf16
                                                    : in.training.precision);
    // Mixed precision keeps gradients in fp32 (Megatron's main_grad) and an fp32 master copy.
    const double gbytes = in.training.fp32_master_weights ? 4.0 : wbytes;
    const double obytes = (in.training.optimizer == spec::Optimizer::kAdam ? 8.0 : 0.0) +
                          (in.training.fp32_master_weights ? 4.0 : 0.0);
    m.weights_bytes = p * wbytes / (mp.zero >= 3 ? dp : 1.0);
    m.gradients_bytes = p * gbytes / (mp.zero >= 2 ? dp : 1.0);
    m.optimizer_bytes = p * obytes / (mp.zero >= 1 ? dp : 1.0);

    // Activations per layer per micro-batch (Korthikanti et al. 2022, eq. 1-5), in bytes:
    //   s b h (10 + 24/t) + 5 a s^2 b / t        tensor parallel
    //   s b h 34 / t + 5 a s^2 b / t             + sequence parallel
    // the 5 a s^2 b / t term vanishes with selective recompute or fused attention; full
    // recompute keeps only each layer's input (2 s b h / t with sequence parallelism).
    const double s = d.seq / static_cast<double>(mp.cp), b = static_cast<double>(mp.microbatch), h = d.hidden;
    const double a = d.heads;
    const double scale = in.act_bytes / 2.0;
    const double ffn_ratio = (d.gated ? 1.5 : 1.0) * d.ffn / (4.0 * h);  // the constant assumes a 4h GELU FFN
    const double linear = (in.par.sequence_parallel ? 34.0 / t : 10.0 + 24.0 / t) * (0.5 + 0.5 * ffn_ratio);
    const double quadratic = 5.0 * a * s / h / t;
    double per_layer = 0;
    switch (in.par.recompute) {
        case spec::Recompute::kNone:
            per_layer = s * b * h * (linear + (in.training.flash_attention ? 0.0 : quadratic));
            break;
        case spec::Recompute::kSelective: per_layer = s * b * h * linear; break;
        case spec::Recompute::kFull: per_layer = 2.0 * s * b * h / (in.par.sequence_parallel ? t : 1.0); break;
    }
    per_layer *= scale;
    const double layers_per_stage =
        std::ceil(d.layers / static_cast<double>(mp.pp * mp.virtual_stages)) * static_cast<double>(mp.virtual_stages);
    // Micro-batches whose activations the first stage holds at the peak of the schedule.
    double in_flight = 1;
    if (mp.pp > 1) {
        if (in.par.schedule == spec::PipelineSchedule::kGpipe) in_flight = static_cast<double>(mp.microbatches);
        else {
            in_flight = static_cast<double>(mp.pp);
            if (in.par.schedule == spec::PipelineSchedule::kInterleaved)
                in_flight *= 1.0 + (static_cast<double>(mp.pp) - 1) / (static_cast<double>(mp.pp * mp.virtual_stages));
        }
        in_flight = std::min(in_flight, static_cast<double>(mp.microbatches) * (mp.virtual_stages > 1 ? 2.0 : 1.0));
    }
    m.activations_bytes = per_layer * layers_per_stage * in_flight;
    if (in.par.recompute == spec::Recompute::kFull) {
        // one layer's full activations exist while it is recomputed
        m.activations_bytes += s * b * h * (linear + (in.training.flash_attention ? 0.0 : quadratic)) * scale;
    }
    // fp32 logits and their gradient on the last stage (vocabulary sharded over TP)
    m.other_bytes = 2.0 * s * b * d.vocab / t * 4.0;
    return m;
}

}  // namespace chipdse::model
