#pragma once
// Builds typed designs from YAML text for model tests.
#include <string>

#include "dse/spec/design_spec.h"

namespace chipdse::test {

// Binds YAML text through the design schema; fails the test on any diagnostic.
spec::DesignSpec design_from_yaml(const std::string& yaml);
// The same with a second document merged over the first (its keys override).
spec::DesignSpec design_from_yaml(const std::string& base, const std::string& overlay);

// An A100-like chip and a DGX-like cluster (numbers from NVIDIA's A100 datasheet).
extern const char* const kA100System;

}  // namespace chipdse::test
