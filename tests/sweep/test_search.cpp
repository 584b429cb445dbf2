// Point sources (grid, random, Latin hypercube) and NSGA-II: complete, deterministic for a seed.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "dse/sweep/nsga2.h"
#include "dse/sweep/pareto.h"
#include "dse/sweep/point_hash.h"
#include "dse/sweep/point_source.h"

using namespace chipdse::sweep;

namespace {

DesignSpace space_of(const std::vector<std::uint32_t>& sizes) {
    DesignSpace s;
    for (auto n : sizes) {
        Dimension d;
        d.axes.push_back(Axis{});
        d.axes.back().levels.resize(n);
        s.dims.push_back(std::move(d));
    }
    return s;
}

std::vector<Levels> all_points(const PointSource& src) {
    std::vector<Levels> out(src.size());
    for (std::uint64_t i = 0; i < src.size(); ++i) src.levels(i, out[i]);
    return out;
}

}  // namespace

TEST_CASE("the grid visits every combination once, first dimension slowest", "[sweep][search]") {
    DesignSpace s = space_of({3, 1, 4, 2});
    auto g = make_grid_source(s);
    REQUIRE(g->size() == 24);
    auto pts = all_points(*g);
    std::set<Levels> unique(pts.begin(), pts.end());
    CHECK(unique.size() == 24);
    CHECK(pts.front() == Levels{0, 0, 0, 0});
    CHECK(pts[1] == Levels{0, 0, 0, 1});
    CHECK(pts[2] == Levels{0, 0, 1, 0});
    CHECK(pts.back() == Levels{2, 0, 3, 1});
}

TEST_CASE("a grid of 10^12 points costs no memory: any point from its index", "[sweep][search]") {
    DesignSpace s = space_of({1000, 1000, 1000, 1000});
    auto g = make_grid_source(s);
    CHECK(g->size() == 1000000000000ull);
    Levels l;
    g->levels(g->size() - 1, l);
    CHECK(l == Levels{999, 999, 999, 999});
    g->levels(123456789012ull, l);
    CHECK(l == Levels{123, 456, 789, 12});
}

TEST_CASE("random samples are reproducible from the seed", "[sweep][search]") {
    DesignSpace s = space_of({7, 11, 5});
    auto a = all_points(*make_random_source(s, 200, 42));
    auto b = all_points(*make_random_source(s, 200, 42));
    auto c = all_points(*make_random_source(s, 200, 43));
    CHECK(a == b);
    CHECK(a != c);
    for (const auto& p : a) CHECK((p[0] < 7 && p[1] < 11 && p[2] < 5));
    // every level is drawn at some point
    std::set<std::uint32_t> seen;
    for (const auto& p : a) seen.insert(p[1]);
    CHECK(seen.size() == 11);
}

TEST_CASE("Latin hypercube: reproducible, every stratum of every dimension used once", "[sweep][search]") {
    DesignSpace s = space_of({50, 50, 10, 3});
    auto a = all_points(*make_lhs_source(s, 50, 7));
    auto b = all_points(*make_lhs_source(s, 50, 7));
    auto c = all_points(*make_lhs_source(s, 50, 8));
    CHECK(a == b);
    CHECK(a != c);
    // with as many samples as levels, each level appears exactly once
    for (size_t d : {0, 1}) {
        std::set<std::uint32_t> levels;
        for (const auto& p : a) levels.insert(p[d]);
        CHECK(levels.size() == 50);
    }
    // with fewer levels than samples, each level gets its share (50 / 10 = 5 each)
    std::map<std::uint32_t, int> count;
    for (const auto& p : a) ++count[p[2]];
    CHECK(count.size() == 10);
    for (const auto& [l, n] : count) CHECK(n == 5);
    // 50 samples on 3 levels: 16 or 17 each
    count.clear();
    for (const auto& p : a) ++count[p[3]];
    for (const auto& [l, n] : count) CHECK((n == 16 || n == 17));
}

TEST_CASE("seeded permutations are bijections", "[sweep][search]") {
    for (std::uint64_t n : {1ull, 2ull, 3ull, 10ull, 1000ull, 4097ull}) {
        Permutation p(n, 99);
        std::set<std::uint64_t> out;
        for (std::uint64_t i = 0; i < n; ++i) {
            auto v = p(i);
            CHECK(v < n);
            out.insert(v);
        }
        CHECK(out.size() == n);
    }
}

TEST_CASE("point keys: 128-bit MurmurHash3 of the text", "[sweep][hash]") {
    // reference values of MurmurHash3_x64_128 with seed 0
    auto h = murmur3_128("");
    CHECK(h.lo == 0);
    CHECK(h.hi == 0);
    h = murmur3_128("The quick brown fox jumps over the lazy dog");
    CHECK(h.lo == 0xe34bbc7bbc071b6cull);
    CHECK(h.hi == 0x7a433ca9c49a9347ull);
    CHECK(hash_hex("a") != hash_hex("b"));
    CHECK(hash_hex("a").size() == 32);
}

namespace {

// A two-objective test problem on a 20 x 20 x 5 grid: f1 = x, f2 = (1 - x) + g(y, z), both
// minimized; the true front is g = 0 (y == 10, z == 0) for every x. Constraint: x >= 2.
Fitness test_fitness(const Levels& l) {
    double x = l[0] / 19.0, g = std::abs(static_cast<double>(l[1]) - 10) / 10.0 + l[2] * 0.1;
    Fitness f;
    f.cost = {x, 1 - x + g};
    f.violation = l[0] >= 2 ? 0.0 : (2.0 - l[0]) / 2.0;
    return f;
}

std::vector<Nsga2Individual> run_test_problem(std::uint64_t seed, size_t* evaluated = nullptr) {
    Nsga2Options o;
    o.population = 24;
    o.generations = 25;
    o.seed = seed;
    return run_nsga2({20, 21, 5}, o, [&](const std::vector<Levels>& g, std::uint64_t, std::vector<Fitness>& out) {
        out.clear();
        for (const auto& l : g) out.push_back(test_fitness(l));
        if (evaluated) *evaluated += g.size();
        return true;
    });
}

}  // namespace

TEST_CASE("NSGA-II is deterministic for a seed and converges to the front", "[sweep][search][nsga2]") {
    size_t evaluated = 0;
    auto a = run_test_problem(5, &evaluated);
    auto b = run_test_problem(5);
    auto c = run_test_problem(6);
    CHECK(evaluated == 24 * 26);
    REQUIRE(a.size() == 24);
    auto genes = [](const std::vector<Nsga2Individual>& p) {
        std::vector<Levels> g;
        for (const auto& i : p) g.push_back(i.genes);
        return g;
    };
    CHECK(genes(a) == genes(b));
    CHECK(genes(a) != genes(c));

    // the final first front: feasible, most of it on the true front, and spread out in x
    int on_front = 0, first = 0;
    std::set<std::uint32_t> xs;
    for (const auto& i : a) {
        if (i.rank != 0) continue;
        ++first;
        CHECK(i.fitness.violation == 0);
        on_front += i.genes[1] == 10 && i.genes[2] == 0;
        xs.insert(i.genes[0]);
    }
    CHECK(first >= 8);
    CHECK(on_front >= first * 3 / 4);
    CHECK(xs.size() >= 8);
}

TEST_CASE("NSGA-II constrained domination and sorting", "[sweep][search][nsga2]") {
    Fitness ok1{{1, 2}, 0}, ok2{{2, 1}, 0}, ok3{{2, 3}, 0}, bad_small{{0, 0}, 0.1}, bad_big{{0, 0}, 2};
    CHECK(constrained_dominates(ok1, ok3));
    CHECK_FALSE(constrained_dominates(ok1, ok2));
    CHECK(constrained_dominates(ok3, bad_small));  // meeting the constraints beats any cost
    CHECK(constrained_dominates(bad_small, bad_big));
    std::vector<Nsga2Individual> pop(5);
    pop[0].fitness = ok1;
    pop[1].fitness = ok2;
    pop[2].fitness = ok3;
    pop[3].fitness = bad_small;
    pop[4].fitness = bad_big;
    auto fronts = nondominated_sort(pop);
    REQUIRE(fronts.size() == 4);
    CHECK(fronts[0] == std::vector<size_t>{0, 1});
    CHECK(fronts[1] == std::vector<size_t>{2});
    CHECK(fronts[2] == std::vector<size_t>{3});
    CHECK(pop[4].rank == 3);
    CHECK(std::isinf(pop[0].crowding));
}
