#include "dse/sweep/pareto.h"

namespace chipdse::sweep {

bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
    bool better = false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (a[i] > b[i]) return false;
        if (a[i] < b[i]) better = true;
    }
    return better;
}

std::vector<size_t> pareto_front_brute_force(const std::vector<std::vector<double>>& costs) {
    std::vector<size_t> out;
    for (size_t i = 0; i < costs.size(); ++i) {
        bool dominated = false;
        for (size_t j = 0; j < costs.size() && !dominated; ++j) dominated = j != i && dominates(costs[j], costs[i]);
        if (!dominated) out.push_back(i);
    }
    return out;
}

}  // namespace chipdse::sweep
