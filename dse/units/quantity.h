#pragma once
// Strong, dimension-checked quantities. The value is always held in SI base units
// (s, m, kg, bit, USD, g CO2e); mixing dimensions is a compile error.
#include "dse/units/dimension.h"

namespace chipdse::units {

template <Dim D>
class Quantity {
public:
    static constexpr Dim kDim = D;

    constexpr Quantity() = default;
    constexpr explicit Quantity(double si) : m_si(si) {}

    constexpr double si() const { return m_si; }

    constexpr Quantity operator+(Quantity o) const { return Quantity(m_si + o.m_si); }
    constexpr Quantity operator-(Quantity o) const { return Quantity(m_si - o.m_si); }
    constexpr Quantity& operator+=(Quantity o) { m_si += o.m_si; return *this; }
    constexpr Quantity& operator-=(Quantity o) { m_si -= o.m_si; return *this; }
    constexpr Quantity operator*(double k) const { return Quantity(m_si * k); }
    constexpr Quantity operator/(double k) const { return Quantity(m_si / k); }
    constexpr auto operator<=>(const Quantity&) const = default;

    template <Dim E>
    constexpr Quantity<D * E> operator*(Quantity<E> o) const { return Quantity<D * E>(m_si * o.si()); }
    template <Dim E>
    constexpr Quantity<D / E> operator/(Quantity<E> o) const { return Quantity<D / E>(m_si / o.si()); }

private:
    double m_si = 0.0;
};

template <Dim D>
constexpr Quantity<D> operator*(double k, Quantity<D> q) { return q * k; }

// A ratio of two quantities of the same dimension is a plain number.
template <Dim D>
constexpr double ratio(Quantity<D> a, Quantity<D> b) { return a.si() / b.si(); }

using Seconds = Quantity<dims::kTime>;
using Hertz = Quantity<dims::kFrequency>;
using Bits = Quantity<dims::kInfo>;                      // data; bytes are 8 bits
using BitsPerSecond = Quantity<dims::kBandwidth>;
using Meters = Quantity<dims::kLength>;
using SquareMeters = Quantity<dims::kArea>;
using Joules = Quantity<dims::kEnergy>;
using Watts = Quantity<dims::kPower>;
using JoulesPerBit = Quantity<dims::kEnergyPerBit>;
using Dollars = Quantity<dims::kMoney>;
using DollarsPerJoule = Quantity<dims::kMoneyPerEnergy>;
using DollarsPerSecond = Quantity<dims::kMoneyPerTime>;
using DollarsPerSquareMeter = Quantity<dims::kMoneyPerArea>;
using DollarsPerBit = Quantity<dims::kMoneyPerInfo>;
using GramsCo2 = Quantity<dims::kCo2>;
using GramsCo2PerJoule = Quantity<dims::kCarbonIntensity>;
using PerSquareMeter = Quantity<dims::kDefectDensity>;
using Cycles = Quantity<dims::kCycles>;

// Convenience accessors in the units people think in.
constexpr double bytes(Bits b) { return b.si() / 8.0; }
constexpr Bits from_bytes(double n) { return Bits(n * 8.0); }
constexpr double bytes_per_second(BitsPerSecond b) { return b.si() / 8.0; }
constexpr double mm2(SquareMeters a) { return a.si() * 1e6; }

}  // namespace chipdse::units
