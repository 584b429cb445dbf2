#include "sysc/collective/topology.h"

#include <algorithm>
#include <cmath>

namespace chipdse::sysc {

std::int64_t Topology::chips() const {
    std::int64_t n = 1;
    for (auto k : dims) n *= k;
    return dims.empty() ? 0 : n;
}

std::string Topology::name() const {
    if (kind == Kind::kSwitch) return "switch";
    if (dims.size() == 1) return "ring";
    std::string s = "torus ";
    for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? "x" : "") + std::to_string(dims[i]);
    return s;
}

std::vector<std::int64_t> Topology::active_dims() const {
    std::vector<std::int64_t> out;
    for (auto k : dims)
        if (k > 1) out.push_back(k);
    return out;
}

std::vector<std::int64_t> torus_dims(std::int64_t chips, int d) {
    if (d <= 1) return {chips};
    // the largest divisor not above the d-th root, then the rest in d - 1 dimensions
    const auto root = static_cast<std::int64_t>(std::floor(std::pow(static_cast<double>(chips), 1.0 / d) + 1e-9));
    std::int64_t a = 1;
    for (std::int64_t f = std::max<std::int64_t>(root, 1); f >= 1; --f)
        if (chips % f == 0) {
            a = f;
            break;
        }
    std::vector<std::int64_t> out{a};
    for (auto k : torus_dims(chips / a, d - 1)) out.push_back(k);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace chipdse::sysc
