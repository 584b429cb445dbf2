#include "dse/spec/spec_schemas.h"

namespace chipdse::spec {
namespace {

using config::defaults_to;
using config::ObjectSchema;
using config::Range;
using config::required;

std::vector<std::pair<std::string, Precision>> precision_names() {
    std::vector<std::pair<std::string, Precision>> v;
    for (Precision p : kAllPrecisions) v.emplace_back(std::string(precision_name(p)), p);
    return v;
}

const ObjectSchema<MoeSpec>& moe_schema() {
    static const ObjectSchema<MoeSpec> s = [] {
        ObjectSchema<MoeSpec> o("moe");
        o.count("experts", &MoeSpec::experts, "routed experts per MoE layer", required())
            .count("top_k", &MoeSpec::top_k, "experts each token is routed to", required())
            .number("capacity_factor", &MoeSpec::capacity_factor, "expert buffer size / even share of tokens",
                    defaults_to("1.0"), Range::at_least(1.0))
            .count("shared_experts", &MoeSpec::shared_experts, "always-active experts", defaults_to("0"),
                   Range::non_negative())
            .count("expert_ffn_hidden", &MoeSpec::expert_ffn_hidden, "FFN width of one expert (0: model.ffn_hidden)",
                   defaults_to("0"), Range::non_negative())
            .count("first_dense_layers", &MoeSpec::first_dense_layers, "leading layers with a dense FFN",
                   defaults_to("0"), Range::non_negative())
            .count("layer_interval", &MoeSpec::layer_interval, "every n-th remaining layer is MoE", defaults_to("1"))
            .check([](const MoeSpec& m, const config::ConfigNode* node, const std::string& path, config::BindContext& ctx) {
                if (m.top_k > m.experts)
                    ctx.diag.error(config::key_loc(node, "top_k"), path + ".top_k",
                                   "top_k cannot exceed the number of experts", std::to_string(m.top_k),
                                   "<= experts (" + std::to_string(m.experts) + ")");
            });
        return o;
    }();
    return s;
}

}  // namespace

const ObjectSchema<ModelSpec>& model_schema() {
    static const ObjectSchema<ModelSpec> s = [] {
        ObjectSchema<ModelSpec> o("model");
        auto nn = Range::non_negative();
        o.text("name", &ModelSpec::name, "display name", required())
            .count("layers", &ModelSpec::layers, "transformer blocks", required())
            .count("hidden", &ModelSpec::hidden, "model width d_model", required())
            .count("heads", &ModelSpec::heads, "attention (query) heads", required())
            .count("kv_heads", &ModelSpec::kv_heads, "key/value heads (0: same as heads; 1: MQA)", defaults_to("0"), nn)
            .count("head_dim", &ModelSpec::head_dim, "width of one head (0: hidden / heads)", defaults_to("0"), nn)
            .count("ffn_hidden", &ModelSpec::ffn_hidden, "FFN inner width (0: 4 x hidden)", defaults_to("0"), nn)
            .choice("activation", &ModelSpec::activation,
                    {{"gelu", Activation::kGelu}, {"swiglu", Activation::kSwiglu}, {"relu", Activation::kRelu}},
                    "FFN activation (swiglu has three weight matrices)", defaults_to("gelu"))
            .choice("norm", &ModelSpec::norm, {{"layernorm", Norm::kLayerNorm}, {"rmsnorm", Norm::kRmsNorm}},
                    "normalisation", defaults_to("layernorm"))
            .count("vocab", &ModelSpec::vocab, "vocabulary size", required())
            .count("seq_len", &ModelSpec::seq_len, "training sequence length", required())
            .flag("tied_embeddings", &ModelSpec::tied_embeddings, "input and output embeddings share weights", false)
            .number("params", &ModelSpec::params, "stated parameter count, cross-checked (0: not stated)",
                    defaults_to("0"), nn)
            .optional_object("moe", &ModelSpec::moe, moe_schema(), "mixture of experts (absent: dense)")
            .check([](const ModelSpec& m, const config::ConfigNode* node, const std::string& path,
                      config::BindContext& ctx) {
                auto loc = node ? node->loc() : config::SourceLoc{};
                if (m.head_dim == 0 && m.heads > 0 && m.hidden % m.heads != 0)
                    ctx.diag.error(config::key_loc(node, "heads"), path + ".heads", "hidden must be divisible by heads when head_dim is not given",
                                   std::to_string(m.heads) + " heads for hidden " + std::to_string(m.hidden),
                                   "a divisor of hidden, or head_dim");
                if (m.kv_heads > 0 && m.heads % m.kv_heads != 0)
                    ctx.diag.error(config::key_loc(node, "kv_heads"), path + ".kv_heads", "heads must be a multiple of kv_heads",
                                   std::to_string(m.kv_heads), "a divisor of heads (" + std::to_string(m.heads) + ")");
            });
        return o;
    }();
    return s;
}

const ObjectSchema<TrainingSpec>& training_schema() {
    static const ObjectSchema<TrainingSpec> s = [] {
        ObjectSchema<TrainingSpec> o("training");
        o.number("tokens", &TrainingSpec::tokens, "tokens to train on (e.g. 300e9)", required())
            .count("global_batch", &TrainingSpec::global_batch, "sequences per optimizer step", required())
            .choice("precision", &TrainingSpec::precision, precision_names(), "matrix-math format",
                    defaults_to("bf16"))
            .choice("optimizer", &TrainingSpec::optimizer,
                    {{"adam", Optimizer::kAdam}, {"sgd", Optimizer::kSgd}}, "optimizer (adam keeps two moments)",
                    defaults_to("adam"))
            .flag("fp32_master_weights", &TrainingSpec::fp32_master_weights,
                  "keep an fp32 copy of the weights (mixed precision)", true)
            .flag("flash_attention", &TrainingSpec::flash_attention,
                  "fused attention that never stores the score matrix", true);
        return o;
    }();
    return s;
}

const ObjectSchema<ParallelismSpec>& parallelism_schema() {
    using P = ParallelismSpec;
    static const ObjectSchema<P> s = [] {
        ObjectSchema<P> o("parallelism");
        auto nn = Range::non_negative();
        o.choice("search", &P::search, {{"fixed", MappingSearch::kFixed}, {"auto", MappingSearch::kAuto}},
                 "fixed: use the degrees below; auto: search valid mappings", defaults_to("fixed"))
            .count("tp", &P::tp, "tensor-parallel degree", defaults_to("1"))
            .count("pp", &P::pp, "pipeline-parallel stages", defaults_to("1"))
            .count("dp", &P::dp, "data-parallel degree (0: chips / (tp x pp x cp))", defaults_to("0"), nn)
            .count("cp", &P::cp, "context-parallel degree", defaults_to("1"))
            .count("ep", &P::ep, "expert-parallel degree", defaults_to("1"))
            .count("zero", &P::zero, "ZeRO stage (0 none, 1 optimizer, 2 +gradients, 3 +weights / FSDP)",
                   defaults_to("1"), Range::between(0, 3))
            .count("microbatch", &P::microbatch, "sequences per micro-batch", defaults_to("1"))
            .choice("recompute", &P::recompute,
                    {{"none", Recompute::kNone}, {"selective", Recompute::kSelective}, {"full", Recompute::kFull}},
                    "activation recomputation", defaults_to("none"))
            .choice("schedule", &P::schedule,
                    {{"gpipe", PipelineSchedule::kGpipe}, {"1f1b", PipelineSchedule::k1f1b},
                     {"interleaved", PipelineSchedule::kInterleaved}},
                    "pipeline schedule", defaults_to("1f1b"))
            .count("virtual_stages", &P::virtual_stages, "model chunks per stage (interleaved schedule)",
                   defaults_to("1"))
            .flag("sequence_parallel", &P::sequence_parallel, "Megatron sequence parallelism inside TP groups", true)
            .number("dp_overlap", &P::dp_overlap, "fraction of gradient communication hidden behind backward compute",
                    defaults_to("0"), Range::between(0.0, 1.0))
            .number("tp_overlap", &P::tp_overlap, "fraction of tensor-parallel communication hidden behind GEMMs",
                    defaults_to("0"), Range::between(0.0, 1.0))
            .shorthand("'auto'", [](const config::ConfigNode& n, P& out, const std::string& path,
                                    config::BindContext& ctx) {
                if (n.text() == "auto") {
                    out.search = MappingSearch::kAuto;
                    return true;
                }
                ctx.diag.error(n.loc(), path, "wrong type", n.describe(), "a map of degrees, or 'auto'");
                return false;
            });
        return o;
    }();
    return s;
}

const ObjectSchema<DesignSpec>& design_schema() {
    static const ObjectSchema<DesignSpec> s = [] {
        ObjectSchema<DesignSpec> o("design");
        o.optional_object("chip", &DesignSpec::chip, chip_schema(), "the accelerator")
            .optional_object("system", &DesignSpec::system, system_schema(), "the machine built from the chips")
            .optional_object("model", &DesignSpec::model, model_schema(), "the transformer to train")
            .optional_object("training", &DesignSpec::training, training_schema(), "the training run")
            .optional_object("parallelism", &DesignSpec::parallelism, parallelism_schema(), "the parallel mapping")
            .optional_object("hbm", &DesignSpec::hbm, hbm_schema(), "a memory alone, for the cycle-level HBM model")
            .optional_object("link", &DesignSpec::link, link_schema(), "a link alone, for the cycle-level link model");
        return o;
    }();
    return s;
}

}  // namespace chipdse::spec
