#pragma once
// Which points a sweep visits, as a pure function of the point's index: the full grid, a
// random sample, or a Latin hypercube sample. Nothing is held in memory per point, so a
// source of 10^7 points costs no more than one of 10.
#include <cstdint>
#include <memory>

#include "dse/sweep/design_space.h"

namespace chipdse::sweep {

class PointSource {
public:
    virtual ~PointSource() = default;
    virtual std::uint64_t size() const = 0;
    // Level of every dimension for point `index` (< size()).
    virtual void levels(std::uint64_t index, Levels& out) const = 0;
};

// Every combination; the first dimension varies slowest (nested loops in file order).
std::unique_ptr<PointSource> make_grid_source(const DesignSpace& space);
// `samples` points, each level drawn uniformly and independently (repeats possible).
std::unique_ptr<PointSource> make_random_source(const DesignSpace& space, std::uint64_t samples, std::uint64_t seed);
// `samples` points; each dimension is split into `samples` equal strata and every stratum is
// used exactly once (a seeded permutation per dimension), then mapped onto the levels.
std::unique_ptr<PointSource> make_lhs_source(const DesignSpace& space, std::uint64_t samples, std::uint64_t seed);

// A seeded bijection of [0, n) with O(1) state (Feistel network with cycle walking).
class Permutation {
public:
    Permutation(std::uint64_t n, std::uint64_t key);
    std::uint64_t operator()(std::uint64_t i) const;

private:
    std::uint64_t encrypt(std::uint64_t x) const;
    std::uint64_t m_n, m_key;
    int m_half_bits;
};

// Uniform in [0, 1) from a 64-bit hash.
inline double unit_double(std::uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

}  // namespace chipdse::sweep
