#include "dse/units/unit_parser.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <string>
#include <vector>

namespace chipdse::units {
namespace {

struct Prefix {
    std::string_view symbol;
    double factor;
};

// SI prefixes (deci, deca and hecto left out on purpose: they make "d", "da" and "h" ambiguous).
constexpr std::array<Prefix, 15> kSiPrefixes{{{"f", 1e-15}, {"p", 1e-12}, {"n", 1e-9}, {"u", 1e-6},
                                               {"\xC2\xB5", 1e-6}, {"m", 1e-3}, {"c", 1e-2},
                                               {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12},
                                               {"P", 1e15}, {"E", 1e18}, {"B", 1e9}, {"K", 1e3}}};
constexpr std::array<Prefix, 6> kIecPrefixes{{{"Ki", 1024.0},
                                              {"Mi", 1024.0 * 1024},
                                              {"Gi", 1024.0 * 1024 * 1024},
                                              {"Ti", 1024.0 * 1024 * 1024 * 1024},
                                              {"Pi", 1024.0 * 1024 * 1024 * 1024 * 1024},
                                              {"Ei", 1024.0 * 1024 * 1024 * 1024 * 1024 * 1024}}};

enum PrefixRule : unsigned { kNoPrefix = 0, kSi = 1, kIec = 2, kUpperK = 4, kBillion = 8 };

struct BaseUnit {
    std::string_view symbol;
    double factor;  // SI value of one unit
    Dim dim;
    unsigned prefixes;
};

using namespace dims;
// Order matters only for exact matches, which are tried before prefix splits.
const std::vector<BaseUnit>& base_units() {
    static const std::vector<BaseUnit> k{
        {"s", 1.0, kTime, kSi},
        {"min", 60.0, kTime, kNoPrefix},
        {"h", 3600.0, kTime, kNoPrefix},
        {"day", 86400.0, kTime, kNoPrefix},
        {"days", 86400.0, kTime, kNoPrefix},
        {"year", 365.25 * 86400.0, kTime, kNoPrefix},
        {"Hz", 1.0, kFrequency, kSi},
        {"bit", 1.0, kInfo, kSi | kIec | kUpperK},
        {"b", 1.0, kInfo, kSi | kIec | kUpperK},
        {"B", 8.0, kInfo, kSi | kIec | kUpperK},
        {"J", 1.0, kEnergy, kSi},
        {"Wh", 3600.0, kEnergy, kSi},
        {"W", 1.0, kPower, kSi},
        {"m", 1.0, kLength, kSi},
        {"g", 1e-3, kMass, kSi},
        {"gCO2", 1.0, kCo2, kSi},
        {"gCO2e", 1.0, kCo2, kSi},
        {"tCO2", 1e6, kCo2, kNoPrefix},
        {"tCO2e", 1e6, kCo2, kNoPrefix},
        {"$", 1.0, kMoney, kSi | kBillion},
        {"USD", 1.0, kMoney, kSi | kBillion},
        {"FLOP", 1.0, kNone, kSi},
        {"cycle", 1.0, kCycles, kSi},
        {"cycles", 1.0, kCycles, kSi},
    };
    return k;
}

bool allowed(const Prefix& p, unsigned rule) {
    if (p.symbol == "K") return rule & kUpperK;
    if (p.symbol == "B") return rule & kBillion;
    return rule & kSi;
}

// Resolves one unit symbol such as "TB", "KiB", "pJ", "mm", "k$" (prefix after or before).
std::optional<std::pair<double, Dim>> resolve_symbol(std::string_view sym) {
    for (const auto& u : base_units())
        if (sym == u.symbol) return std::make_pair(u.factor, u.dim);
    for (const auto& u : base_units()) {
        if (u.prefixes == kNoPrefix || sym.size() <= u.symbol.size()) continue;
        if (sym.substr(sym.size() - u.symbol.size()) != u.symbol) continue;
        std::string_view pre = sym.substr(0, sym.size() - u.symbol.size());
        if (u.prefixes & kIec)
            for (const auto& p : kIecPrefixes)
                if (pre == p.symbol) return std::make_pair(u.factor * p.factor, u.dim);
        for (const auto& p : kSiPrefixes)
            if (pre == p.symbol && allowed(p, u.prefixes)) return std::make_pair(u.factor * p.factor, u.dim);
    }
    // Money written with the prefix after the sign: "k$", "M$" is handled above; "$k" is not accepted.
    return std::nullopt;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Largest exponent of a base dimension in a unit ("m^3", "s^-2"); far beyond any real unit.
constexpr int kMaxExponent = 12;

// Parses a unit expression: term (('/'|'*'|'.') term)*, term = symbol ['^' int]. A leading
// '/' means 1/...
std::optional<std::pair<double, Dim>> parse_unit_expr(std::string_view expr, std::string& error) {
    double factor = 1.0;
    Dim dim{};
    bool divide = false;
    size_t i = 0;
    bool expect_term = true;
    while (i < expr.size()) {
        char c = expr[i];
        if (c == ' ') { ++i; continue; }
        if (c == '/' || c == '*') {
            if (c == '/' && divide) {
                error = "more than one '/' in unit '" + std::string(expr) + "'";
                return std::nullopt;
            }
            divide = divide || c == '/';
            expect_term = true;
            ++i;
            continue;
        }
        if (!expect_term) {
            error = "unexpected '" + std::string(expr.substr(i)) + "' in unit '" + std::string(expr) + "'";
            return std::nullopt;
        }
        size_t j = i;
        while (j < expr.size() && expr[j] != '/' && expr[j] != '*' && expr[j] != '^' && expr[j] != ' ') ++j;
        std::string_view sym = expr.substr(i, j - i);
        int power = 1;
        if (j < expr.size() && expr[j] == '^') {
            size_t k = j + 1;
            bool neg = k < expr.size() && expr[k] == '-';
            if (neg) ++k;
            size_t start = k;
            while (k < expr.size() && std::isdigit(static_cast<unsigned char>(expr[k]))) ++k;
            if (k == start) {
                error = "bad exponent in unit '" + std::string(expr) + "'";
                return std::nullopt;
            }
            // small exponents only: a Dim holds 8-bit exponents, and pow() loops |power| times
            if (k - start > 2 || std::atoi(std::string(expr.substr(start, k - start)).c_str()) > kMaxExponent) {
                error = "exponent out of range in unit '" + std::string(expr) + "'; expected at most " +
                        std::to_string(kMaxExponent);
                return std::nullopt;
            }
            power = std::atoi(std::string(expr.substr(start, k - start)).c_str()) * (neg ? -1 : 1);
            j = k;
        }
        auto r = resolve_symbol(sym);
        if (!r) {
            error = "unknown unit '" + std::string(sym) + "'";
            return std::nullopt;
        }
        int p = divide ? -power : power;
        const Dim d = r->second;
        for (int e : {d.time, d.length, d.mass, d.info, d.money, d.co2, d.cycles})
            if (e * p > kMaxExponent || e * p < -kMaxExponent) {
                error = "exponent out of range in unit '" + std::string(expr) + "'; expected at most " +
                        std::to_string(kMaxExponent);
                return std::nullopt;
            }
        const Dim next = dim * pow(d, p);
        for (int e : {next.time, next.length, next.mass, next.info, next.money, next.co2, next.cycles})
            if (e > kMaxExponent || e < -kMaxExponent) {
                error = "exponent out of range in unit '" + std::string(expr) + "'; expected at most " +
                        std::to_string(kMaxExponent);
                return std::nullopt;
            }
        factor *= std::pow(r->first, p);
        dim = next;
        expect_term = false;
        i = j;
    }
    if (expect_term) {
        error = "incomplete unit '" + std::string(expr) + "'";
        return std::nullopt;
    }
    return std::make_pair(factor, dim);
}

// Reads a decimal number at the start of s: [+-]digits[.digits][e[+-]digits]. No nan/inf/hex.
std::optional<double> read_number(std::string_view s, size_t& used) {
    size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) { ++i; ++digits; }
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) { ++i; ++digits; }
    }
    if (digits == 0) return std::nullopt;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        size_t k = i + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        size_t start = k;
        while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
        if (k > start) i = k;  // "1e" without digits leaves 'e' to the unit (it is not a unit: error)
    }
    used = i;
    double v = std::strtod(std::string(s.substr(0, i)).c_str(), nullptr);
    if (!std::isfinite(v)) return std::nullopt;
    return v;
}

// Shortest text with at most `digits` significant digits; at 15 (the round-trip setting) it
// widens to 16 or 17 digits when needed so that parsing the text gives back the same double.
std::string number_text(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (digits >= 15) {
        for (int d = 16; d <= 17 && std::strtod(buf, nullptr) != v; ++d) std::snprintf(buf, sizeof buf, "%.*g", d, v);
    }
    return buf;
}

// A unit factor written as m x 10^k with m a power of two (1, 8, 1/8 ...), so that values can
// be scaled by decimal exponents exactly (through the decimal text) and by m without rounding.
struct Decimal {
    double m = 1;
    int k = 0;
    bool exact = false;
};
Decimal decompose(double f) {
    Decimal d;
    if (!(f > 0) || !std::isfinite(f)) return d;
    d.k = static_cast<int>(std::floor(std::log10(f) + 1e-9));
    const double p = std::strtod(("1e" + std::to_string(d.k)).c_str(), nullptr);
    double m = f / p;
    if (std::fabs(m - std::round(m)) < 1e-9 * m) m = std::round(m);
    int e = 0;
    d.m = m;
    d.exact = std::frexp(m, &e) == 0.5;
    return d;
}

// `value x 10^shift` as decimal text with `digits` significant digits, %g style.
std::string shifted_text(double value, int shift, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, value);
    std::string t(buf);
    size_t epos = t.find('e');
    std::string mant = t.substr(0, epos);
    int exp10 = std::atoi(t.c_str() + epos + 1) + shift;
    bool neg = !mant.empty() && mant[0] == '-';
    if (neg) mant.erase(0, 1);
    std::string ds;
    for (char c : mant)
        if (c != '.') ds += c;
    while (ds.size() > 1 && ds.back() == '0') ds.pop_back();
    std::string out;
    if (exp10 < -5 || exp10 >= digits) {
        out = ds.substr(0, 1);
        if (ds.size() > 1) out += "." + ds.substr(1);
        out += "e" + std::string(exp10 < 0 ? "-" : "+") + (std::abs(exp10) < 10 ? "0" : "") + std::to_string(std::abs(exp10));
    } else if (exp10 < 0) {
        out = "0." + std::string(static_cast<size_t>(-exp10 - 1), '0') + ds;
    } else {
        if (ds.size() <= static_cast<size_t>(exp10) + 1) out = ds + std::string(static_cast<size_t>(exp10) + 1 - ds.size(), '0');
        else out = ds.substr(0, static_cast<size_t>(exp10) + 1) + "." + ds.substr(static_cast<size_t>(exp10) + 1);
    }
    return neg ? "-" + out : out;
}

// si / factor as text, exact in the decimal exponent.
std::string scaled_text(double si, double factor, int digits) {
    Decimal d = decompose(factor);
    if (d.exact) return shifted_text(si / d.m, -d.k, digits);
    return number_text(si / factor, digits);
}

ParseOutcome fail(std::string msg) { return ParseOutcome{std::nullopt, std::move(msg)}; }

}  // namespace

ParseOutcome parse_value(std::string_view text) {
    std::string_view s = trim(text);
    if (s.empty()) return fail("empty value");
    bool dollar_first = false;
    bool negative = false;
    if (s.front() == '-' && s.size() > 1 && s[1] == '$') {
        negative = true;
        s.remove_prefix(1);
    }
    if (s.front() == '$') {
        dollar_first = true;
        s.remove_prefix(1);
        s = trim(s);
    }
    size_t used = 0;
    auto number = read_number(s, used);
    if (!number) {
        std::string low(s);
        for (auto& ch : low) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (low.rfind("nan", 0) == 0 || low.rfind("inf", 0) == 0 || low.rfind(".nan", 0) == 0 ||
            low.rfind(".inf", 0) == 0 || low.rfind("-inf", 0) == 0 || low.rfind("-.inf", 0) == 0)
            return fail("not a finite number");
        // digits that overflow a double ("1e400") are a number, just too big
        if (size_t d = s.find_first_not_of("+-."); d != std::string_view::npos && std::isdigit(static_cast<unsigned char>(s[d])))
            return fail("value out of range");
        return fail("not a number");
    }
    double v = negative ? -*number : *number;
    std::string_view rest = trim(s.substr(used));

    // "32 GT/s x16": transfers per second times a lane width gives bits per second.
    if (!dollar_first) {
        size_t t = rest.find("T/s");
        bool transfers = t == 0 || (t == 1 && std::string_view("kMGT").find(rest[0]) != std::string_view::npos);
        if (t != std::string_view::npos && transfers) {
            double pf = 1.0;
            if (t == 1) pf = resolve_symbol(std::string(rest.substr(0, 1)) + "s")->first;
            std::string_view width = trim(rest.substr(t + 3));
            if (width.empty())
                return fail("GT/s needs a lane width to become a bandwidth, e.g. \"32 GT/s x16\"");
            if (width.front() != 'x' && width.front() != 'X')
                return fail("expected a lane width like 'x16' after T/s");
            width.remove_prefix(1);
            size_t wu = 0;
            auto lanes = read_number(width, wu);
            if (!lanes || wu != width.size() || *lanes <= 0 || *lanes != std::floor(*lanes))
                return fail("lane width must be a positive whole number, e.g. 'x16'");
            const double bw = v * pf * *lanes;
            if (!std::isfinite(bw)) return fail("value out of range");
            return ParseOutcome{ParsedValue{bw, dims::kBandwidth, true}, {}};
        }
    }

    ParsedValue out;
    out.si = v;
    if (dollar_first) {
        out.has_unit = true;
        out.dim = dims::kMoney;
        if (!rest.empty()) {
            if (rest.front() != '/')
                return fail("after '$' and a number only '/unit' may follow, e.g. \"$0.08/kWh\"");
            std::string err;
            auto u = parse_unit_expr(rest, err);
            if (!u) return fail(err);
            out.si *= u->first;
            out.dim = out.dim * u->second;
        }
        if (!std::isfinite(out.si)) return fail("value out of range");
        return ParseOutcome{out, {}};
    }
    if (rest.empty()) return ParseOutcome{out, {}};
    std::string err;
    auto u = parse_unit_expr(rest, err);
    if (!u) return fail(err);
    if (Decimal dd = decompose(u->first); dd.exact) {
        // scale through the decimal text so that "350 ns" is exactly the double 350e-9
        std::string num(s.substr(0, used));
        int exp10 = dd.k;
        if (size_t e = num.find_first_of("eE"); e != std::string::npos) {
            // clamped: an exponent past int (1e-4294967296) must not wrap to a small one
            exp10 += static_cast<int>(std::clamp(std::strtoll(num.c_str() + e + 1, nullptr, 10), -100000LL, 100000LL));
            num.resize(e);
        }
        out.si = std::strtod((num + "e" + std::to_string(exp10)).c_str(), nullptr) * dd.m * (negative ? -1 : 1);
    } else {
        out.si *= u->first;
    }
    out.dim = u->second;
    out.has_unit = true;
    if (!std::isfinite(out.si)) return fail("value out of range");
    return ParseOutcome{out, {}};
}

ParseOutcome parse_as(std::string_view text, Dim expected, std::optional<double> clock_hz) {
    ParseOutcome r = parse_value(text);
    if (!r.value) return r;
    ParsedValue& v = *r.value;
    if (expected == dims::kNone) {
        if (v.has_unit) return fail("a plain number is expected here, without a unit");
        return r;
    }
    if (!v.has_unit) return fail("missing unit");
    if (v.dim == dims::kCycles && expected == dims::kTime) {
        if (!clock_hz) return fail("cycles need a known clock, and none applies here");
        v.si = v.si / *clock_hz;
        v.dim = dims::kTime;
        return r;
    }
    if (!(v.dim == expected))
        return fail("wrong dimension: " + dimension_name(v.dim) + " where " + dimension_name(expected) +
                    " is expected");
    return r;
}

std::string dimension_name(Dim d) {
    struct Named {
        Dim dim;
        const char* name;
    };
    static const Named names[] = {
        {dims::kNone, "a plain number"},      {dims::kTime, "time"},
        {dims::kFrequency, "frequency"},      {dims::kInfo, "data size"},
        {dims::kBandwidth, "bandwidth"},      {dims::kLength, "length"},
        {dims::kArea, "area"},                {dims::kEnergy, "energy"},
        {dims::kPower, "power"},              {dims::kEnergyPerBit, "energy per bit"},
        {dims::kMoney, "money"},              {dims::kMoneyPerEnergy, "price per energy"},
        {dims::kMoneyPerTime, "price per time"}, {dims::kMoneyPerArea, "price per area"},
        {dims::kMoneyPerInfo, "price per data size"}, {dims::kCo2, "CO2 mass"},
        {dims::kCarbonIntensity, "carbon intensity"}, {dims::kDefectDensity, "defect density"},
        {dims::kCycles, "clock cycles"},      {dims::kMass, "mass"},
    };
    for (const auto& n : names)
        if (n.dim == d) return n.name;
    return "unit " + canonical_unit(d);
}

std::string dimension_example(Dim d) {
    struct Ex {
        Dim dim;
        const char* text;
    };
    static const Ex ex[] = {
        {dims::kTime, "\"10 ns\""},           {dims::kFrequency, "\"1.83 GHz\""},
        {dims::kInfo, "\"80 GiB\""},          {dims::kBandwidth, "\"3.35 TB/s\""},
        {dims::kLength, "\"4 nm\""},          {dims::kArea, "\"814 mm^2\""},
        {dims::kEnergy, "\"0.4 pJ\""},        {dims::kPower, "\"700 W\""},
        {dims::kEnergyPerBit, "\"3.9 pJ/bit\""}, {dims::kMoney, "\"$25000\""},
        {dims::kMoneyPerEnergy, "\"$0.08/kWh\""}, {dims::kMoneyPerTime, "\"$2/h\""},
        {dims::kMoneyPerArea, "\"$0.1/mm^2\""}, {dims::kMoneyPerInfo, "\"$10/GB\""},
        {dims::kCo2, "\"291 tCO2e\""},        {dims::kCarbonIntensity, "\"380 gCO2/kWh\""},
        {dims::kDefectDensity, "\"0.1 /cm^2\""}, {dims::kCycles, "\"12 cycles\""},
    };
    for (const auto& e : ex)
        if (e.dim == d) return e.text;
    return "\"1 " + canonical_unit(d) + "\"";
}

namespace {

// Display units per dimension: symbol, SI value of one unit, prefix family allowed.
struct Display {
    Dim dim;
    const char* symbol;  // printed after the prefix
    double unit_si;
    bool prefixed;
};

const Display* display_for(Dim d) {
    static const Display table[] = {
        {dims::kTime, "s", 1.0, true},          {dims::kFrequency, "Hz", 1.0, true},
        {dims::kInfo, "B", 8.0, true},          {dims::kBandwidth, "B/s", 8.0, true},
        {dims::kLength, "m", 1.0, true},        {dims::kArea, "mm^2", 1e-6, false},
        {dims::kEnergy, "J", 1.0, true},        {dims::kPower, "W", 1.0, true},
        {dims::kEnergyPerBit, "J/bit", 1.0, true}, {dims::kMoney, "$", 1.0, false},
        {dims::kMoneyPerEnergy, "$/kWh", 1.0 / 3.6e6, false}, {dims::kMoneyPerTime, "$/h", 1.0 / 3600, false},
        {dims::kMoneyPerArea, "$/mm^2", 1e6, false}, {dims::kMoneyPerInfo, "$/GB", 1.0 / 8e9, false},
        {dims::kCo2, "gCO2", 1.0, true},        {dims::kCarbonIntensity, "gCO2/kWh", 1.0 / 3.6e6, false},
        {dims::kDefectDensity, "/cm^2", 1e4, false}, {dims::kCycles, "cycles", 1.0, false},
        {dims::kMass, "g", 1e-3, true},
    };
    for (const auto& t : table)
        if (t.dim == d) return &t;
    return nullptr;
}



}  // namespace

namespace {

// "sym^e" factors joined by "*", in the order given, skipping zero exponents.
std::string unit_product(std::initializer_list<std::pair<const char*, int>> factors) {
    std::string out;
    for (const auto& [sym, e] : factors) {
        if (e == 0) continue;
        if (!out.empty()) out += "*";
        out += sym;
        if (e != 1) out += "^" + std::to_string(e);
    }
    return out;
}

// The dimension as a product of SI base units whose factor is exactly 1 ("kg*m^2*s^-3"): a
// value printed in it with 17 digits parses back to the same double, whatever its size.
std::string si_base_unit(Dim d) {
    return unit_product({{"kg", d.mass}, {"m", d.length}, {"s", d.time}, {"bit", d.info}, {"$", d.money},
                         {"gCO2", d.co2}, {"cycles", d.cycles}});
}

}  // namespace

std::string canonical_unit(Dim d) {
    if (const Display* t = display_for(d)) return t->symbol;
    return unit_product({{"s", d.time}, {"m", d.length}, {"g", d.mass}, {"bit", d.info}, {"$", d.money},
                         {"gCO2", d.co2}, {"cycles", d.cycles}});
}

std::string format_value(double si, Dim dim) {
    // Round-trip mode: widen the digits until the text parses back to the same double. Scaling by
    // a prefix or a display unit can cost bits: subnormal values (below ~2.2e-308) have too few
    // to survive a division by 8 (bytes), and grams overflow near 1e300 kg^n. The last resort is
    // the SI base unit with factor 1, where strtod's exact rounding gives the double back.
    for (int digits : {15, 16, 17}) {
        std::string text = format_value(si, dim, digits);
        auto back = parse_value(text);
        if (back.value && back.value->si == si) return text;
    }
    const Display* t = display_for(dim);
    if (t && t->prefixed && t->unit_si == 1.0) {
        std::string text = chipdse::units::number_text(si, 17) + " " + t->symbol;
        auto back = parse_value(text);
        if (back.value && back.value->si == si) return text;
    }
    if (dim == dims::kNone) return chipdse::units::number_text(si, 17);
    return chipdse::units::number_text(si, 17) + " " + si_base_unit(dim);
}

std::string format_value(double si, Dim dim, int digits) {
    auto number_text = [digits](double v) { return chipdse::units::number_text(v, digits); };
    auto scaled = [digits](double v, double factor) { return scaled_text(v, factor, digits); };
    if (dim == dims::kNone) return number_text(si);
    const Display* t = display_for(dim);
    if (!t) {
        // Dimensions without a display unit print in SI base units (mass in grams).
        return number_text(dim.mass ? si * std::pow(1e3, dim.mass) : si) + " " + canonical_unit(dim);
    }
    if (dim == dims::kMoney) {
        if (si < 0) return "-$" + scaled(-si, t->unit_si);
        return "$" + scaled(si, t->unit_si);
    }
    if (si == 0.0 && dim == dims::kEnergyPerBit) return "0 pJ/bit";
    if (!t->prefixed || si == 0.0) return scaled(si, t->unit_si) + " " + t->symbol;
    const double a = std::fabs(si / t->unit_si);
    // Bytes: IEC when the value is an exact binary multiple that is not also a decimal one.
    if (dim == dims::kInfo) {
        static const char* iec[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
        for (int k = 6; k >= 1; --k) {
            double base = std::pow(1024.0, k);
            double dec = std::pow(1000.0, k);
            // display (rounded) values of memory sizes use binary prefixes, as tools report them
            const bool display = digits < 15;
            if (a >= base && (display || (std::fmod(a, base) == 0.0 && std::fmod(a, dec) != 0.0)))
                return number_text(si / t->unit_si / base) + " " + iec[k - 1] + t->symbol;
        }
    }
    static const Prefix pf[] = {{"E", 1e18}, {"P", 1e15}, {"T", 1e12}, {"G", 1e9}, {"M", 1e6}, {"k", 1e3},
                                {"", 1.0},   {"m", 1e-3}, {"u", 1e-6}, {"n", 1e-9}, {"p", 1e-12}, {"f", 1e-15}};
    for (const auto& p : pf) {
        if (a >= p.factor * (1.0 - 1e-12)) return scaled(si, t->unit_si * p.factor) + " " + std::string(p.symbol) + t->symbol;
    }
    return scaled(si, t->unit_si * 1e-15) + " f" + t->symbol;
}

}  // namespace chipdse::units
