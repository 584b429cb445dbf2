// Units: parsing values with units into SI, printing them back, and the strong quantity types.
// Expected SI values are computed by hand here, independently of the parser's tables.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "dse/units/dimension.h"
#include "dse/units/quantity.h"
#include "dse/units/unit_parser.h"

namespace u = chipdse::units;
namespace dims = chipdse::units::dims;

namespace {

// SI value of `text`, which must parse with dimension `dim`.
double si(const std::string& text, u::Dim dim, std::optional<double> clock_hz = std::nullopt) {
    u::ParseOutcome r = u::parse_as(text, dim, clock_hz);
    INFO("text: \"" << text << "\", error: " << r.error);
    REQUIRE(r.value.has_value());
    CHECK(r.error.empty());
    CHECK(r.value->has_unit);
    return r.value->si;
}

// The error of a text that must be rejected (by parse_as with `dim`, or by parse_value).
std::string error_of(const std::string& text, std::optional<u::Dim> dim = std::nullopt,
                     std::optional<double> clock_hz = std::nullopt) {
    u::ParseOutcome r = dim ? u::parse_as(text, *dim, clock_hz) : u::parse_value(text);
    INFO("text: \"" << text << "\" must be rejected");
    CHECK_FALSE(r.value.has_value());
    CHECK_FALSE(r.error.empty());
    return r.error;
}

// format_value then parse_as gives back the SI value (to a relative 1e-12: the text has 15 digits).
void check_round_trip(double value, u::Dim dim) {
    const std::string text = u::format_value(value, dim);
    u::ParseOutcome r = u::parse_as(text, dim);
    INFO("value " << value << " printed as \"" << text << "\": " << r.error);
    REQUIRE(r.value.has_value());
    CHECK(r.value->si == Approx(value).epsilon(1e-12).margin(0.0));
}

constexpr double kKi = 1024.0;

}  // namespace

TEST_CASE("time parses in s, ms, us, ns, ps and round-trips", "[units][time]") {
    CHECK(si("1 s", dims::kTime) == 1.0);
    CHECK(si("5 ms", dims::kTime) == Approx(5e-3));
    CHECK(si("3 us", dims::kTime) == Approx(3e-6));
    CHECK(si("3 \xC2\xB5s", dims::kTime) == Approx(3e-6));  // micro sign
    CHECK(si("7 ns", dims::kTime) == Approx(7e-9));
    CHECK(si("12 ps", dims::kTime) == Approx(12e-12));
    CHECK(si("2 min", dims::kTime) == Approx(120.0));
    CHECK(si("1 h", dims::kTime) == Approx(3600.0));
    CHECK(si("34 days", dims::kTime) == Approx(34 * 86400.0));
    CHECK(si("4 year", dims::kTime) == Approx(4 * 365.25 * 86400.0));
    CHECK(si("0.625 ns", dims::kTime) == Approx(0.625e-9));
    CHECK(si("1e-3 s", dims::kTime) == Approx(1e-3));
    CHECK(si("2ns", dims::kTime) == Approx(2e-9));  // no space needed
    CHECK(u::format_value(1e-3, dims::kTime) == "1 ms");
    CHECK(u::format_value(350e-9, dims::kTime) == "350 ns");
    for (double v : {2.5, 1e-3, 4.2e-6, 7e-9, 1.2e-11, 3.9e-6, 86400.0, 1e-18, 0.0, -5e-9})
        check_round_trip(v, dims::kTime);
}

TEST_CASE("cycles become time only with a clock", "[units][cycles]") {
    u::ParseOutcome raw = u::parse_value("12 cycles");
    REQUIRE(raw.value);
    CHECK(raw.value->dim == dims::kCycles);
    CHECK(raw.value->si == 12.0);
    CHECK(si("12 cycles", dims::kTime, 2e9) == Approx(6e-9));          // 12 / 2 GHz
    CHECK(si("1 cycle", dims::kTime, 1.6e9) == Approx(0.625e-9));
    CHECK(si("2 kcycles", dims::kTime, 1e9) == Approx(2e-6));
    CHECK(error_of("12 cycles", dims::kTime).find("clock") != std::string::npos);
    // cycles are not a time, a frequency or a count by themselves
    CHECK_FALSE(u::parse_as("12 cycles", dims::kFrequency, 1e9).value);
    CHECK_FALSE(u::parse_as("12 cycles", dims::kNone).value);
    check_round_trip(12.0, dims::kCycles);
}

TEST_CASE("frequency parses Hz to THz", "[units][frequency]") {
    CHECK(si("50 Hz", dims::kFrequency) == 50.0);
    CHECK(si("3 kHz", dims::kFrequency) == Approx(3e3));
    CHECK(si("800 MHz", dims::kFrequency) == Approx(800e6));
    CHECK(si("1.83 GHz", dims::kFrequency) == Approx(1.83e9));
    CHECK(si("2 THz", dims::kFrequency) == Approx(2e12));
    CHECK(si("1 /ns", dims::kFrequency) == Approx(1e9));
    CHECK(u::format_value(1.83e9, dims::kFrequency) == "1.83 GHz");
    for (double v : {50.0, 3e3, 800e6, 1.83e9, 1.41e9, 2e12})
        check_round_trip(v, dims::kFrequency);
}

TEST_CASE("data sizes: bits and bytes, decimal and binary prefixes", "[units][data]") {
    CHECK(si("1 b", dims::kInfo) == 1.0);
    CHECK(si("1 bit", dims::kInfo) == 1.0);
    CHECK(si("1 B", dims::kInfo) == 8.0);
    CHECK(si("1 KB", dims::kInfo) == 8000.0);  // K is 1000, as in kB
    CHECK(si("1 kB", dims::kInfo) == 8000.0);
    CHECK(si("1 KiB", dims::kInfo) == 8192.0);
    CHECK(si("1 Kb", dims::kInfo) == 1000.0);
    CHECK(si("1 Kib", dims::kInfo) == 1024.0);
    CHECK(si("1 MB", dims::kInfo) == Approx(8e6));
    CHECK(si("1 MiB", dims::kInfo) == Approx(8 * kKi * kKi));
    CHECK(si("80 GB", dims::kInfo) == Approx(80e9 * 8));
    CHECK(si("80 GiB", dims::kInfo) == Approx(80 * kKi * kKi * kKi * 8));
    CHECK(si("2 TB", dims::kInfo) == Approx(2e12 * 8));
    CHECK(si("2 TiB", dims::kInfo) == Approx(2 * std::pow(kKi, 4) * 8));
    CHECK(si("1 PB", dims::kInfo) == Approx(1e15 * 8));
    CHECK(si("1 PiB", dims::kInfo) == Approx(std::pow(kKi, 5) * 8));
    CHECK(u::format_value(80 * kKi * kKi * kKi * 8, dims::kInfo) == "80 GiB");
    CHECK(u::format_value(8192.0, dims::kInfo) == "1 KiB");
    CHECK(u::format_value(80e9 * 8, dims::kInfo) == "80 GB");
    CHECK(u::bytes(u::Bits(si("1 KiB", dims::kInfo))) == 1024.0);
    for (double v : {1.0, 8.0, 8000.0, 8192.0, 8e6, 8 * kKi * kKi, 80e9 * 8, 80 * kKi * kKi * kKi * 8, 16e12,
                     std::pow(kKi, 5) * 8, 8e15, 50 * kKi * kKi * 8, 2048000.0 * 8})
        check_round_trip(v, dims::kInfo);
}

TEST_CASE("bandwidth: b/s, B/s and GT/s with a lane width", "[units][bandwidth]") {
    CHECK(si("1 b/s", dims::kBandwidth) == 1.0);
    CHECK(si("1 B/s", dims::kBandwidth) == 8.0);
    CHECK(si("3.35 TB/s", dims::kBandwidth) == Approx(3.35e12 * 8));
    CHECK(si("900 GB/s", dims::kBandwidth) == Approx(900e9 * 8));
    CHECK(si("400 Gb/s", dims::kBandwidth) == Approx(400e9));
    CHECK(si("1 GiB/s", dims::kBandwidth) == Approx(kKi * kKi * kKi * 8));
    // PCIe 5 x16: 32 GT/s per lane, one bit per transfer, 16 lanes = 512 Gbit/s = 64 GB/s
    CHECK(si("32 GT/s x16", dims::kBandwidth) == Approx(64e9 * 8));
    CHECK(si("16 GT/s x4", dims::kBandwidth) == Approx(64e9));
    CHECK(si("112 GT/s X1", dims::kBandwidth) == Approx(112e9));
    CHECK(error_of("32 GT/s", dims::kBandwidth).find("lane width") != std::string::npos);
    CHECK_FALSE(u::parse_value("32 GT/s x0").value);
    CHECK_FALSE(u::parse_value("32 GT/s x1.5").value);
    CHECK_FALSE(u::parse_value("32 GT/s 16").value);
    CHECK(u::format_value(3.35e12 * 8, dims::kBandwidth) == "3.35 TB/s");
    CHECK(u::format_value(64e9 * 8, dims::kBandwidth) == "64 GB/s");
    CHECK(u::bytes_per_second(u::BitsPerSecond(si("3.35 TB/s", dims::kBandwidth))) == Approx(3.35e12));
    for (double v : {1.0, 8.0, 3.35e12 * 8, 900e9 * 8, 400e9, 64e9 * 8, 1.2e12 * 8})
        check_round_trip(v, dims::kBandwidth);
}

TEST_CASE("energy parses J to fJ and Wh", "[units][energy]") {
    CHECK(si("2 J", dims::kEnergy) == 2.0);
    CHECK(si("3 mJ", dims::kEnergy) == Approx(3e-3));
    CHECK(si("4 uJ", dims::kEnergy) == Approx(4e-6));
    CHECK(si("5 nJ", dims::kEnergy) == Approx(5e-9));
    CHECK(si("0.4 pJ", dims::kEnergy) == Approx(0.4e-12));
    CHECK(si("20 fJ", dims::kEnergy) == Approx(20e-15));
    CHECK(si("1 kWh", dims::kEnergy) == Approx(3.6e6));
    CHECK(si("1 MWh", dims::kEnergy) == Approx(3.6e9));
    CHECK(si("1 kW*h", dims::kEnergy) == Approx(3.6e6));
    CHECK(u::format_value(0.4e-12, dims::kEnergy) == "400 fJ");  // the largest prefix that keeps it >= 1
    CHECK(u::format_value(3.9e-12, dims::kEnergy) == "3.9 pJ");
    for (double v : {2.0, 3e-3, 4e-6, 5e-9, 0.4e-12, 20e-15, 3.6e6, 1.7e13})
        check_round_trip(v, dims::kEnergy);
}

TEST_CASE("power parses W, kW, MW", "[units][power]") {
    CHECK(si("700 W", dims::kPower) == 700.0);
    CHECK(si("10.2 kW", dims::kPower) == Approx(10.2e3));
    CHECK(si("25 MW", dims::kPower) == Approx(25e6));
    CHECK(si("500 mW", dims::kPower) == Approx(0.5));
    CHECK(si("1 J/s", dims::kPower) == 1.0);
    CHECK(u::format_value(700.0, dims::kPower) == "700 W");
    CHECK(u::format_value(25e6, dims::kPower) == "25 MW");
    for (double v : {700.0, 10.2e3, 25e6, 0.5, 1e-3})
        check_round_trip(v, dims::kPower);
}

TEST_CASE("area parses mm^2 and um^2", "[units][area]") {
    CHECK(si("814 mm^2", dims::kArea) == Approx(814e-6));
    CHECK(si("0.25 um^2", dims::kArea) == Approx(0.25e-12));
    CHECK(si("1 cm^2", dims::kArea) == Approx(1e-4));
    CHECK(si("1 m^2", dims::kArea) == 1.0);
    CHECK(u::mm2(u::SquareMeters(si("814 mm^2", dims::kArea))) == Approx(814.0));
    CHECK(u::format_value(814e-6, dims::kArea) == "814 mm^2");
    CHECK(error_of("814 mm2", dims::kArea).find("unknown unit") != std::string::npos);
    for (double v : {814e-6, 0.25e-12, 858e-6, 46225e-6})
        check_round_trip(v, dims::kArea);
}

TEST_CASE("money: $25000, 25 k$, 1.5 M$", "[units][money]") {
    CHECK(si("$25000", dims::kMoney) == 25000.0);
    CHECK(si("$ 25000", dims::kMoney) == 25000.0);
    CHECK(si("25 k$", dims::kMoney) == Approx(25000.0));
    CHECK(si("1.5 M$", dims::kMoney) == Approx(1.5e6));
    CHECK(si("2 B$", dims::kMoney) == Approx(2e9));  // B is billion for money only
    CHECK(si("30000 USD", dims::kMoney) == 30000.0);
    CHECK(si("-$5", dims::kMoney) == -5.0);
    CHECK(error_of("25000", dims::kMoney) == "missing unit");
    CHECK_FALSE(u::parse_value("$1.5M").value);  // the prefix goes before '$', not after the number
    CHECK_FALSE(u::parse_value("2 BB").value);    // and billion is not a prefix of bytes
    CHECK(u::format_value(25000.0, dims::kMoney) == "$25000");
    CHECK(u::format_value(-5.0, dims::kMoney) == "-$5");
    for (double v : {25000.0, 1.5e6, 0.0, -5.0, 2e9, 0.125})
        check_round_trip(v, dims::kMoney);
}

TEST_CASE("length parses nm", "[units][length]") {
    CHECK(si("4 nm", dims::kLength) == Approx(4e-9));
    CHECK(si("1.5 um", dims::kLength) == Approx(1.5e-6));
    CHECK(si("3 mm", dims::kLength) == Approx(3e-3));
    CHECK(u::format_value(4e-9, dims::kLength) == "4 nm");
    for (double v : {4e-9, 7e-9, 1.5e-6, 3e-3, 26e-3})
        check_round_trip(v, dims::kLength);
}

TEST_CASE("energy per bit, carbon intensity, price per energy", "[units][derived]") {
    CHECK(si("0.4 pJ/bit", dims::kEnergyPerBit) == Approx(0.4e-12));
    CHECK(si("3.9 pJ/b", dims::kEnergyPerBit) == Approx(3.9e-12));
    CHECK(si("8 pJ/B", dims::kEnergyPerBit) == Approx(1e-12));  // per byte = per 8 bits
    CHECK(si("380 gCO2/kWh", dims::kCarbonIntensity) == Approx(380.0 / 3.6e6));
    CHECK(si("380 gCO2e/kWh", dims::kCarbonIntensity) == Approx(380.0 / 3.6e6));
    CHECK(si("$0.08/kWh", dims::kMoneyPerEnergy) == Approx(0.08 / 3.6e6));
    CHECK(si("0.08 $/kWh", dims::kMoneyPerEnergy) == Approx(0.08 / 3.6e6));
    CHECK(si("$2/h", dims::kMoneyPerTime) == Approx(2.0 / 3600));
    CHECK(si("291 tCO2e", dims::kCo2) == Approx(291e6));
    CHECK(u::format_value(3.9e-12, dims::kEnergyPerBit) == "3.9 pJ/bit");
    for (double v : {0.4e-12, 3.9e-12, 20e-12, 1e-15})
        check_round_trip(v, dims::kEnergyPerBit);
    for (double v : {380.0 / 3.6e6, 20.0 / 3.6e6, 0.0})
        check_round_trip(v, dims::kCarbonIntensity);
    for (double v : {0.08 / 3.6e6, 0.2 / 3.6e6})
        check_round_trip(v, dims::kMoneyPerEnergy);
}

TEST_CASE("every dimension with a display unit round-trips", "[units][round-trip]") {
    struct Case {
        u::Dim dim;
        std::vector<double> values;
    };
    const std::vector<Case> cases{
        {dims::kTime, {1.0, 1e-9, 3.5e-7}},
        {dims::kFrequency, {1.0, 1.83e9}},
        {dims::kInfo, {8.0, 8192.0, 6.4e11}},
        {dims::kBandwidth, {8.0, 2.68e13}},
        {dims::kLength, {1.0, 4e-9}},
        {dims::kArea, {1e-6, 8.14e-4}},
        {dims::kEnergy, {1.0, 4e-13}},
        {dims::kPower, {1.0, 7e2}},
        {dims::kEnergyPerBit, {3.9e-12}},
        {dims::kMoney, {25000.0}},
        {dims::kMoneyPerEnergy, {0.08 / 3.6e6}},
        {dims::kMoneyPerTime, {2.0 / 3600}},
        {dims::kMoneyPerArea, {0.1e6}},
        {dims::kMoneyPerInfo, {10.0 / 8e9}},
        {dims::kCo2, {291e6, 1.0}},
        {dims::kCarbonIntensity, {380.0 / 3.6e6}},
        {dims::kDefectDensity, {0.1e4}},
        {dims::kCycles, {12.0}},
        {dims::kMass, {1.0, 2.5e-3}},
        {dims::kEnergy * dims::kTime, {6.0}},  // no display unit: printed in base units
    };
    for (const auto& c : cases)
        for (double v : c.values) check_round_trip(v, c.dim);
}

TEST_CASE("format then parse gives exactly the same double", "[units][round-trip]") {
    // The header promises parse(format(x)) == x; format prints 15 significant digits, which is
    // not enough for every double (17 are needed), so arbitrary values come back a few ulp off.
    for (double v : {1.0 / 3.0, 0.1 + 0.2, 2.0 / 3.0 * 1e-9, 3.35e12 * 8})
        for (u::Dim d : {dims::kTime, dims::kPower, dims::kBandwidth}) {
            const std::string text = u::format_value(v, d);
            auto r = u::parse_as(text, d);
            INFO("value " << v << " printed as \"" << text << "\"");
            REQUIRE(r.value);
            CHECK(r.value->si == v);
        }
}

TEST_CASE("subnormal and extreme values round-trip exactly in every dimension", "[units][round-trip]") {
    // Subnormal doubles (below 2^-1022) have fewer than 52 bits, so dividing by 8 for bytes or by
    // a prefix loses some; huge masses overflow when printed in grams. The text still gives back
    // the same double.
    using L = std::numeric_limits<double>;
    const double values[] = {L::denorm_min(),       -L::denorm_min(),   7 * L::denorm_min(),
                             L::min() / 3,          L::min() - L::denorm_min(), 1.1114301000021266e-312,
                             L::min(),              L::max(),           -L::max() / 7,
                             1e-300,                1e300};
    const u::Dim dims_to_try[] = {dims::kTime,          dims::kFrequency,       dims::kInfo,
                                  dims::kBandwidth,     dims::kLength,          dims::kArea,
                                  dims::kEnergy,        dims::kPower,           dims::kEnergyPerBit,
                                  dims::kMoney,         dims::kMoneyPerEnergy,  dims::kMoneyPerTime,
                                  dims::kMoneyPerArea,  dims::kMoneyPerInfo,    dims::kCo2,
                                  dims::kCarbonIntensity, dims::kDefectDensity, dims::kCycles,
                                  dims::kMass,          u::pow(dims::kMass, 7), u::inverse(u::pow(dims::kMass, 5)),
                                  dims::kEnergy * dims::kTime};
    for (const u::Dim d : dims_to_try)
        for (const double v : values) {
            const std::string text = u::format_value(v, d);
            const u::ParseOutcome r = u::parse_value(text);
            INFO("value " << v << " printed as \"" << text << "\": " << r.error);
            REQUIRE(r.value);
            CHECK(r.value->dim == d);
            CHECK(r.value->si == v);
        }
}

TEST_CASE("mismatched dimensions are errors naming both dimensions", "[units][errors]") {
    auto check_names = [](const std::string& text, u::Dim expected, const std::string& got_name,
                          const std::string& expected_name) {
        const std::string e = error_of(text, expected);
        INFO("error: " << e);
        CHECK(e.find("wrong dimension") != std::string::npos);
        CHECK(e.find(got_name) != std::string::npos);
        CHECK(e.find(expected_name) != std::string::npos);
    };
    check_names("700 W", dims::kEnergy, "power", "energy");
    check_names("3.35 TB/s", dims::kInfo, "bandwidth", "data size");
    check_names("80 GiB", dims::kBandwidth, "data size", "bandwidth");
    check_names("1.83 GHz", dims::kTime, "frequency", "time");
    check_names("4 nm", dims::kArea, "length", "area");
    check_names("$25000", dims::kPower, "money", "power");
    check_names("0.4 pJ", dims::kEnergyPerBit, "energy", "energy per bit");
    check_names("380 gCO2/kWh", dims::kMoneyPerEnergy, "carbon intensity", "price per energy");
    CHECK(error_of("5", dims::kPower) == "missing unit");
    CHECK(error_of("5 W", dims::kNone).find("plain number") != std::string::npos);
    CHECK(u::dimension_name(dims::kBandwidth) == "bandwidth");
    CHECK(u::dimension_example(dims::kBandwidth) == "\"3.35 TB/s\"");
}

TEST_CASE("nan and infinity are rejected", "[units][errors]") {
    for (const char* t : {"nan", "NaN", "nan W", ".nan", ".inf", "-.inf", "inf", "inf W", "-inf W", "Infinity"}) {
        INFO(t);
        CHECK_FALSE(u::parse_value(t).value);
        CHECK_FALSE(u::parse_as(t, dims::kPower).value);
    }
    CHECK(error_of("nan W").find("finite") != std::string::npos);
    CHECK(error_of(".inf").find("finite") != std::string::npos);
    // finite numbers that overflow once scaled to SI
    CHECK_FALSE(u::parse_value("1e400 W").value);
    CHECK_FALSE(u::parse_value("1e300 PB").value);
}

TEST_CASE("values that overflow to infinity in special forms are rejected", "[units][errors]") {
    // GT/s and '$'-first values skip the finiteness check that other units get.
    CHECK_FALSE(u::parse_value("1e300 GT/s x16").value);
    CHECK_FALSE(u::parse_value("$1e300/fJ").value);
}

TEST_CASE("garbage is rejected", "[units][errors]") {
    for (const char* t : {"", "   ", "abc", "W", "GHz 1", "5 furlongs", "5 W W", "5 W/", "5 /", "1.2.3 W", "5 W^",
                          "5 m^x", "$", "$abc", "$5 W", "5 W/s/s", "0x10 W", "1e W", "5 GHzz", "- 5 W", "5 K$"}) {
        INFO("text: \"" << t << "\"");
        u::ParseOutcome r = u::parse_value(t);
        CHECK_FALSE(r.value.has_value());
        CHECK_FALSE(r.error.empty());
    }
    CHECK(error_of("").find("empty") != std::string::npos);
    CHECK(error_of("5 furlongs").find("unknown unit 'furlongs'") != std::string::npos);
    CHECK(error_of("abc").find("not a number") != std::string::npos);
}

TEST_CASE("bare numbers parse without a unit", "[units]") {
    for (auto [t, v] : std::vector<std::pair<const char*, double>>{
             {"8", 8.0}, {"-3", -3.0}, {"+2.5", 2.5}, {".5", 0.5}, {"300e9", 300e9}, {"1E-3", 1e-3}}) {
        u::ParseOutcome r = u::parse_value(t);
        INFO(t);
        REQUIRE(r.value);
        CHECK_FALSE(r.value->has_unit);
        CHECK(r.value->dim == dims::kNone);
        CHECK(r.value->si == Approx(v));
    }
}

namespace {
template <class A, class B>
concept Addable = requires(A a, B b) { a + b; };
template <class A, class B>
concept Comparable = requires(A a, B b) { a < b; };
}  // namespace

TEST_CASE("strong quantity types compose by dimension", "[units][quantity]") {
    static_assert(std::is_same_v<decltype(u::Joules(1) / u::Seconds(1)), u::Watts>);
    static_assert(std::is_same_v<decltype(u::Watts(1) * u::Seconds(1)), u::Joules>);
    static_assert(std::is_same_v<decltype(u::BitsPerSecond(1) * u::Seconds(1)), u::Bits>);
    static_assert(std::is_same_v<decltype(u::Bits(1) / u::BitsPerSecond(1)), u::Seconds>);
    static_assert(std::is_same_v<decltype(u::JoulesPerBit(1) * u::Bits(1)), u::Joules>);
    static_assert(std::is_same_v<decltype(u::DollarsPerJoule(1) * u::Joules(1)), u::Dollars>);
    static_assert(std::is_same_v<decltype(u::GramsCo2PerJoule(1) * u::Joules(1)), u::GramsCo2>);
    static_assert(std::is_same_v<decltype(u::Meters(1) * u::Meters(1)), u::SquareMeters>);
    static_assert(std::is_same_v<decltype(u::Dollars(1) / u::SquareMeters(1)), u::DollarsPerSquareMeter>);
    static_assert(std::is_same_v<decltype(u::Cycles(1) / u::Hertz(1)), u::Quantity<dims::kCycles * dims::kTime>>);
    static_assert(std::is_same_v<decltype(u::Hertz(1) * u::Seconds(1)), u::Quantity<dims::kNone>>);
    static_assert(Addable<u::Joules, u::Joules>);
    static_assert(!Addable<u::Joules, u::Watts>);
    static_assert(!Addable<u::Joules, double>);
    static_assert(!Comparable<u::Seconds, u::Hertz>);
    static_assert(!std::is_convertible_v<double, u::Watts>);  // explicit construction only
    static_assert(u::Joules::kDim == dims::kEnergy);
    static_assert(dims::kPower == dims::kEnergy / dims::kTime);
    static_assert(dims::kEnergy == dims::kMass * dims::kLength * dims::kLength / (dims::kTime * dims::kTime));

    constexpr u::Watts p = u::Joules(10.0) / u::Seconds(2.0);
    static_assert(p.si() == 5.0);
    constexpr u::Joules e = 2.0 * (p * u::Seconds(3.0));
    static_assert(e.si() == 30.0);
    static_assert(u::ratio(u::Watts(700), u::Watts(350)) == 2.0);
    static_assert(u::from_bytes(2).si() == 16.0);

    u::Joules total(1.0);
    total += u::Joules(2.0);
    total -= u::Joules(0.5);
    CHECK(total.si() == 2.5);
    CHECK(u::Watts(300) < u::Watts(700));
    CHECK((u::Watts(700) - u::Watts(300)).si() == 400.0);
    CHECK((u::Watts(700) / 7.0).si() == 100.0);
    // a step of 1.2 s at 700 W, over 80 GiB moved: energy per bit
    const u::JoulesPerBit per_bit = (u::Watts(700) * u::Seconds(1.2)) / u::from_bytes(80 * kKi * kKi * kKi);
    CHECK(per_bit.si() == Approx(840.0 / (80 * kKi * kKi * kKi * 8)));
}

TEST_CASE("dimension algebra", "[units][dimension]") {
    static_assert(u::pow(dims::kLength, 2) == dims::kArea);
    static_assert(u::pow(dims::kArea, -1) == dims::kDefectDensity);
    static_assert(u::pow(dims::kTime, 0) == dims::kNone);
    static_assert(u::inverse(dims::kFrequency) == dims::kTime);
    static_assert(!(dims::kCo2 == dims::kMass));  // carbon never mixes with mass
    CHECK(u::canonical_unit(dims::kBandwidth) == "B/s");
    CHECK(u::canonical_unit(dims::kArea) == "mm^2");
    CHECK(u::dimension_name(dims::kEnergy * dims::kTime).find("unit") == 0);
}
