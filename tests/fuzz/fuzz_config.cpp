#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "dse/config/config_loader.h"
#include "dse/config/diagnostics.h"
#include "dse/spec/design_loader.h"
#include "tests/fuzz/fuzz_targets.h"

namespace chipdse::fuzz {
namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz_config: %s\n%s\n", what, detail.c_str());
    std::abort();
}

}  // namespace

void fuzz_config(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        config::Diagnostics diag;
        config::ConfigNode tree = config::load_config_text(text, "fuzz.yaml", diag);
        if (!diag.empty()) {
            (void)diag.format();
            return;
        }
        spec::DesignSpec spec;
        spec::bind_design(tree, spec, diag);
        if (!diag.empty()) {
            (void)diag.format();
            return;
        }
        // A design that binds prints as YAML that binds again.
        const std::string resolved = spec::resolved_yaml(spec);
        // a design with no sections prints as nothing, and an empty file is an error by design
        if (resolved.find_first_not_of(" \n{}") == std::string::npos) return;
        config::Diagnostics diag2;
        config::ConfigNode tree2 = config::load_config_text(resolved, "resolved.yaml", diag2);
        spec::DesignSpec spec2;
        if (diag2.empty()) spec::bind_design(tree2, spec2, diag2);
        if (!diag2.empty()) fail("resolved YAML of a bound design does not bind", resolved + "\n" + diag2.format());
    } catch (const std::exception& e) {
        fail("exception escaped", e.what());
    }
}

}  // namespace chipdse::fuzz
