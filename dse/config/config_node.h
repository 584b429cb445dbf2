#pragma once
// A located configuration tree: YAML parsed into maps, lists and scalars that remember the
// file and line they came from, so that every error can point at its source. Includes and
// command-line overrides are applied on this tree before schemas bind it to typed specs.
#include <string>
#include <utility>
#include <vector>

#include "dse/config/diagnostics.h"

namespace chipdse::config {

class ConfigNode {
public:
    enum class Kind { kNull, kScalar, kMap, kList };

    ConfigNode() = default;
    static ConfigNode scalar(std::string text, SourceLoc loc);
    static ConfigNode map(SourceLoc loc);
    static ConfigNode list(SourceLoc loc);

    Kind kind() const { return m_kind; }
    bool is_null() const { return m_kind == Kind::kNull; }
    bool is_scalar() const { return m_kind == Kind::kScalar; }
    bool is_map() const { return m_kind == Kind::kMap; }
    bool is_list() const { return m_kind == Kind::kList; }
    const SourceLoc& loc() const { return m_loc; }
    void set_loc(SourceLoc loc) { m_loc = std::move(loc); }

    const std::string& text() const { return m_text; }  // scalar text as written

    // Map access (entries keep file order).
    const std::vector<std::pair<std::string, ConfigNode>>& entries() const { return m_entries; }
    const ConfigNode* find(const std::string& key) const;
    ConfigNode* find(const std::string& key);
    ConfigNode& set(const std::string& key, ConfigNode value);  // insert or replace
    bool erase(const std::string& key);

    // List access.
    const std::vector<ConfigNode>& items() const { return m_items; }
    void push_back(ConfigNode n) { m_items.push_back(std::move(n)); }

    // Dotted path lookup through maps ("chip.hbm.stacks"); null when absent.
    const ConfigNode* at_path(const std::string& dotted) const;

    // Short description for messages: the scalar quoted, or "a map", "a list", "nothing".
    std::string describe() const;

private:
    Kind m_kind = Kind::kNull;
    SourceLoc m_loc;
    std::string m_text;
    std::vector<std::pair<std::string, ConfigNode>> m_entries;
    std::vector<ConfigNode> m_items;
};

// Deep merge: maps merge key by key (overlay wins), anything else is replaced by the overlay.
void merge_into(ConfigNode& base, const ConfigNode& overlay);

// Renders the tree as YAML text (block style), for resolved-config printing.
std::string to_yaml(const ConfigNode& node);

}  // namespace chipdse::config
