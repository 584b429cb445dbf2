// Replays the fuzz corpus and every crasher found (tests/fuzz/{corpus,crashers}/<target>/) through
// the fuzz targets, so a gcc build without libFuzzer keeps them as regression inputs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "dse/units/unit_parser.h"
#include "tests/fuzz/fuzz_targets.h"

namespace fs = std::filesystem;

namespace {

using Target = void (*)(const std::uint8_t*, std::size_t);

// A target aborts on a broken invariant; the handler names the input that did it.
std::string g_current;
extern "C" void name_the_input(int) {
    std::fprintf(stderr, "\nfuzz replay aborted on input %s\n", g_current.c_str());
}

// Runs every file under the given directories; returns how many ran.
std::size_t replay(Target target, const std::vector<std::string>& dirs) {
    std::vector<fs::path> files;
    for (const auto& d : dirs) {
        const fs::path dir = fs::path(CHIPDSE_FUZZ_DIR) / d;
        if (!fs::is_directory(dir)) continue;
        for (const auto& e : fs::directory_iterator(dir))
            if (e.is_regular_file()) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::signal(SIGABRT, name_the_input);
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        g_current = f.string();
        target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    }
    return files.size();
}

}  // namespace

TEST_CASE("fuzz corpus: units parser", "[fuzz]") {
    const std::size_t n = replay(chipdse::fuzz::fuzz_units, {"corpus/units", "crashers/units"});
    CHECK(n >= 20);
}

TEST_CASE("fuzz corpus: config loader and design binding", "[fuzz]") {
    const std::size_t n = replay(chipdse::fuzz::fuzz_config, {"corpus/config", "crashers/config"});
    CHECK(n >= 20);
}

// Bugs the fuzzer found, checked by value as well as replayed.
TEST_CASE("units parser: huge unit exponents are refused, not looped over", "[fuzz][units]") {
    using chipdse::units::parse_value;
    for (const char* text : {"7 m^2111111111111111/bit", "1 m^13", "1 s^-13", "1 m^100",
                             "1 m^9*m^9*m^9*m^9*m^9*m^9*m^9*m^9*m^9*m^9*m^9*m^9*m^9*m^9*m^9"}) {
        INFO(text);
        const auto out = parse_value(text);
        CHECK_FALSE(out.value);
        CHECK(out.error.find("exponent out of range") != std::string::npos);
    }
    CHECK(parse_value("2 m^3").value);
    CHECK(parse_value("1 kg*m^2/s^3").value);
}

TEST_CASE("units parser: a decimal exponent past int does not wrap around", "[fuzz][units]") {
    using chipdse::units::parse_value;
    // was read as 1 TB/s: atoi("-4294967296") wrapped to 0
    const auto tiny = parse_value("1e-4294967296 TB/s");
    REQUIRE(tiny.value);
    CHECK(tiny.value->si == 0.0);
    const auto huge = parse_value("1e4294967296 TB/s");
    CHECK_FALSE(huge.value);
    CHECK(huge.error == "value out of range");
    CHECK(parse_value("1e400 GHz").error == "value out of range");
    CHECK(parse_value("GHz").error == "not a number");
}
