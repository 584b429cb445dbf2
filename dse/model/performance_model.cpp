#include "dse/model/performance_model.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "dse/model/activity.h"
#include "dse/model/collectives.h"
#include "dse/model/compute_model.h"
#include "dse/model/memory_model.h"
#include "dse/model/transformer_ops.h"
#include "dse/units/unit_parser.h"

namespace chipdse::model {
namespace {

const char* recompute_name(spec::Recompute r) {
    switch (r) {
        case spec::Recompute::kNone: return "none";
        case spec::Recompute::kSelective: return "selective";
        case spec::Recompute::kFull: return "full";
    }
    return "?";
}
const char* schedule_name(spec::PipelineSchedule s) {
    switch (s) {
        case spec::PipelineSchedule::kGpipe: return "gpipe";
        case spec::PipelineSchedule::k1f1b: return "1f1b";
        case spec::PipelineSchedule::kInterleaved: return "interleaved";
    }
    return "?";
}

std::string i2s(std::int64_t v) { return std::to_string(v); }

// Time split of a set of ops by what bounds them.
struct PassTime {
    double compute = 0, memory = 0, comm = 0;
    Activity work;  // what the chip did in this time
    double total() const { return compute + memory + comm; }
    PassTime& operator+=(const PassTime& o) {
        compute += o.compute;
        memory += o.memory;
        comm += o.comm;
        work += o.work;
        return *this;
    }
    PassTime scaled(double k) const { return PassTime{compute * k, memory * k, comm * k, work.scaled(k)}; }
    void add_comm(double seconds, const CollectiveModel::Traffic& t, double times = 1.0) {
        comm += seconds * times;
        work.scale_up_bytes += t.scale_up * times;
        work.scale_out_bytes += t.scale_out * times;
    }
};

PassTime time_ops(const ComputeModel& cm, const std::vector<Op>& ops) {
    PassTime t;
    for (const auto& op : ops) {
        auto ot = cm.op_time(op);
        (ot.compute_bound ? t.compute : t.memory) += ot.seconds;
        if (op.kind == OpKind::kElementwise) t.work.vector_flops += op.flops;
        else t.work.matrix_macs += op.flops / 2;
        t.work.hbm_bytes += op.bytes;
    }
    return t;
}

// Backward of an op costs two forward-sized passes (input and weight gradients); a fused
// attention kernel also recomputes its scores (FlashAttention-2: about 2.5x forward).
std::vector<Op> backward_ops(const std::vector<Op>& fwd) {
    std::vector<Op> b;
    b.reserve(fwd.size());
    for (Op op : fwd) {
        double k = op.kind == OpKind::kAttention ? 2.5 : 2.0;
        op.flops *= k;
        op.bytes *= 2.0;
        b.push_back(op);
    }
    return b;
}

double sum_flops(const std::vector<Op>& ops) {
    double f = 0;
    for (const auto& o : ops)
        if (o.kind != OpKind::kElementwise) f += o.flops;
    return f;
}

}  // namespace

EvalResult evaluate_performance(const spec::DesignSpec& design, Activity* activity, const Characteriser* characteriser) {
    if (!design.chip || !design.system || !design.model || !design.training)
        throw std::logic_error("evaluate needs chip, system, model and training sections");
    const spec::ChipSpec& chip = *design.chip;
    const spec::SystemSpec& sys = *design.system;
    const spec::ModelSpec& model = *design.model;
    const spec::TrainingSpec& train = *design.training;
    const spec::ParallelismSpec par = design.parallelism.value_or(spec::ParallelismSpec{});

    EvalResult r;
    const ModelDims d = model_dims(model);
    r.params = d.total_params(model.tied_embeddings);
    r.active_params = d.active_params(model.tied_embeddings);

    // ---- the mapping and its validity
    Mapping& mp = r.mapping;
    mp.tp = par.tp;
    mp.pp = par.pp;
    mp.cp = par.cp;
    mp.ep = par.ep;
    mp.zero = par.zero;
    mp.microbatch = par.microbatch;
    mp.virtual_stages = par.schedule == spec::PipelineSchedule::kInterleaved ? par.virtual_stages : 1;
    mp.recompute = recompute_name(par.recompute);
    mp.schedule = schedule_name(par.schedule);
    const std::int64_t model_par = mp.tp * mp.pp * mp.cp;
    mp.dp = par.dp > 0 ? par.dp : (sys.chips % model_par == 0 ? sys.chips / model_par : 0);

    auto infeasible = [&](std::string why) {
        r.feasible = false;
        r.infeasible_reason = std::move(why);
        return r;
    };
    if (chip.matrix.macs_per_cycle[train.precision] <= 0)
        return infeasible("the chip has no " + std::string(spec::precision_name(train.precision)) + " matrix rate");
    if (model.heads % mp.tp != 0)
        return infeasible("tp " + i2s(mp.tp) + " does not divide the " + i2s(model.heads) + " attention heads");
    const std::int64_t kv = model.kv_heads > 0 ? model.kv_heads : model.heads;
    if (kv % mp.tp != 0 && mp.tp % kv != 0)
        return infeasible("tp " + i2s(mp.tp) + " and the " + i2s(kv) + " key/value heads do not divide one another");
    if (model.layers < mp.pp * mp.virtual_stages)
        return infeasible("pp x virtual_stages = " + i2s(mp.pp * mp.virtual_stages) + " exceeds the " +
                          i2s(model.layers) + " layers");
    if (model.seq_len % mp.cp != 0)
        return infeasible("cp " + i2s(mp.cp) + " does not divide seq_len " + i2s(model.seq_len));
    if (mp.dp <= 0 || mp.tp * mp.pp * mp.cp * mp.dp != sys.chips)
        return infeasible("tp x pp x cp x dp = " + i2s(mp.tp) + " x " + i2s(mp.pp) + " x " + i2s(mp.cp) + " x " +
                          (par.dp > 0 ? i2s(par.dp) : "(chips / tp pp cp)") + " does not equal the system's " +
                          i2s(sys.chips) + " chips");
    if (train.global_batch % (mp.dp * mp.microbatch) != 0)
        return infeasible("global_batch " + i2s(train.global_batch) + " is not a multiple of dp x microbatch = " +
                          i2s(mp.dp * mp.microbatch));
    mp.microbatches = train.global_batch / (mp.dp * mp.microbatch);
    if (mp.virtual_stages > 1 && mp.microbatches % mp.pp != 0)
        return infeasible("the interleaved schedule needs micro-batches (" + i2s(mp.microbatches) +
                          ") to be a multiple of pp (" + i2s(mp.pp) + ")");
    if (model.moe) {
        if (model.moe->experts % mp.ep != 0)
            return infeasible("ep " + i2s(mp.ep) + " does not divide the " + i2s(model.moe->experts) + " experts");
        if ((mp.dp * mp.cp) % mp.ep != 0)
            return infeasible("ep " + i2s(mp.ep) + " must divide dp x cp = " + i2s(mp.dp * mp.cp));
    } else if (mp.ep != 1) {
        return infeasible("ep " + i2s(mp.ep) + " needs a mixture-of-experts model");
    }

    // ---- ops and their times on this chip
    const double act_bytes = train.precision == spec::Precision::kFp32 ? 4.0 : 2.0;
    OpShape shape{mp.microbatch, mp.tp, mp.cp, mp.ep, par.sequence_parallel, train.flash_attention, act_bytes};
    const ComputeModel cm(chip, train.precision, characteriser);
    const CollectiveModel coll(sys, characteriser, &chip.links);
    const GroupPlacement tp_group{mp.tp, 1};
    const GroupPlacement cp_group{mp.cp, mp.tp};
    const GroupPlacement ep_group{mp.ep, mp.tp * mp.cp};
    const GroupPlacement dp_group{mp.dp * mp.cp, mp.tp};
    const GroupPlacement pp_group{mp.pp, mp.tp * mp.cp * mp.dp};
    const double tp_keep = 1.0 - par.tp_overlap;

    struct LayerCost {
        PassTime fwd, bwd, recompute;
        double fwd_flops = 0, recompute_flops = 0;
    };
    auto layer_cost = [&](bool moe) {
        LayerOps ops = layer_ops(d, shape, moe);
        LayerCost c;
        c.fwd = time_ops(cm, ops.forward);
        c.bwd = time_ops(cm, backward_ops(ops.forward));
        // TP: two all-reduces per pass (or reduce-scatter + all-gather with sequence parallelism);
        // the exposed fraction costs time, all of it costs link energy
        PassTime comm;
        const double half = ops.tp_comm_bytes_fwd / 2;
        if (par.sequence_parallel) {
            comm.add_comm(coll.time(Collective::kReduceScatter, half, tp_group) * tp_keep,
                          coll.traffic(Collective::kReduceScatter, half, tp_group), 2.0);
            comm.add_comm(coll.time(Collective::kAllGather, half, tp_group) * tp_keep,
                          coll.traffic(Collective::kAllGather, half, tp_group), 2.0);
        } else {
            comm.add_comm(coll.time(Collective::kAllReduce, half, tp_group) * tp_keep,
                          coll.traffic(Collective::kAllReduce, half, tp_group), 2.0);
        }
        comm.add_comm(coll.time(Collective::kAllToAll, ops.a2a_bytes_fwd, ep_group),
                      coll.traffic(Collective::kAllToAll, ops.a2a_bytes_fwd, ep_group));
        // context parallelism: keys and values of the other ranks' slices circulate (ring)
        PassTime cp_pass;
        if (mp.cp > 1) {
            const double kv_bytes = 2.0 * static_cast<double>(mp.microbatch) * d.seq * d.kv_dim / mp.tp * act_bytes;
            cp_pass.add_comm(coll.time(Collective::kAllGather, kv_bytes, cp_group),
                             coll.traffic(Collective::kAllGather, kv_bytes, cp_group));
        }
        c.fwd += comm;
        c.fwd += cp_pass;
        c.bwd += comm;
        c.bwd += cp_pass.scaled(2.0);
        c.fwd_flops = sum_flops(ops.forward);
        if (par.recompute == spec::Recompute::kFull) {
            c.recompute = c.fwd;
            c.recompute_flops = c.fwd_flops;
        } else if (par.recompute == spec::Recompute::kSelective) {
            c.recompute = time_ops(cm, ops.attention_core);
            c.recompute_flops = sum_flops(ops.attention_core);
        }
        return c;
    };

    const double moe_frac = d.layers > 0 ? d.moe_layers / d.layers : 0.0;
    const LayerCost dense = layer_cost(false);
    const LayerCost moe = moe_frac > 0 ? layer_cost(true) : dense;
    // Stages may be uneven (Llama 3 puts 126 layers on 16 stages): the slowest stage holds
    // ceil(L / (pp v)) layers in each of its v chunks and sets the pace.
    const double layers_per_stage =
        std::ceil(d.layers / static_cast<double>(mp.pp * mp.virtual_stages)) * static_cast<double>(mp.virtual_stages);
    auto per_stage = [&](const PassTime& a, const PassTime& b) {
        return a.scaled(layers_per_stage * (1 - moe_frac)) += b.scaled(layers_per_stage * moe_frac);
    };
    PassTime body = per_stage(dense.fwd, moe.fwd);
    body += per_stage(dense.bwd, moe.bwd);
    body += per_stage(dense.recompute, moe.recompute);

    const auto emb = embedding_ops(d, shape);
    const auto logit = logits_ops(d, shape);
    PassTime first = time_ops(cm, emb);
    first += time_ops(cm, backward_ops(emb));
    PassTime last = time_ops(cm, logit);
    last += time_ops(cm, backward_ops(logit));
    // pipeline sends: activations forward, gradients backward, per micro-batch (blocking)
    const double boundary_bytes = static_cast<double>(mp.microbatch) * d.seq / mp.cp * d.hidden * act_bytes /
                                  (par.sequence_parallel ? mp.tp : 1);
    PassTime p2p;
    if (mp.pp > 1)
        p2p.add_comm(coll.time(Collective::kSendRecv, boundary_bytes, pp_group),
                     coll.traffic(Collective::kSendRecv, boundary_bytes, pp_group),
                     2.0 * static_cast<double>(mp.virtual_stages));

    PassTime stage_first = body, stage_last = body;
    stage_first += first;
    stage_last += last;
    if (mp.pp == 1) {
        stage_first += last;
        stage_last = stage_first;
    }
    const PassTime& bottleneck = stage_first.total() >= stage_last.total() ? stage_first : stage_last;
    PassTime per_mb = bottleneck;
    per_mb += p2p;

    const double m = static_cast<double>(mp.microbatches);
    const double p = static_cast<double>(mp.pp);
    const double v = static_cast<double>(mp.virtual_stages);
    const double bubble = (p - 1) / v * per_mb.total();

    // ---- data-parallel gradient synchronisation and the optimizer
    double params_stage = 0;
    {
        const double layer_params =
            d.attn_params_per_layer() / mp.tp + 4 * d.hidden +
            (1 - moe_frac) * d.dense_ffn_params_per_layer() / mp.tp +
            moe_frac * ((d.experts / mp.ep + d.shared) * d.expert_params() / mp.tp + d.hidden * d.experts);
        params_stage = layer_params * layers_per_stage;
        const double emb_params = d.embedding_params() / mp.tp;
        params_stage += mp.pp == 1 ? emb_params * (model.tied_embeddings ? 1 : 2) : emb_params;
    }
    const double grad_bytes = params_stage * (train.fp32_master_weights ? 4.0 : act_bytes);
    const double weight_bytes = params_stage * act_bytes;
    double dp_time = 0;
    PassTime dp;
    auto dp_collective = [&](Collective c, double bytes, double times) {
        dp.add_comm(coll.time(c, bytes, dp_group), coll.traffic(c, bytes, dp_group), times);
    };
    if (mp.zero == 0) {
        dp_collective(Collective::kAllReduce, grad_bytes, 1.0);
    } else {
        dp_collective(Collective::kReduceScatter, grad_bytes, 1.0);
        // ZeRO-3 gathers the weights again before forward and backward
        dp_collective(Collective::kAllGather, weight_bytes, mp.zero >= 3 ? 3.0 : 1.0);
    }
    dp_time = dp.comm;
    const double dp_exposed = dp_time * (1.0 - par.dp_overlap);
    const double opt_bytes_per_param = train.optimizer == spec::Optimizer::kAdam ? 30.0 : 14.0;
    const double opt_params = params_stage / (mp.zero >= 1 ? static_cast<double>(mp.dp * mp.cp) : 1.0);
    const double optimizer = opt_params * opt_bytes_per_param / cm.hbm_bytes_per_s();

    // ---- step time and its breakdown (sums exactly to the step time)
    TimeBreakdown& tb = r.time;
    tb.compute_s = m * per_mb.compute;
    tb.memory_s = m * per_mb.memory;
    tb.tp_comm_s = m * per_mb.comm;
    tb.pp_bubble_s = bubble;
    tb.dp_comm_s = dp_exposed;
    tb.optimizer_s = optimizer;
    r.step_time_s = tb.total();

    // ---- FLOPs and utilisation
    const double tokens_per_step = static_cast<double>(train.global_batch) * d.seq;
    const double untied_input_emb = model.tied_embeddings ? 0.0 : d.embedding_params();
    const double model_flops_per_token =
        6.0 * (r.active_params - untied_input_emb) + 12.0 * d.layers * d.q_dim * d.seq;
    r.model_flops_per_step = model_flops_per_token * tokens_per_step;
    const double tokens_per_mb_rank = static_cast<double>(mp.microbatch) * d.seq / mp.cp;
    const double recompute_flops_per_token =
        ((1 - moe_frac) * dense.recompute_flops + moe_frac * moe.recompute_flops) * d.layers /
        tokens_per_mb_rank * static_cast<double>(mp.tp);
    r.hardware_flops_per_step = r.model_flops_per_step + recompute_flops_per_token * tokens_per_step;
    const double chips = static_cast<double>(sys.chips);
    r.tokens_per_s = tokens_per_step / r.step_time_s;
    r.mfu = r.model_flops_per_step / (chips * cm.peak_flops() * r.step_time_s);
    r.hfu = r.hardware_flops_per_step / (chips * cm.peak_flops() * r.step_time_s);
    r.achieved_flops_per_chip = r.hardware_flops_per_step / (chips * r.step_time_s);
    r.training_flops = model_flops_per_token * train.tokens;
    const double k_moe = r.active_params > 0 ? r.params / r.active_params : 1.0;
    r.seed_flops_120p2 = 120.0 * r.params * r.params / k_moe;
    r.time_to_train_s = train.tokens / r.tokens_per_s;

    if (activity) {
        *activity = per_mb.work.scaled(m);
        *activity += dp.work;
        activity->hbm_bytes += opt_params * opt_bytes_per_param;
    }

    // ---- memory
    MemoryInputs mi{d, model, train, par, mp, params_stage, act_bytes};
    r.memory = memory_per_chip(mi);
    r.memory_per_chip_bytes = r.memory.total();
    r.memory_capacity_bytes = units::bytes(chip.hbm_capacity());
    r.feasible = true;
    if (r.memory_per_chip_bytes > r.memory_capacity_bytes) {
        r.feasible = false;
        r.infeasible_reason = "needs " + units::format_value(r.memory_per_chip_bytes * 8, units::dims::kInfo, 4) +
                              " per chip (weights " + units::format_value(r.memory.weights_bytes * 8, units::dims::kInfo, 4) +
                              ", gradients " + units::format_value(r.memory.gradients_bytes * 8, units::dims::kInfo, 4) +
                              ", optimizer " + units::format_value(r.memory.optimizer_bytes * 8, units::dims::kInfo, 4) +
                              ", activations " + units::format_value(r.memory.activations_bytes * 8, units::dims::kInfo, 4) +
                              ") but the chip has " + units::format_value(r.memory_capacity_bytes * 8, units::dims::kInfo, 4);
    }
    return r;
}


}  // namespace chipdse::model
