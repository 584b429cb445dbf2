#pragma once
// Physical dimension as a vector of base-dimension exponents.
// Base dimensions: time (s), length (m), mass (kg), information (bit), money (USD),
// emitted CO2 mass (g CO2e, kept apart from mass so carbon never mixes with energy),
// and clock cycles (convertible to time only through a known clock).
#include <cstdint>
#include <string>

namespace chipdse::units {

struct Dim {
    std::int8_t time = 0, length = 0, mass = 0, info = 0, money = 0, co2 = 0, cycles = 0;

    constexpr bool operator==(const Dim&) const = default;
};

constexpr Dim operator*(Dim a, Dim b) {
    return Dim{static_cast<std::int8_t>(a.time + b.time),     static_cast<std::int8_t>(a.length + b.length),
               static_cast<std::int8_t>(a.mass + b.mass),     static_cast<std::int8_t>(a.info + b.info),
               static_cast<std::int8_t>(a.money + b.money),   static_cast<std::int8_t>(a.co2 + b.co2),
               static_cast<std::int8_t>(a.cycles + b.cycles)};
}
constexpr Dim inverse(Dim a) {
    return Dim{static_cast<std::int8_t>(-a.time),  static_cast<std::int8_t>(-a.length),
               static_cast<std::int8_t>(-a.mass),  static_cast<std::int8_t>(-a.info),
               static_cast<std::int8_t>(-a.money), static_cast<std::int8_t>(-a.co2),
               static_cast<std::int8_t>(-a.cycles)};
}
constexpr Dim operator/(Dim a, Dim b) { return a * inverse(b); }
constexpr Dim pow(Dim a, int n) {
    Dim r{};
    for (int i = 0; i < (n < 0 ? -n : n); ++i) r = r * a;
    return n < 0 ? inverse(r) : r;
}

namespace dims {
inline constexpr Dim kNone{};
inline constexpr Dim kTime{1, 0, 0, 0, 0, 0, 0};
inline constexpr Dim kLength{0, 1, 0, 0, 0, 0, 0};
inline constexpr Dim kMass{0, 0, 1, 0, 0, 0, 0};
inline constexpr Dim kInfo{0, 0, 0, 1, 0, 0, 0};
inline constexpr Dim kMoney{0, 0, 0, 0, 1, 0, 0};
inline constexpr Dim kCo2{0, 0, 0, 0, 0, 1, 0};
inline constexpr Dim kCycles{0, 0, 0, 0, 0, 0, 1};
inline constexpr Dim kFrequency = inverse(kTime);
inline constexpr Dim kBandwidth = kInfo / kTime;
inline constexpr Dim kArea = kLength * kLength;
inline constexpr Dim kEnergy = kMass * kArea / (kTime * kTime);
inline constexpr Dim kPower = kEnergy / kTime;
inline constexpr Dim kEnergyPerBit = kEnergy / kInfo;
inline constexpr Dim kCarbonIntensity = kCo2 / kEnergy;
inline constexpr Dim kMoneyPerEnergy = kMoney / kEnergy;
inline constexpr Dim kMoneyPerTime = kMoney / kTime;
inline constexpr Dim kMoneyPerArea = kMoney / kArea;
inline constexpr Dim kMoneyPerInfo = kMoney / kInfo;
inline constexpr Dim kDefectDensity = inverse(kArea);
inline constexpr Dim kAreaPerInfo = kArea / kInfo;
}  // namespace dims

// Human name of a dimension ("bandwidth", "energy per bit", ...), or its exponent form.
std::string dimension_name(Dim d);
// An example value with a unit of this dimension, for error messages ("3.35 TB/s").
std::string dimension_example(Dim d);

}  // namespace chipdse::units
