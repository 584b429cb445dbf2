#include "dse/model/transformer_ops.h"

#include <algorithm>
#include <cmath>

namespace chipdse::model {

double ModelDims::attn_params_per_layer() const { return hidden * (q_dim + 2 * kv_dim) + q_dim * hidden; }
double ModelDims::dense_ffn_params_per_layer() const { return hidden * ffn * (gated ? 3 : 2); }
double ModelDims::expert_params() const { return hidden * expert_ffn * (gated ? 3 : 2); }

double ModelDims::total_params(bool tied) const {
    double dense_layers = layers - moe_layers;
    double per_layer_common = attn_params_per_layer() + 4 * hidden;  // + two norms (weight and bias)
    double p = layers * per_layer_common + dense_layers * dense_ffn_params_per_layer();
    p += moe_layers * ((experts + shared) * expert_params() + hidden * experts);
    p += embedding_params() * (tied ? 1 : 2);
    return p;
}

double ModelDims::active_params(bool tied) const {
    double dense_layers = layers - moe_layers;
    double p = layers * (attn_params_per_layer() + 4 * hidden) + dense_layers * dense_ffn_params_per_layer();
    p += moe_layers * ((top_k + shared) * expert_params() + hidden * experts);
    p += embedding_params() * (tied ? 1 : 2);
    return p;
}

ModelDims model_dims(const spec::ModelSpec& m) {
    ModelDims d{};
    d.layers = static_cast<double>(m.layers);
    d.hidden = static_cast<double>(m.hidden);
    d.heads = static_cast<double>(m.heads);
    d.kv_heads = static_cast<double>(m.kv_heads > 0 ? m.kv_heads : m.heads);
    d.head_dim = m.head_dim > 0 ? static_cast<double>(m.head_dim) : d.hidden / d.heads;
    d.q_dim = d.heads * d.head_dim;
    d.kv_dim = d.kv_heads * d.head_dim;
    d.ffn = m.ffn_hidden > 0 ? static_cast<double>(m.ffn_hidden) : 4 * d.hidden;
    d.vocab = static_cast<double>(m.vocab);
    d.seq = static_cast<double>(m.seq_len);
    d.gated = m.activation == spec::Activation::kSwiglu;
    if (m.moe) {
        const auto& e = *m.moe;
        double eligible = std::max<double>(0, static_cast<double>(m.layers - e.first_dense_layers));
        d.moe_layers = std::ceil(eligible / static_cast<double>(e.layer_interval));
        d.experts = static_cast<double>(e.experts);
        d.top_k = static_cast<double>(e.top_k);
        d.shared = static_cast<double>(e.shared_experts);
        d.expert_ffn = e.expert_ffn_hidden > 0 ? static_cast<double>(e.expert_ffn_hidden) : d.ffn;
        d.capacity = e.capacity_factor;
    }
    return d;
}

namespace {

Op gemm(const char* name, double m, double n, double k, double count, double bytes_per_el) {
    Op o{name, OpKind::kGemm, m, n, k, count, 0, 0};
    o.flops = 2.0 * m * n * k * count;
    o.bytes = (m * k + k * n + m * n) * count * bytes_per_el;
    return o;
}

Op elementwise(const char* name, double elements, double accesses, double bytes_per_el, double flops_per_el = 1) {
    Op o{name, OpKind::kElementwise, 0, 0, 0, 1, 0, 0};
    o.flops = elements * flops_per_el;
    o.bytes = elements * accesses * bytes_per_el;
    return o;
}

}  // namespace

LayerOps layer_ops(const ModelDims& d, const OpShape& s, bool is_moe) {
    LayerOps L;
    const double t = static_cast<double>(s.tp);
    const double b = static_cast<double>(s.microbatch);
    const double seq = d.seq / static_cast<double>(s.cp);  // local sequence slice
    const double tokens = b * seq;
    const double eb = s.act_bytes;
    // Norms, dropout and residuals run on the sequence shard under sequence parallelism,
    // and on the full activation (replicated in every TP rank) without it.
    const double row_elems = tokens * d.hidden / (s.sequence_parallel ? t : 1.0);
    const double heads_local = d.heads / t;

    auto& f = L.forward;
    f.push_back(elementwise("norm_attn", row_elems, 2.0, eb, 5));
    f.push_back(gemm("qkv_proj", tokens, (d.q_dim + 2 * d.kv_dim) / t, d.hidden, 1, eb));

    // Attention core: scores = Q K^T and out = P V per head and sequence. The sequence is
    // causal; a fused (flash) kernel skips the masked half, the unfused path computes all.
    const double kv_seq = d.seq;  // keys span the whole sequence (context parallel exchanges them)
    const double causal = s.flash_attention ? 0.5 : 1.0;
    Op scores = gemm("attn_scores", seq, kv_seq, d.head_dim, b * heads_local, eb);
    Op context = gemm("attn_context", seq, d.head_dim, kv_seq, b * heads_local, eb);
    scores.flops *= causal;
    context.flops *= causal;
    if (s.flash_attention) {
        // one fused kernel: reads Q, K, V and writes O; the score matrix stays on chip
        Op fused{"attn_flash", OpKind::kAttention, seq, kv_seq, d.head_dim, b * heads_local, 0, 0};
        fused.flops = scores.flops + context.flops;
        fused.bytes = tokens * (d.q_dim + 2 * d.kv_dim + d.q_dim) / t * eb;
        L.attention_core.push_back(fused);
    } else {
        const double score_elems = b * heads_local * seq * kv_seq;
        scores.bytes = tokens * (d.q_dim + d.kv_dim) / t * eb + score_elems * eb;
        context.bytes = score_elems * eb + tokens * (d.kv_dim + d.q_dim) / t * eb;
        L.attention_core.push_back(scores);
        // scale + mask + softmax fused (read, write), dropout on probabilities (read, write, 1-byte mask)
        L.attention_core.push_back(elementwise("attn_softmax", score_elems, 2.0, eb, 5));
        L.attention_core.push_back(elementwise("attn_dropout", score_elems, 2.0 + 1.0 / eb, eb, 1));
        L.attention_core.push_back(context);
    }
    for (const auto& op : L.attention_core) f.push_back(op);

    f.push_back(gemm("attn_out_proj", tokens, d.hidden, d.q_dim / t, 1, eb));
    // bias + dropout + residual add: read two inputs, write one, a 1-byte mask
    f.push_back(elementwise("attn_residual", row_elems, 3.0 + 1.0 / eb, eb, 2));
    f.push_back(elementwise("norm_ffn", row_elems, 2.0, eb, 5));

    if (is_moe) {
        const double ep = static_cast<double>(s.ep);
        f.push_back(gemm("moe_router", tokens, d.experts, d.hidden, 1, eb));
        // Routed tokens processed by this rank: its share of all (token, expert) pairs of its EP group.
        const double routed = tokens * d.top_k * d.capacity;
        const double experts_local = d.experts / ep;
        const double rows = routed / std::max(1.0, experts_local);
        const double width = d.expert_ffn / t;
        f.push_back(gemm("expert_ffn_in", rows, width * (d.gated ? 2 : 1), d.hidden, experts_local, eb));
        f.push_back(elementwise("expert_act", routed * width, d.gated ? 3.0 : 2.0, eb, 8));
        f.push_back(gemm("expert_ffn_out", rows, d.hidden, width, experts_local, eb));
        if (d.shared > 0) {
            f.push_back(gemm("shared_ffn_in", tokens, d.shared * width * (d.gated ? 2 : 1), d.hidden, 1, eb));
            f.push_back(gemm("shared_ffn_out", tokens, d.hidden, d.shared * width, 1, eb));
        }
        // dispatch and combine: every routed token's hidden vector leaves and comes back
        L.a2a_bytes_fwd = ep > 1 ? 2.0 * tokens * d.top_k * d.hidden * eb * (ep - 1) / ep : 0.0;
    } else {
        f.push_back(gemm("ffn_in", tokens, d.ffn * (d.gated ? 2 : 1) / t, d.hidden, 1, eb));
        f.push_back(elementwise("ffn_act", tokens * d.ffn / t, d.gated ? 3.0 : 2.0, eb, 8));
        f.push_back(gemm("ffn_out", tokens, d.hidden, d.ffn / t, 1, eb));
    }
    f.push_back(elementwise("ffn_residual", row_elems, 3.0 + 1.0 / eb, eb, 2));

    // Megatron TP: two all-reduces (or reduce-scatter + all-gather pairs) of the activations per pass.
    L.tp_comm_bytes_fwd = s.tp > 1 ? 2.0 * tokens * d.hidden * eb : 0.0;
    return L;
}

std::vector<Op> embedding_ops(const ModelDims& d, const OpShape& s) {
    const double tokens = static_cast<double>(s.microbatch) * d.seq / static_cast<double>(s.cp);
    return {elementwise("embedding", tokens * d.hidden, 2.0, s.act_bytes, 1)};
}

std::vector<Op> logits_ops(const ModelDims& d, const OpShape& s) {
    const double t = static_cast<double>(s.tp);
    const double tokens = static_cast<double>(s.microbatch) * d.seq / static_cast<double>(s.cp);
    std::vector<Op> ops;
    ops.push_back(elementwise("final_norm", tokens * d.hidden, 2.0, s.act_bytes, 5));
    ops.push_back(gemm("logits", tokens, d.vocab / t, d.hidden, 1, s.act_bytes));
    // softmax cross-entropy in fp32 over the vocabulary shard: read, exp, reduce, write
    ops.push_back(elementwise("cross_entropy", tokens * d.vocab / t, 3.0, 4.0, 6));
    return ops;
}

}  // namespace chipdse::model
