// Parameter counts and FLOPs against published figures and closed forms from the papers.
#include <catch2/catch.hpp>

#include "design_fixture.h"
#include "dse/model/training_model.h"
#include "dse/model/transformer_ops.h"
#include "dse/spec/spec_schemas.h"

using chipdse::model::model_dims;
using chipdse::test::design_from_yaml;

namespace {
chipdse::spec::ModelSpec model_of(const std::string& yaml) { return *design_from_yaml(yaml).model; }
}  // namespace

TEST_CASE("parameter counts match published model sizes", "[model][params]") {
    struct Case {
        const char* yaml;
        bool tied;
        double published_total;
        double published_active;
        double tol;
    };
    // Sources: GPT-3 paper Table 2.1 (175.0B); Llama 2 70B: 68,976,648,192 (HF checkpoint);
    // Llama 3 8B: 8,030,261,248 (HF checkpoint); Mixtral 8x7B: 46.7B total, 12.9B active
    // (Mistral AI); Megatron SC21 Table 1 (1.7B, 18.4B, 145.6B, 1008B).
    const Case cases[] = {
        {"model: {name: gpt3, layers: 96, hidden: 12288, heads: 96, vocab: 50257, seq_len: 2048, tied_embeddings: true}",
         true, 175.0e9, 175.0e9, 0.01},
        {"model: {name: llama2-70b, layers: 80, hidden: 8192, heads: 64, kv_heads: 8, ffn_hidden: 28672, "
         "activation: swiglu, norm: rmsnorm, vocab: 32000, seq_len: 4096}",
         false, 68.976648192e9, 68.976648192e9, 0.005},
        {"model: {name: llama3-8b, layers: 32, hidden: 4096, heads: 32, kv_heads: 8, ffn_hidden: 14336, "
         "activation: swiglu, norm: rmsnorm, vocab: 128256, seq_len: 8192}",
         false, 8.030261248e9, 8.030261248e9, 0.005},
        {"model: {name: mixtral, layers: 32, hidden: 4096, heads: 32, kv_heads: 8, ffn_hidden: 14336, "
         "activation: swiglu, vocab: 32000, seq_len: 4096, moe: {experts: 8, top_k: 2}}",
         false, 46.7e9, 12.9e9, 0.01},
    };
    for (const auto& c : cases) {
        auto m = model_of(c.yaml);
        auto d = model_dims(m);
        INFO(m.name);
        CHECK(d.total_params(c.tied) == Approx(c.published_total).epsilon(c.tol));
        CHECK(d.active_params(c.tied) == Approx(c.published_active).epsilon(c.tol));
    }
}

TEST_CASE("Megatron weak-scaling models match the paper's parameter formula", "[model][params]") {
    // Narayanan et al. SC21 eq. (2): P = 12 l h^2 (1 + 13/(12h) + (V + s)/(12 l h)), which the
    // paper's Table 1 rounds to 1.7B, 18.4B, 145.6B and 1008B (learned position embeddings
    // are the s term; we model rotary/learned positions as free, a 0.1% difference).
    struct Case {
        double l, h, a, published;
    };
    const Case cases[] = {{24, 2304, 24, 1.7e9}, {40, 6144, 48, 18.4e9}, {80, 12288, 96, 145.6e9}, {128, 25600, 160, 1008e9}};
    for (const auto& c : cases) {
        const double V = 51200, s = 2048;
        const double eq2 = 12 * c.l * c.h * c.h * (1 + 13 / (12 * c.h) + (V + s) / (12 * c.l * c.h));
        auto m = model_of("model: {name: m, layers: " + std::to_string(int(c.l)) + ", hidden: " + std::to_string(int(c.h)) +
                          ", heads: " + std::to_string(int(c.a)) + ", vocab: 51200, seq_len: 2048, tied_embeddings: true}");
        INFO(c.published);
        CHECK(model_dims(m).total_params(true) == Approx(eq2).epsilon(0.005));
        CHECK(eq2 == Approx(c.published).epsilon(0.035));
    }
}

TEST_CASE("hardware FLOPs with full recompute match Megatron's closed form", "[model][flops]") {
    // Narayanan et al. SC21 eq. (3): F = 96 B s l h^2 (1 + s/(6h) + V/(16 l h)) per iteration,
    // with full recomputation, for the GPT-3 175B configuration of the paper.
    auto d = design_from_yaml(std::string(chipdse::test::kA100System) + R"(
model: {name: gpt3, layers: 96, hidden: 12288, heads: 96, vocab: 51200, seq_len: 2048, tied_embeddings: true}
training: {tokens: 300e9, global_batch: 1536, flash_attention: false}
parallelism: {tp: 8, pp: 8, recompute: full}
)");
    auto r = chipdse::model::evaluate(d);
    REQUIRE(r.feasible);
    const double B = 1536, s = 2048, l = 96, h = 12288, V = 51200;
    const double megatron = 96 * B * s * l * h * h * (1 + s / (6 * h) + V / (16 * l * h));
    CHECK(r.hardware_flops_per_step == Approx(megatron).epsilon(0.01));
    // and model FLOPs without recompute are 3/4 of the layer part: 72 B s l h^2 (1 + s/(6h)) + 6 B s V h
    const double model_flops = 72 * B * s * l * h * h * (1 + s / (6 * h)) + 6 * B * s * V * h;
    CHECK(r.model_flops_per_step == Approx(model_flops).epsilon(0.01));
}

TEST_CASE("training FLOPs follow 6 N D and the seed's 120 P^2", "[model][flops]") {
    // Chinchilla 70B on 1.4T tokens: 6 N D = 5.88e23 (Hoffmann et al. 2022 report 5.76e23).
    auto d = design_from_yaml(std::string(chipdse::test::kA100System) + R"(
model: {name: chinchilla, layers: 80, hidden: 8192, heads: 64, ffn_hidden: 32768, norm: rmsnorm, vocab: 32000,
        seq_len: 2048, tied_embeddings: true}
training: {tokens: 1.4e12, global_batch: 1536}
parallelism: {tp: 8, pp: 4, recompute: selective}
)");
    auto r = chipdse::model::evaluate(d);
    const double six_nd = 6 * r.params * 1.4e12;
    // attention adds 12 l h s per token: 12*80*8192*2048/ (6*70e9) ~ 3.8%
    CHECK(r.training_flops == Approx(six_nd * (1 + 12.0 * 80 * 8192 * 2048 / (6 * r.params))).epsilon(0.02));
    CHECK(r.training_flops == Approx(5.76e23).epsilon(0.08));
    // seed form: at 20 tokens per parameter C = 6 P (20 P) = 120 P^2
    CHECK(r.seed_flops_120p2 == Approx(120 * r.params * r.params));
}
