#include "dse/sweep/point_source.h"

#include "dse/sweep/point_hash.h"

namespace chipdse::sweep {
namespace {

std::vector<std::uint32_t> dim_sizes(const DesignSpace& space) {
    std::vector<std::uint32_t> s;
    for (const auto& d : space.dims) s.push_back(d.size());
    return s;
}

class GridSource : public PointSource {
public:
    explicit GridSource(const DesignSpace& space) : m_sizes(dim_sizes(space)), m_size(space.grid_size()) {}
    std::uint64_t size() const override { return m_size; }
    void levels(std::uint64_t index, Levels& out) const override {
        out.assign(m_sizes.size(), 0);
        for (size_t d = m_sizes.size(); d-- > 0;) {
            out[d] = static_cast<std::uint32_t>(index % m_sizes[d]);
            index /= m_sizes[d];
        }
    }

private:
    std::vector<std::uint32_t> m_sizes;
    std::uint64_t m_size;
};

class RandomSource : public PointSource {
public:
    RandomSource(const DesignSpace& space, std::uint64_t samples, std::uint64_t seed)
        : m_sizes(dim_sizes(space)), m_samples(samples), m_seed(seed) {}
    std::uint64_t size() const override { return m_samples; }
    void levels(std::uint64_t index, Levels& out) const override {
        out.assign(m_sizes.size(), 0);
        for (size_t d = 0; d < m_sizes.size(); ++d) {
            std::uint64_t h = splitmix64(splitmix64(m_seed * 0x100000001b3ull + d) ^ index);
            out[d] = static_cast<std::uint32_t>(unit_double(h) * m_sizes[d]);
        }
    }

private:
    std::vector<std::uint32_t> m_sizes;
    std::uint64_t m_samples, m_seed;
};

class LhsSource : public PointSource {
public:
    LhsSource(const DesignSpace& space, std::uint64_t samples, std::uint64_t seed)
        : m_sizes(dim_sizes(space)), m_samples(samples), m_seed(seed) {
        for (size_t d = 0; d < m_sizes.size(); ++d) m_perms.emplace_back(samples, splitmix64(seed ^ (0xA5A5ull + d)));
    }
    std::uint64_t size() const override { return m_samples; }
    void levels(std::uint64_t index, Levels& out) const override {
        out.assign(m_sizes.size(), 0);
        for (size_t d = 0; d < m_sizes.size(); ++d) {
            std::uint64_t stratum = m_perms[d](index);
            double u = unit_double(splitmix64(splitmix64(m_seed + 0x51ull * (d + 1)) ^ index));
            double x = (static_cast<double>(stratum) + u) / static_cast<double>(m_samples);
            auto l = static_cast<std::uint32_t>(x * m_sizes[d]);
            out[d] = l < m_sizes[d] ? l : m_sizes[d] - 1;
        }
    }

private:
    std::vector<std::uint32_t> m_sizes;
    std::uint64_t m_samples, m_seed;
    std::vector<Permutation> m_perms;
};

}  // namespace

Permutation::Permutation(std::uint64_t n, std::uint64_t key) : m_n(n), m_key(key) {
    int bits = 2;
    while (bits < 64 && (std::uint64_t{1} << bits) < n) bits += 2;
    m_half_bits = bits / 2;
}

std::uint64_t Permutation::encrypt(std::uint64_t x) const {
    const std::uint64_t mask = (std::uint64_t{1} << m_half_bits) - 1;
    std::uint64_t l = x >> m_half_bits, r = x & mask;
    for (int round = 0; round < 4; ++round) {
        std::uint64_t f = splitmix64(r ^ splitmix64(m_key + static_cast<std::uint64_t>(round))) & mask;
        std::uint64_t nl = r;
        r = l ^ f;
        l = nl;
    }
    return (l << m_half_bits) | r;
}

std::uint64_t Permutation::operator()(std::uint64_t i) const {
    // cycle walking: a permutation of [0, 4^k) restricted to [0, n) stays a permutation
    std::uint64_t x = encrypt(i);
    while (x >= m_n) x = encrypt(x);
    return x;
}

std::unique_ptr<PointSource> make_grid_source(const DesignSpace& space) { return std::make_unique<GridSource>(space); }
std::unique_ptr<PointSource> make_random_source(const DesignSpace& space, std::uint64_t samples, std::uint64_t seed) {
    return std::make_unique<RandomSource>(space, samples, seed);
}
std::unique_ptr<PointSource> make_lhs_source(const DesignSpace& space, std::uint64_t samples, std::uint64_t seed) {
    return std::make_unique<LhsSource>(space, samples, seed);
}

}  // namespace chipdse::sweep
