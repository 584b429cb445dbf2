#pragma once
// Reading configuration files into located trees: YAML parsing, `include:` resolution with
// overrides, and `--set path=value` assignments. Problems are collected, never thrown.
#include <string>
#include <vector>

#include "dse/config/config_node.h"

namespace chipdse::config {

// Loads a YAML file and the files it includes. `include:` (a path or a list of paths,
// relative to the including file) names base files; the including file overrides them, and
// later includes override earlier ones. Returns a map node (empty on errors).
ConfigNode load_config_file(const std::string& path, Diagnostics& diag);

// Parses YAML text as if read from `label` (used by tests and the Python API).
ConfigNode load_config_text(const std::string& text, const std::string& label, Diagnostics& diag);

// Applies "path.to.key=value" to the tree; the value is parsed as YAML (so lists work) and
// located at `origin` (e.g. "--set"). Returns false and records a diagnostic when malformed.
bool apply_assignment(ConfigNode& root, const std::string& assignment, const std::string& origin,
                      Diagnostics& diag);

// Sets a value at a dotted path, creating maps on the way.
void set_at_path(ConfigNode& root, const std::string& dotted, ConfigNode value);

}  // namespace chipdse::config
