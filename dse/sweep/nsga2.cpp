#include "dse/sweep/nsga2.h"

#include <algorithm>
#include <limits>

#include "dse/sweep/pareto.h"
#include "dse/sweep/point_hash.h"
#include "dse/sweep/point_source.h"

namespace chipdse::sweep {
namespace {

// A small seeded generator with a fixed algorithm (std distributions differ between libraries).
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(splitmix64(seed ^ 0x6E5A2ull)) {}
    std::uint64_t next() { return splitmix64(m_state += 0x9E3779B97F4A7C15ull); }
    double uniform() { return unit_double(next()); }
    std::uint64_t below(std::uint64_t n) { return n <= 1 ? 0 : static_cast<std::uint64_t>(uniform() * static_cast<double>(n)) % n; }

private:
    std::uint64_t m_state;
};

void crowding(std::vector<Nsga2Individual>& pop, const std::vector<size_t>& front) {
    for (size_t i : front) pop[i].crowding = 0;
    if (front.empty()) return;
    const size_t m = pop[front[0]].fitness.cost.size();
    std::vector<size_t> order = front;
    for (size_t k = 0; k < m; ++k) {
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return pop[a].fitness.cost[k] < pop[b].fitness.cost[k]; });
        const double lo = pop[order.front()].fitness.cost[k], hi = pop[order.back()].fitness.cost[k];
        pop[order.front()].crowding = pop[order.back()].crowding = std::numeric_limits<double>::infinity();
        if (!(hi > lo) || std::isinf(hi) || std::isinf(lo)) continue;
        for (size_t i = 1; i + 1 < order.size(); ++i)
            pop[order[i]].crowding += (pop[order[i + 1]].fitness.cost[k] - pop[order[i - 1]].fitness.cost[k]) / (hi - lo);
    }
}

// Binary tournament: lower rank, then larger crowding distance, then lower index.
size_t tournament(const std::vector<Nsga2Individual>& pop, Rng& rng) {
    size_t a = rng.below(pop.size()), b = rng.below(pop.size());
    if (pop[a].rank != pop[b].rank) return pop[a].rank < pop[b].rank ? a : b;
    if (pop[a].crowding != pop[b].crowding) return pop[a].crowding > pop[b].crowding ? a : b;
    return std::min(a, b);
}

}  // namespace

bool constrained_dominates(const Fitness& a, const Fitness& b) {
    const bool fa = a.violation <= 0, fb = b.violation <= 0;
    if (fa && !fb) return true;
    if (!fa && fb) return false;
    if (!fa && !fb) return a.violation < b.violation;
    return dominates(a.cost, b.cost);
}

std::vector<std::vector<size_t>> nondominated_sort(std::vector<Nsga2Individual>& pop) {
    const size_t n = pop.size();
    std::vector<std::vector<size_t>> dominated(n);
    std::vector<size_t> count(n, 0);
    std::vector<std::vector<size_t>> fronts(1);
    for (size_t p = 0; p < n; ++p) {
        for (size_t q = 0; q < n; ++q) {
            if (p == q) continue;
            if (constrained_dominates(pop[p].fitness, pop[q].fitness)) dominated[p].push_back(q);
            else if (constrained_dominates(pop[q].fitness, pop[p].fitness)) ++count[p];
        }
        if (count[p] == 0) {
            pop[p].rank = 0;
            fronts[0].push_back(p);
        }
    }
    for (size_t f = 0; !fronts[f].empty(); ++f) {
        std::vector<size_t> next;
        for (size_t p : fronts[f])
            for (size_t q : dominated[p])
                if (--count[q] == 0) {
                    pop[q].rank = static_cast<int>(f + 1);
                    next.push_back(q);
                }
        std::sort(next.begin(), next.end());
        fronts.push_back(std::move(next));
    }
    fronts.pop_back();
    for (const auto& f : fronts) crowding(pop, f);
    return fronts;
}

std::vector<Nsga2Individual> run_nsga2(const std::vector<std::uint32_t>& dim_sizes, const Nsga2Options& opt,
                                       const BatchEvaluator& evaluate) {
    const size_t pop_size = std::max<std::uint64_t>(4, opt.population + (opt.population & 1));
    const size_t ndims = dim_sizes.size();
    const double p_mut = opt.mutation > 0 ? opt.mutation : (ndims ? 1.0 / static_cast<double>(ndims) : 0.0);
    Rng rng(opt.seed);

    // first population: a Latin hypercube sample, so every level range is covered
    DesignSpace shape;
    for (std::uint32_t s : dim_sizes) {
        Dimension d;
        d.axes.push_back(Axis{});
        d.axes.back().levels.resize(s);
        shape.dims.push_back(std::move(d));
    }
    auto lhs = make_lhs_source(shape, pop_size, opt.seed);
    std::vector<Nsga2Individual> pop(pop_size);
    std::vector<Levels> genomes(pop_size);
    for (size_t i = 0; i < pop_size; ++i) lhs->levels(i, genomes[i]);
    std::vector<Fitness> fit;
    std::uint64_t next_index = 0;
    if (!evaluate(genomes, next_index, fit)) return {};
    next_index += pop_size;
    for (size_t i = 0; i < pop_size; ++i) {
        pop[i].genes = genomes[i];
        pop[i].fitness = fit[i];
    }
    nondominated_sort(pop);

    for (std::uint64_t g = 0; g < opt.generations; ++g) {
        std::vector<Levels> children;
        while (children.size() < pop_size) {
            Levels a = pop[tournament(pop, rng)].genes, b = pop[tournament(pop, rng)].genes;
            if (rng.uniform() < opt.crossover)
                for (size_t d = 0; d < ndims; ++d)
                    if (rng.uniform() < 0.5) std::swap(a[d], b[d]);
            for (Levels* c : {&a, &b}) {
                for (size_t d = 0; d < ndims; ++d) {
                    if (dim_sizes[d] < 2 || !(rng.uniform() < p_mut)) continue;
                    std::uint32_t& l = (*c)[d];
                    if (rng.uniform() < 0.5) {  // a step to a neighbouring level
                        if (l == 0) l = 1;
                        else if (l + 1 == dim_sizes[d]) l = l - 1;
                        else l = rng.uniform() < 0.5 ? l - 1 : l + 1;
                    } else {  // any other level
                        std::uint32_t r = static_cast<std::uint32_t>(rng.below(dim_sizes[d] - 1));
                        l = r >= l ? r + 1 : r;
                    }
                }
                if (children.size() < pop_size) children.push_back(*c);
            }
        }
        if (!evaluate(children, next_index, fit)) return pop;
        next_index += pop_size;
        std::vector<Nsga2Individual> all = pop;
        for (size_t i = 0; i < pop_size; ++i) {
            Nsga2Individual c;
            c.genes = children[i];
            c.fitness = fit[i];
            all.push_back(std::move(c));
        }
        auto fronts = nondominated_sort(all);
        std::vector<Nsga2Individual> next;
        for (auto& f : fronts) {
            if (next.size() + f.size() <= pop_size) {
                for (size_t i : f) next.push_back(all[i]);
                continue;
            }
            std::stable_sort(f.begin(), f.end(), [&](size_t a, size_t b) { return all[a].crowding > all[b].crowding; });
            for (size_t i = 0; next.size() < pop_size; ++i) next.push_back(all[f[i]]);
            break;
        }
        pop = std::move(next);
        nondominated_sort(pop);
    }
    std::stable_sort(pop.begin(), pop.end(), [](const auto& a, const auto& b) { return a.rank < b.rank; });
    return pop;
}

}  // namespace chipdse::sweep
