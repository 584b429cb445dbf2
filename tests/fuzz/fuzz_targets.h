#pragma once
// The fuzz targets, shared by the libFuzzer entry points (clang, CHIPDSE_FUZZ) and the corpus
// replay test (any compiler). Contract: each target returns normally on any input; a broken
// invariant aborts with a message (a crash for libFuzzer, a failed test for the replay).
#include <cstddef>
#include <cstdint>

namespace chipdse::fuzz {

// parse_value / parse_as on the text; when it parses, format_value and parse again must give
// the same value and dimension, and no parsed value is NaN or infinite.
void fuzz_units(const std::uint8_t* data, std::size_t size);

// load_config_text, then spec::bind_design through the design schema, then resolved_yaml of a
// bound spec must load and bind again without errors. Nothing may throw.
void fuzz_config(const std::uint8_t* data, std::size_t size);

}  // namespace chipdse::fuzz
