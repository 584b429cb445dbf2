#include "dse/config/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace chipdse::config {
namespace {

namespace fs = std::filesystem;

SourceLoc loc_of(const std::shared_ptr<const std::string>& file, const YAML::Mark& m) {
    return SourceLoc{file, m.line >= 0 ? m.line + 1 : 0};
}

ConfigNode convert(const YAML::Node& y, const std::shared_ptr<const std::string>& file, const std::string& path,
                   Diagnostics& diag) {
    SourceLoc loc = loc_of(file, y.Mark());
    switch (y.Type()) {
        case YAML::NodeType::Scalar: return ConfigNode::scalar(y.Scalar(), loc);
        case YAML::NodeType::Sequence: {
            ConfigNode n = ConfigNode::list(loc);
            size_t i = 0;
            for (const auto& item : y) n.push_back(convert(item, file, path + "[" + std::to_string(i++) + "]", diag));
            return n;
        }
        case YAML::NodeType::Map: {
            ConfigNode n = ConfigNode::map(loc);
            std::set<std::string> seen;
            for (const auto& kv : y) {
                SourceLoc kloc = loc_of(file, kv.first.Mark());
                if (!kv.first.IsScalar()) {
                    diag.error(kloc, path, "a key must be a plain name", "a " + std::string(kv.first.IsMap() ? "map" : "list"),
                               "a name like 'stacks'");
                    continue;
                }
                std::string key = kv.first.Scalar();
                std::string child = path.empty() ? key : path + "." + key;
                if (!seen.insert(key).second) {
                    diag.error(kloc, child, "duplicate key", "'" + key + "' a second time", "each key once per map");
                    continue;
                }
                ConfigNode v = convert(kv.second, file, child, diag);
                // a section is located at its key ("hbm:" line), not at its first entry
                if (v.loc().line == 0 || v.is_null() || v.is_map() || v.is_list()) v.set_loc(kloc);
                n.set(key, std::move(v));
            }
            return n;
        }
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined: {
            ConfigNode n;
            n.set_loc(loc);
            return n;
        }
    }
    return ConfigNode{};
}

ConfigNode parse_yaml(const std::string& text, const std::shared_ptr<const std::string>& file, Diagnostics& diag,
                      bool& ok) {
    ok = false;
    bool blank = true;
    {
        std::istringstream is(text);
        std::string line;
        while (std::getline(is, line)) {
            size_t p = line.find_first_not_of(" \t\r");
            if (p != std::string::npos && line[p] != '#' && line.compare(p, 3, "---") != 0) {
                blank = false;
                break;
            }
        }
    }
    if (blank) {
        diag.error(SourceLoc{file, 0}, "", "the file is empty", "no settings", "a YAML map such as 'chip: ...'");
        return ConfigNode::map(SourceLoc{file, 0});
    }
    YAML::Node y;
    try {
        y = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        diag.error(SourceLoc{file, e.mark.line >= 0 ? e.mark.line + 1 : 0}, "", "malformed YAML: " + e.msg, "", "");
        return ConfigNode::map(SourceLoc{file, 0});
    } catch (const YAML::Exception& e) {
        diag.error(SourceLoc{file, 0}, "", std::string("malformed YAML: ") + e.what(), "", "");
        return ConfigNode::map(SourceLoc{file, 0});
    }
    if (!y.IsMap()) {
        diag.error(loc_of(file, y.Mark()), "", "the top level of a config must be a map of sections",
                   y.IsSequence() ? "a list" : (y.IsScalar() ? "\"" + y.Scalar() + "\"" : "nothing"),
                   "e.g. 'chip:', 'system:', 'model:'");
        return ConfigNode::map(SourceLoc{file, 0});
    }
    ok = true;
    return convert(y, file, "", diag);
}

struct IncludeLoader {
    Diagnostics& diag;
    std::vector<fs::path> stack;  // canonical paths being loaded, for cycle detection

    ConfigNode resolve(ConfigNode doc, const fs::path& dir) {
        ConfigNode* inc = doc.find("include");
        if (!inc) return doc;
        std::vector<const ConfigNode*> names;
        if (inc->is_scalar()) names.push_back(inc);
        else if (inc->is_list()) {
            for (const auto& item : inc->items()) names.push_back(&item);
        } else {
            diag.error(inc->loc(), "include", "include must be a file path or a list of paths", inc->describe(),
                       "e.g. include: ../chips/h100-sxm.yaml");
        }
        ConfigNode base = ConfigNode::map(doc.loc());
        for (const ConfigNode* n : names) {
            if (!n->is_scalar() || n->text().empty()) {
                diag.error(n->loc(), "include", "an include entry must be a file path", n->describe(), "a path");
                continue;
            }
            fs::path target = dir / n->text();
            std::error_code ec;
            if (!fs::is_regular_file(target, ec)) {
                diag.error(n->loc(), "include", "included file not found", "\"" + n->text() + "\"",
                           "a path relative to this file (" + (dir.empty() ? std::string(".") : dir.string()) + ")");
                continue;
            }
            fs::path canon = fs::weakly_canonical(target, ec);
            bool cycle = false;
            for (const auto& p : stack) cycle = cycle || p == canon;
            if (cycle) {
                std::string chain;
                for (const auto& p : stack) chain += p.filename().string() + " -> ";
                chain += canon.filename().string();
                diag.error(n->loc(), "include", "include cycle", chain, "files that do not include themselves");
                continue;
            }
            ConfigNode sub = load(target.lexically_normal().string(), canon);
            merge_into(base, sub);
        }
        ConfigNode body = std::move(doc);
        body.erase("include");
        merge_into(base, body);
        base.set_loc(body.loc());
        return base;
    }

    ConfigNode load(const std::string& label, const fs::path& canon) {
        auto file = std::make_shared<const std::string>(label);
        std::ifstream in(label, std::ios::binary);
        if (!in) {
            diag.error(SourceLoc{file, 0}, "", "cannot read the file", "", "a readable YAML file");
            return ConfigNode::map(SourceLoc{file, 0});
        }
        std::stringstream ss;
        ss << in.rdbuf();
        bool ok = false;
        ConfigNode doc = parse_yaml(ss.str(), file, diag, ok);
        if (!ok) return doc;
        stack.push_back(canon);
        ConfigNode r = resolve(std::move(doc), fs::path(label).parent_path());
        stack.pop_back();
        return r;
    }
};

}  // namespace

ConfigNode load_config_file(const std::string& path, Diagnostics& diag) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        diag.error(SourceLoc{std::make_shared<const std::string>(path), 0}, "", "no such file", "", "an existing YAML file");
        return ConfigNode::map({});
    }
    if (fs::is_directory(path, ec)) {
        diag.error(SourceLoc{std::make_shared<const std::string>(path), 0}, "", "is a directory, not a file", "",
                   "a YAML file");
        return ConfigNode::map({});
    }
    IncludeLoader loader{diag, {}};
    return loader.load(path, fs::weakly_canonical(path, ec));
}

ConfigNode load_config_text(const std::string& text, const std::string& label, Diagnostics& diag) {
    auto file = std::make_shared<const std::string>(label);
    bool ok = false;
    ConfigNode doc = parse_yaml(text, file, diag, ok);
    if (!ok) return doc;
    IncludeLoader loader{diag, {}};
    return loader.resolve(std::move(doc), fs::path(label).parent_path());
}

void set_at_path(ConfigNode& root, const std::string& dotted, ConfigNode value) {
    ConfigNode* n = &root;
    size_t start = 0;
    while (true) {
        size_t dot = dotted.find('.', start);
        std::string part = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (dot == std::string::npos) {
            n->set(part, std::move(value));
            return;
        }
        ConfigNode* next = n->is_map() ? n->find(part) : nullptr;
        if (!next || !next->is_map()) next = &n->set(part, ConfigNode::map(value.loc()));
        n = next;
        start = dot + 1;
    }
}

bool apply_assignment(ConfigNode& root, const std::string& assignment, const std::string& origin, Diagnostics& diag) {
    auto file = std::make_shared<const std::string>(origin);
    size_t eq = assignment.find('=');
    std::string path = eq == std::string::npos ? "" : assignment.substr(0, eq);
    if (eq == std::string::npos || path.empty() || path.front() == '.' || path.back() == '.' ||
        path.find("..") != std::string::npos || path.find(' ') != std::string::npos) {
        diag.error(SourceLoc{file, 0}, "", "malformed assignment", "\"" + assignment + "\"",
                   "path=value, e.g. system.chips=16384");
        return false;
    }
    std::string value = assignment.substr(eq + 1);
    ConfigNode v;
    if (!value.empty() && (value.front() == '[' || value.front() == '{')) {
        Diagnostics local;
        bool ok = false;
        ConfigNode wrapped = parse_yaml("v: " + value, file, local, ok);
        if (!ok || !wrapped.find("v")) {
            diag.error(SourceLoc{file, 0}, path, "malformed value", "\"" + value + "\"", "a YAML list or map");
            return false;
        }
        v = *wrapped.find("v");
        v.set_loc(SourceLoc{file, 0});
    } else {
        v = ConfigNode::scalar(value, SourceLoc{file, 0});
    }
    set_at_path(root, path, std::move(v));
    return true;
}

}  // namespace chipdse::config
