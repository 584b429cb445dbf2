#pragma once
// NSGA-II (Deb et al., IEEE TEC 2002) over discrete levels: a genome is one level index per
// dimension. Constrained domination: a point that meets the constraints beats one that does
// not; two that do not are ranked by how far they miss. Deterministic for a seed: the only
// randomness is a seeded generator driven from one thread, and evaluation order never matters.
#include <cstdint>
#include <functional>
#include <vector>

#include "dse/sweep/design_space.h"

namespace chipdse::sweep {

struct Nsga2Options {
    std::uint64_t population = 32;
    std::uint64_t generations = 20;
    double crossover = 0.9;
    double mutation = 0.0;  // 0: 1 / number of dimensions
    std::uint64_t seed = 1;
};

struct Fitness {
    std::vector<double> cost;  // per objective, smaller is better (see to_cost)
    double violation = 0;      // 0: meets every constraint
};

// Evaluates a batch of genomes (point indices start at `first_index`); fills one Fitness per
// genome. Returns false to stop the search (e.g. Ctrl-C).
using BatchEvaluator = std::function<bool(const std::vector<Levels>& genomes, std::uint64_t first_index,
                                          std::vector<Fitness>& out)>;

struct Nsga2Individual {
    Levels genes;
    Fitness fitness;
    int rank = 0;
    double crowding = 0;
};

// Runs the search; returns the final population (front 0 first). `dim_sizes` are the level
// counts per dimension. Returns early with what it has when `evaluate` returns false.
std::vector<Nsga2Individual> run_nsga2(const std::vector<std::uint32_t>& dim_sizes, const Nsga2Options& opt,
                                       const BatchEvaluator& evaluate);

// Constrained domination used by the search (exposed for tests).
bool constrained_dominates(const Fitness& a, const Fitness& b);

// Sorts into fronts and sets rank and crowding; returns the fronts (indices into `pop`).
std::vector<std::vector<size_t>> nondominated_sort(std::vector<Nsga2Individual>& pop);

}  // namespace chipdse::sweep
