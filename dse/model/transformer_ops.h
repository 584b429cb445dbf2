#pragma once
// The op graph of one transformer training step, per tensor-parallel rank and micro-batch:
// every GEMM with its M, N, K, the attention core, and the memory-bound ops (norms,
// softmax, dropout, activations, residuals), each with FLOPs and bytes moved.
// Equations and sources: docs/analytical_model.md.
#include <cstdint>
#include <string>
#include <vector>

#include "dse/spec/workload_spec.h"

namespace chipdse::model {

enum class OpKind { kGemm, kAttention, kElementwise };

struct Op {
    const char* name;
    OpKind kind;
    double m = 0, n = 0, k = 0;  // GEMM shape (per instance)
    double count = 1;            // independent instances (heads x sequences, experts)
    double flops = 0;            // total over instances
    double bytes = 0;            // HBM traffic, total over instances
};

// Ops of one pass (forward; backward is derived) of one layer for one micro-batch.
struct LayerOps {
    std::vector<Op> forward;
    std::vector<Op> attention_core;  // the part selective recompute re-runs
    double tp_comm_bytes_fwd = 0;    // activation bytes reduced across TP per forward pass
    double a2a_bytes_fwd = 0;        // expert-parallel all-to-all bytes per forward pass (dispatch + combine)
};

struct OpShape {
    std::int64_t microbatch = 1;  // sequences per micro-batch
    std::int64_t tp = 1, cp = 1, ep = 1;
    bool sequence_parallel = true;
    bool flash_attention = true;
    double act_bytes = 2;  // bytes per activation element
};

// Derived architecture numbers used throughout the model.
struct ModelDims {
    double layers, hidden, heads, kv_heads, head_dim, q_dim, kv_dim, ffn, vocab, seq;
    bool gated;  // swiglu: three FFN matrices
    double moe_layers = 0, experts = 0, top_k = 0, shared = 0, expert_ffn = 0, capacity = 1;

    double attn_params_per_layer() const;
    double dense_ffn_params_per_layer() const;
    double expert_params() const;  // one routed expert
    double embedding_params() const { return vocab * hidden; }
    double total_params(bool tied) const;
    double active_params(bool tied) const;  // per token (MoE: top_k + shared experts)
};

ModelDims model_dims(const spec::ModelSpec& m);

// Ops for a dense layer (is_moe false) or a MoE layer.
LayerOps layer_ops(const ModelDims& d, const OpShape& s, bool is_moe);
// Input embedding (first stage) and logits + loss (last stage), per micro-batch forward.
std::vector<Op> embedding_ops(const ModelDims& d, const OpShape& s);
std::vector<Op> logits_ops(const ModelDims& d, const OpShape& s);

}  // namespace chipdse::model
