#include "dse/config/config_node.h"

#include <sstream>

namespace chipdse::config {

ConfigNode ConfigNode::scalar(std::string text, SourceLoc loc) {
    ConfigNode n;
    n.m_kind = Kind::kScalar;
    n.m_text = std::move(text);
    n.m_loc = std::move(loc);
    return n;
}
ConfigNode ConfigNode::map(SourceLoc loc) {
    ConfigNode n;
    n.m_kind = Kind::kMap;
    n.m_loc = std::move(loc);
    return n;
}
ConfigNode ConfigNode::list(SourceLoc loc) {
    ConfigNode n;
    n.m_kind = Kind::kList;
    n.m_loc = std::move(loc);
    return n;
}

const ConfigNode* ConfigNode::find(const std::string& key) const {
    for (const auto& [k, v] : m_entries)
        if (k == key) return &v;
    return nullptr;
}
ConfigNode* ConfigNode::find(const std::string& key) {
    for (auto& [k, v] : m_entries)
        if (k == key) return &v;
    return nullptr;
}
ConfigNode& ConfigNode::set(const std::string& key, ConfigNode value) {
    if (m_kind != Kind::kMap) {
        m_kind = Kind::kMap;
        m_text.clear();
        m_items.clear();
    }
    if (ConfigNode* existing = find(key)) {
        *existing = std::move(value);
        return *existing;
    }
    m_entries.emplace_back(key, std::move(value));
    return m_entries.back().second;
}
bool ConfigNode::erase(const std::string& key) {
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it)
        if (it->first == key) {
            m_entries.erase(it);
            return true;
        }
    return false;
}

const ConfigNode* ConfigNode::at_path(const std::string& dotted) const {
    const ConfigNode* n = this;
    size_t start = 0;
    while (n && start <= dotted.size()) {
        size_t dot = dotted.find('.', start);
        std::string part = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!n->is_map()) return nullptr;
        n = n->find(part);
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return n;
}

std::string ConfigNode::describe() const {
    switch (m_kind) {
        case Kind::kNull: return "nothing";
        case Kind::kScalar: return "\"" + m_text + "\"";
        case Kind::kMap: return "a map";
        case Kind::kList: return "a list";
    }
    return "?";
}

void merge_into(ConfigNode& base, const ConfigNode& overlay) {
    if (base.is_map() && overlay.is_map()) {
        for (const auto& [k, v] : overlay.entries()) {
            if (ConfigNode* b = base.find(k)) merge_into(*b, v);
            else base.set(k, v);
        }
        return;
    }
    base = overlay;
}

namespace {
bool needs_quotes(const std::string& s) {
    if (s.empty()) return true;
    if (s.find_first_of(":#{}[],&*!|>'\"%@`\\") != std::string::npos) return true;
    if (s.front() == ' ' || s.back() == ' ' || s.front() == '-' || s.front() == '?') return true;
    return false;
}
std::string quoted(const std::string& s) {
    std::string q = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') q += '\\';
        q += c;
    }
    return q + "\"";
}
std::string scalar_text(const std::string& s) { return needs_quotes(s) ? quoted(s) : s; }
void emit(std::ostringstream& os, const ConfigNode& n, int indent) {
    std::string pad(static_cast<size_t>(indent), ' ');
    if (n.is_map()) {
        for (const auto& [k, v] : n.entries()) {
            os << pad << k << ":";
            if (v.is_scalar()) os << " " << scalar_text(v.text()) << "\n";
            else if (v.is_null()) os << "\n";
            else if ((v.is_map() && v.entries().empty()) || (v.is_list() && v.items().empty()))
                os << (v.is_map() ? " {}\n" : " []\n");
            else {
                os << "\n";
                emit(os, v, indent + 2);
            }
        }
    } else if (n.is_list()) {
        for (const auto& item : n.items()) {
            if (item.is_scalar()) {
                os << pad << "- " << scalar_text(item.text()) << "\n";
            } else {
                std::ostringstream inner;
                emit(inner, item, indent + 2);
                std::string s = inner.str();
                // put the first entry on the dash line
                os << pad << "- " << s.substr(static_cast<size_t>(indent) + 2);
            }
        }
    } else if (n.is_scalar()) {
        os << pad << n.text() << "\n";
    }
}
}  // namespace

std::string to_yaml(const ConfigNode& node) {
    std::ostringstream os;
    emit(os, node, 0);
    return os.str();
}

}  // namespace chipdse::config
