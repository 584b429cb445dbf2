#pragma once
// Keys of design points: a 128-bit MurmurHash3 (x64) of the fully resolved config, as 32 hex
// digits. Not cryptographic; collisions at 10^7 points have probability ~10^-25.
#include <cstdint>
#include <string>
#include <string_view>

namespace chipdse::sweep {

struct Hash128 {
    std::uint64_t lo = 0, hi = 0;
};

Hash128 murmur3_128(std::string_view data, std::uint64_t seed = 0);

// 32 lowercase hex digits.
std::string hash_hex(std::string_view data);

// SplitMix64: a stateless mixer used for reproducible per-point random numbers.
inline std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

}  // namespace chipdse::sweep
