#pragma once
// Pareto dominance over objective vectors. Values are turned into costs to minimize
// (maximized metrics negated, NaN worst), so every comparison below is "smaller is better".
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

namespace chipdse::sweep {

// Cost of a metric value for an objective: smaller is better; NaN is the worst cost.
inline double to_cost(double value, bool maximize) {
    if (std::isnan(value)) return std::numeric_limits<double>::infinity();
    return maximize ? -value : value;
}

// a dominates b: no cost worse, at least one better.
bool dominates(const std::vector<double>& a, const std::vector<double>& b);

// Non-dominated set kept incrementally: memory grows with the front, not with the points seen.
// Points with equal costs are all kept.
template <class Payload>
class ParetoArchive {
public:
    // Offers a point; returns true when it joins the front (dominated members are dropped).
    bool add(std::vector<double> cost, Payload payload) {
        for (const auto& m : m_members)
            if (dominates(m.first, cost)) return false;
        size_t w = 0;
        for (size_t r = 0; r < m_members.size(); ++r)
            if (!dominates(cost, m_members[r].first)) {
                if (w != r) m_members[w] = std::move(m_members[r]);
                ++w;
            }
        m_members.resize(w);
        m_members.emplace_back(std::move(cost), std::move(payload));
        return true;
    }
    const std::vector<std::pair<std::vector<double>, Payload>>& members() const { return m_members; }

private:
    std::vector<std::pair<std::vector<double>, Payload>> m_members;
};

// Indices of the non-dominated points, by comparing every pair (for tests and small sets).
std::vector<size_t> pareto_front_brute_force(const std::vector<std::vector<double>>& costs);

}  // namespace chipdse::sweep
