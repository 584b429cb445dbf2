#pragma once
// Parsing and printing of dimensioned values: "3.35 TB/s", "80 GiB", "$25000", "0.4 pJ/bit",
// "380 gCO2/kWh", "32 GT/s x16", "12 cycles". Values come back in SI base units.
#include <optional>
#include <string>
#include <string_view>

#include "dse/units/dimension.h"

namespace chipdse::units {

struct ParsedValue {
    double si = 0.0;     // value in SI base units (cycles stay cycles)
    Dim dim{};           // dimension of the unit written, dims::kNone for a bare number
    bool has_unit = false;
};

// Outcome of a parse: either a value or a message saying what is wrong with the text.
struct ParseOutcome {
    std::optional<ParsedValue> value;
    std::string error;  // empty when value is set
};

// Parses a number with an optional unit expression. Never throws.
ParseOutcome parse_value(std::string_view text);

// Parses and checks the dimension. A value in cycles is accepted for a time only when
// clock_hz is given and converted with it. Errors name the rule, not the key (callers add it).
ParseOutcome parse_as(std::string_view text, Dim expected, std::optional<double> clock_hz = std::nullopt);

// Prints an SI value in the customary unit of its dimension with a fitting prefix,
// e.g. 3.35e12*8 bit/s -> "3.35 TB/s"; 80*2^30*8 bit -> "80 GiB". parse(format(x)) == x.
std::string format_value(double si, Dim dim);
// The same, rounded to `digits` significant digits for display (not for round trips).
std::string format_value(double si, Dim dim, int digits);

// The canonical unit symbol used by format_value for a dimension ("B/s", "J", "mm^2").
std::string canonical_unit(Dim dim);

}  // namespace chipdse::units
