// `parallelism: auto`: enumerate the valid mappings of a model onto a system and keep the
// fastest that fits in memory. Degrees are restricted to what real frameworks run: tensor
// parallelism inside one scale-up domain, pipeline stages that divide the layers (or powers of two), micro-batches
// that divide the per-replica batch.
#include <algorithm>
#include <vector>

#include "dse/model/training_model.h"

namespace chipdse::model {
namespace {

std::vector<std::int64_t> divisors(std::int64_t n, std::int64_t limit) {
    std::vector<std::int64_t> out;
    for (std::int64_t i = 1; i <= std::min(n, limit); ++i)
        if (n % i == 0) out.push_back(i);
    return out;
}

bool better(const EvalResult& a, const EvalResult& b) {
    if (a.feasible != b.feasible) return a.feasible;
    if (!a.feasible) {
        // a mapping that runs (but does not fit or is capped) says more than one that cannot run
        const bool ra = a.step_time_s > 0, rb = b.step_time_s > 0;
        if (ra != rb) return ra;
        return a.memory_per_chip_bytes < b.memory_per_chip_bytes;
    }
    if (a.tokens_per_s != b.tokens_per_s) return a.tokens_per_s > b.tokens_per_s;
    return a.memory_per_chip_bytes < b.memory_per_chip_bytes;
}

}  // namespace

EvalResult evaluate(const spec::DesignSpec& design, const Characteriser* characteriser) {
    spec::ParallelismSpec base = design.parallelism.value_or(spec::ParallelismSpec{});
    if (base.search != spec::MappingSearch::kAuto) return evaluate_fixed(design, characteriser);

    const auto& sys = *design.system;
    const auto& model = *design.model;
    spec::DesignSpec trial = design;
    trial.parallelism = base;
    auto& p = *trial.parallelism;
    p.search = spec::MappingSearch::kFixed;

    const std::int64_t domain = std::max<std::int64_t>(1, sys.scale_up.domain);
    EvalResult best;
    bool have = false;
    std::int64_t evaluated = 0;
    for (std::int64_t tp : divisors(model.heads, domain)) {
        if (sys.chips % tp != 0) continue;
        // stage counts that divide the layers, and powers of two (uneven stages, as Llama 3 ran)
        std::vector<std::int64_t> stages = divisors(model.layers, sys.chips / tp);
        for (std::int64_t p2 = 2; p2 <= std::min<std::int64_t>(model.layers, sys.chips / tp); p2 *= 2)
            if (std::find(stages.begin(), stages.end(), p2) == stages.end()) stages.push_back(p2);
        for (std::int64_t pp : stages) {
            if (sys.chips % (tp * pp) != 0) continue;
            for (std::int64_t cp : {1, 2, 4, 8}) {
                if (model.seq_len % cp != 0 || sys.chips % (tp * pp * cp) != 0) continue;
                if (cp > 1 && model.seq_len < 16384) continue;  // context parallelism pays only on long sequences
                const std::int64_t dp = sys.chips / (tp * pp * cp);
                if (design.training->global_batch % dp != 0) continue;
                const std::int64_t per_replica = design.training->global_batch / dp;
                for (std::int64_t mb : {1, 2, 4, 8}) {
                    if (per_replica % mb != 0) continue;
                    for (auto rc : {spec::Recompute::kNone, spec::Recompute::kSelective, spec::Recompute::kFull}) {
                        for (std::int64_t zero : {1, 3}) {
                            for (std::int64_t v : {1, 2}) {
                                if (v > 1 && (pp == 1 || model.layers < 2 * pp)) continue;
                                p.tp = tp;
                                p.pp = pp;
                                p.cp = cp;
                                p.dp = dp;
                                p.microbatch = mb;
                                p.recompute = rc;
                                p.zero = zero;
                                p.schedule = v > 1 ? spec::PipelineSchedule::kInterleaved : spec::PipelineSchedule::k1f1b;
                                p.virtual_stages = v;
                                EvalResult r = evaluate_fixed(trial, characteriser);
                                ++evaluated;
                                if (!have || better(r, best)) {
                                    best = r;
                                    have = true;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    if (!have) {
        best.feasible = false;
        best.infeasible_reason = "no valid mapping of the model onto " + std::to_string(sys.chips) + " chips";
    } else if (!best.feasible && best.memory_per_chip_bytes > best.memory_capacity_bytes && best.step_time_s > 0) {
        best.infeasible_reason = "no mapping fits in memory; the smallest footprint found: " + best.infeasible_reason;
    }  // otherwise the reason does not depend on the mapping (reticle, TDP, precision): pass it through
    (void)evaluated;
    return best;
}

}  // namespace chipdse::model
