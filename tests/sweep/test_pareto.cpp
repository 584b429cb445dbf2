// The Pareto front: the incremental archive and the store query against a brute-force check.
#include <sqlite3.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "dse/sweep/front_query.h"
#include "dse/sweep/pareto.h"
#include "dse/sweep/point_hash.h"
#include "dse/sweep/point_source.h"
#include "sweep_test_util.h"

using namespace chipdse::sweep;

TEST_CASE("the incremental archive keeps exactly the brute-force front", "[sweep][pareto]") {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const size_t n = 300, m = 2 + seed % 3;
        std::vector<std::vector<double>> pts;
        for (size_t i = 0; i < n; ++i) {
            std::vector<double> p;
            for (size_t k = 0; k < m; ++k) {
                double u = unit_double(splitmix64(seed * 1000003 + i * 31 + k));
                // coarse values: many ties and duplicates; some NaN (worst)
                double v = std::floor(u * 12);
                if (splitmix64(i * 7 + k + seed) % 97 == 0) v = NAN;
                p.push_back(to_cost(v, k % 2 == 0));
            }
            pts.push_back(p);
        }
        ParetoArchive<size_t> archive;
        for (size_t i = 0; i < n; ++i) archive.add(pts[i], i);
        std::set<size_t> got;
        for (const auto& [cost, id] : archive.members()) got.insert(id);
        auto brute = pareto_front_brute_force(pts);
        INFO("seed " << seed);
        CHECK(got == std::set<size_t>(brute.begin(), brute.end()));
    }
}

TEST_CASE("dominance: no worse everywhere and better somewhere; NaN is worst", "[sweep][pareto]") {
    CHECK(dominates({1, 1}, {1, 2}));
    CHECK_FALSE(dominates({1, 2}, {1, 2}));
    CHECK_FALSE(dominates({0, 3}, {1, 2}));
    CHECK(to_cost(5, true) == -5);
    CHECK(std::isinf(to_cost(NAN, true)));
    CHECK(dominates({to_cost(1, true)}, {to_cost(NAN, true)}));
}

TEST_CASE("pareto of a store equals a brute-force check over its rows", "[sweep][pareto][store]") {
    test::Scratch scratch("pareto");
    const std::string dir = scratch.path;
    LoadedSweep s = test::load(test::data("grid.yaml"));
    test::run(s, dir + "/r.sqlite", 2);

    ResultsStore store(dir + "/r.sqlite", ResultsStore::Mode::kReadOnly);
    for (const std::vector<std::string>& objectives :
         {std::vector<std::string>{}, std::vector<std::string>{"maximize tokens_per_s", "minimize chip_cost_usd"},
          std::vector<std::string>{"maximize mfu", "minimize memory_per_chip_bytes", "minimize step_time_s"}}) {
        FrontQuery q;
        q.objectives = objectives;
        FrontResult res;
        std::string err;
        REQUIRE(pareto_front(store, q, res, err));
        CHECK(res.rows == 120);  // the 24 invalid rows are not considered

        // brute force: every valid, feasible row meeting the constraints
        std::vector<std::vector<double>> costs;
        std::vector<std::string> keys;
        std::string sql = "SELECT key";
        for (const auto& o : res.objectives) sql += ", " + o.metric();
        sql += " FROM points WHERE valid = 1 AND feasible = 1 AND tokens_per_s > 0";
        store.query(sql, {}, [&](sqlite3_stmt* st) {
            keys.push_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
            std::vector<double> c;
            for (size_t k = 0; k < res.objectives.size(); ++k)
                c.push_back(to_cost(sqlite3_column_double(st, static_cast<int>(k + 1)), res.objectives[k].is_max()));
            costs.push_back(c);
        });
        CHECK(res.eligible == keys.size());
        std::set<std::string> expected, got;
        for (size_t i : pareto_front_brute_force(costs)) expected.insert(keys[i]);
        for (const auto& p : res.front) got.insert(p.key);
        CHECK(got == expected);
        CHECK_FALSE(got.empty());
        // sorted by the first objective, best first
        for (size_t i = 1; i < res.front.size(); ++i)
            CHECK(to_cost(res.front[i - 1].objective_values[0], res.objectives[0].is_max()) <=
                  to_cost(res.front[i].objective_values[0], res.objectives[0].is_max()));
    }

    FrontQuery bad;
    bad.objectives = {"maximize tokens_per_sec"};
    FrontResult res;
    std::string err;
    CHECK_FALSE(pareto_front(store, bad, res, err));
    CHECK(err.find("unknown metric 'tokens_per_sec'") != std::string::npos);
    CHECK(err.find("did you mean 'tokens_per_s'?") != std::string::npos);
}
