#pragma once
// Shapes and operands shared by the systolic tests (tests/sysc, tests/cosim).
#include <cstdint>
#include <random>
#include <vector>

#include "sysc/systolic/bf16_mac.h"
#include "sysc/systolic/systolic_model.h"

namespace chipdse::test {

// A job with uniformly random int8 operands (every value, -128 and 127 included), seeded by shape;
// for a bf16 array, standard normal values rounded to bf16.
inline sysc::GemmJob random_job(const sysc::SystolicConfig& array, const sysc::GemmShape& shape, std::uint32_t seed = 0) {
    std::mt19937 rng(seed ^ static_cast<std::uint32_t>(shape.m * 1000003 + shape.n * 1009 + shape.k));
    if (array.precision == spec::Precision::kBf16) {
        std::normal_distribution<float> normal(0.0f, 1.0f);
        sysc::GemmJob job{array, shape, {}, {}};
        job.a_bf16.resize(static_cast<std::size_t>(shape.m * shape.k));
        job.b_bf16.resize(static_cast<std::size_t>(shape.k * shape.n));
        for (auto& x : job.a_bf16) x = sysc::bf16_from_float(normal(rng));
        for (auto& x : job.b_bf16) x = sysc::bf16_from_float(normal(rng));
        return job;
    }
    std::uniform_int_distribution<int> value(-128, 127);
    sysc::GemmJob job{array, shape, std::vector<std::int8_t>(static_cast<std::size_t>(shape.m * shape.k)),
                      std::vector<std::int8_t>(static_cast<std::size_t>(shape.k * shape.n))};
    for (auto& x : job.a) x = static_cast<std::int8_t>(value(rng));
    for (auto& x : job.b) x = static_cast<std::int8_t>(value(rng));
    return job;
}

// A job whose every product is (-128) * (-128): the largest sums the int32 accumulators see.
inline sysc::GemmJob extreme_job(const sysc::SystolicConfig& array, const sysc::GemmShape& shape) {
    return {array, shape, std::vector<std::int8_t>(static_cast<std::size_t>(shape.m * shape.k), -128),
            std::vector<std::int8_t>(static_cast<std::size_t>(shape.k * shape.n), -128)};
}

// Shapes around an R x C array: single elements, exact fits, ragged edges in M, N and K (K not a
// multiple of the 8 elements of a load word), several folds each way, and K at the buffer depth.
inline std::vector<sysc::GemmShape> shapes_for(const sysc::SystolicConfig& a) {
    const std::int64_t r = a.rows, c = a.cols, kmax = a.k_max > 0 ? a.k_max : 256;
    return {
        {1, 1, 1},          {r, c, 1},           {r, c, 8},         {r, c, 9},
        {r - 1, c - 1, 7},  {r + 1, c, 16},      {r, c + 1, 17},    {2 * r + 3, c + 5, 33},
        {3 * r, 2 * c, 24}, {37, 29, 70},        {1, 3 * c + 1, 5}, {3 * r + 1, 1, 3},
        {r, c, kmax},       {r + 2, 2, kmax - 1},
    };
}

}  // namespace chipdse::test
