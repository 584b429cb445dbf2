#pragma once
// How K chips are connected by their links (plain C++): all through one switch, or as a torus of
// one (a ring), two or three dimensions.
#include <cstdint>
#include <string>
#include <vector>

namespace chipdse::sysc {

struct Topology {
    enum class Kind { kSwitch, kTorus };
    Kind kind = Kind::kSwitch;
    // kSwitch: {chips}. kTorus: chips along each dimension (wraparound in each); the links of a
    // chip are split evenly over the 2 x dims.size() directions, size-1 dimensions included
    // (their links stay unused), so a 1 x K "torus2d" uses half the links a ring would.
    std::vector<std::int64_t> dims;

    static Topology switched(std::int64_t chips) { return {Kind::kSwitch, {chips}}; }
    static Topology ring(std::int64_t chips) { return {Kind::kTorus, {chips}}; }
    static Topology torus(std::vector<std::int64_t> dims) { return {Kind::kTorus, std::move(dims)}; }

    std::int64_t chips() const;
    // "switch", "ring", "torus 4x4", "torus 4x4x4"
    std::string name() const;
    // Dimensions with more than one chip.
    std::vector<std::int64_t> active_dims() const;
};

// Near-equal factors of `chips` in `d` dimensions, largest last (16, 2 -> 4x4; 32, 2 -> 4x8;
// 12, 3 -> 2x2x3); a prime gives 1 x ... x chips.
std::vector<std::int64_t> torus_dims(std::int64_t chips, int d);

}  // namespace chipdse::sysc
