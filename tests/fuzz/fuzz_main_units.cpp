// libFuzzer entry point (clang -fsanitize=fuzzer); see docs/reliability.md.
#include "tests/fuzz/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    chipdse::fuzz::fuzz_units(data, size);
    return 0;
}
