#pragma once
// What is trained and how: the transformer model, the training run, and the parallel mapping.
#include <cstdint>
#include <optional>
#include <string>

#include "dse/spec/precision.h"

namespace chipdse::spec {

enum class Activation { kGelu, kSwiglu, kRelu };
enum class Norm { kLayerNorm, kRmsNorm };

struct MoeSpec {
    std::int64_t experts = 8;
    std::int64_t top_k = 2;
    double capacity_factor = 1.0;
    std::int64_t shared_experts = 0;
    std::int64_t expert_ffn_hidden = 0;   // 0: same as model.ffn_hidden
    std::int64_t first_dense_layers = 0;  // leading layers with a dense FFN
    std::int64_t layer_interval = 1;      // every n-th layer after those is MoE
};

struct ModelSpec {
    std::string name;
    std::int64_t layers = 1;
    std::int64_t hidden = 1;
    std::int64_t heads = 1;
    std::int64_t kv_heads = 0;    // 0: same as heads (MHA)
    std::int64_t head_dim = 0;    // 0: hidden / heads
    std::int64_t ffn_hidden = 0;  // 0: 4 x hidden
    Activation activation = Activation::kGelu;
    Norm norm = Norm::kLayerNorm;
    std::int64_t vocab = 1;
    std::int64_t seq_len = 1;
    bool tied_embeddings = false;
    double params = 0;  // stated parameter count, for cross-checking; 0 = not stated
    std::optional<MoeSpec> moe;
};

enum class Optimizer { kAdam, kSgd };

struct TrainingSpec {
    double tokens = 0;                 // tokens to train on
    std::int64_t global_batch = 1;     // sequences per optimizer step
    Precision precision = Precision::kBf16;
    Optimizer optimizer = Optimizer::kAdam;
    bool fp32_master_weights = true;
    bool flash_attention = true;
};

enum class Recompute { kNone, kSelective, kFull };
enum class PipelineSchedule { kGpipe, k1f1b, kInterleaved };
enum class MappingSearch { kFixed, kAuto };

struct ParallelismSpec {
    MappingSearch search = MappingSearch::kFixed;
    std::int64_t tp = 1, pp = 1, dp = 0, cp = 1, ep = 1;  // dp 0: chips / (tp * pp * cp)
    std::int64_t zero = 1;
    std::int64_t microbatch = 1;
    Recompute recompute = Recompute::kNone;
    PipelineSchedule schedule = PipelineSchedule::k1f1b;
    std::int64_t virtual_stages = 1;
    bool sequence_parallel = true;
    double dp_overlap = 0.0;  // fraction of data-parallel gradient traffic hidden behind backward compute
    double tp_overlap = 0.0;  // fraction of tensor-parallel traffic hidden behind GEMMs
};

}  // namespace chipdse::spec
