#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dse/units/unit_parser.h"
#include "tests/fuzz/fuzz_targets.h"

namespace chipdse::fuzz {
namespace {

[[noreturn]] void fail(const char* what, std::string_view input, const std::string& detail) {
    std::fprintf(stderr, "fuzz_units: %s\n  input: \"%.*s\"\n  %s\n", what, static_cast<int>(input.size()),
                 input.data(), detail.c_str());
    std::abort();
}

bool close(double a, double b) {
    if (a == b) return true;
    return std::fabs(a - b) <= 1e-12 * std::fmax(std::fabs(a), std::fabs(b));
}

}  // namespace

void fuzz_units(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const units::ParseOutcome out = units::parse_value(text);
    if (!out.value) {
        if (out.error.empty()) fail("no value and no error", text, "");
        return;
    }
    const units::ParsedValue v = *out.value;
    if (!std::isfinite(v.si)) fail("parsed value is not finite", text, std::to_string(v.si));
    // parse_as with the written dimension (and a clock for cycles) agrees with parse_value.
    // Dimensionless units ("5 FLOP") are refused where a bare count is expected, by design.
    if (v.dim == units::dims::kNone && v.has_unit) return;
    const units::ParseOutcome as = units::parse_as(text, v.dim, 1e9);
    if (!as.value) fail("parse_as rejects its own dimension", text, as.error);
    if (!close(as.value->si, v.si)) fail("parse_as disagrees with parse_value", text, std::to_string(as.value->si));
    (void)units::parse_as(text, units::dims::kTime, 1.5e9);
    (void)units::parse_as(text, units::dims::kBandwidth);
    if (!v.has_unit) return;
    // Round trip through the canonical form gives back the same double, subnormal values and
    // values near the limits of a double included.
    const std::string printed = units::format_value(v.si, v.dim);
    const units::ParseOutcome back = units::parse_value(printed);
    if (!back.value) fail("format_value output does not parse", text, printed + ": " + back.error);
    if (!(back.value->dim == v.dim)) fail("round trip changed the dimension", text, printed);
    if (back.value->si != v.si) {
        char got[64];
        std::snprintf(got, sizeof got, "%.17g", back.value->si);
        fail("round trip changed the value", text, printed + " -> " + got);
    }
    (void)units::format_value(v.si, v.dim, 3);
}

}  // namespace chipdse::fuzz
