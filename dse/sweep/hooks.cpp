#include "dse/sweep/hooks.h"

#include <map>

namespace chipdse::sweep {
namespace {

std::map<std::string, HookProvider*>& providers() {
    static std::map<std::string, HookProvider*> p;
    return p;
}

}  // namespace

const config::ConfigNode* HookPoint::value(const std::string& path) const {
    const config::ConfigNode* n = tree ? tree->at_path(path) : nullptr;
    if (!n && fallback) n = fallback->at_path(path);
    return n;
}

std::string HookPoint::describe() const {
    std::string s = "{";
    if (value_paths)
        for (const auto& p : *value_paths) {
            const config::ConfigNode* n = value(p);
            s += (s.size() > 1 ? ", " : "") + p + ": " + (n && n->is_scalar() ? n->text() : std::string("?"));
        }
    return s + "}";
}

void register_hook_provider(const std::string& language, HookProvider* provider) { providers()[language] = provider; }

void unregister_hook_provider(const std::string& language) { providers().erase(language); }

HookProvider* hook_provider(const std::string& language) {
    auto it = providers().find(language);
    return it == providers().end() ? nullptr : it->second;
}

}  // namespace chipdse::sweep
