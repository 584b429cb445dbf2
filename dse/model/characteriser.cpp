#include "dse/model/characteriser.h"

#include <algorithm>
#include <map>
#include <mutex>

namespace chipdse::model {
namespace {

struct Registry {
    std::mutex mutex;
    std::map<std::string, CharacteriserFactory, std::less<>> factories;
};

Registry& registry() {
    static Registry r;
    return r;
}

}  // namespace

void register_characteriser(const std::string& fidelity, CharacteriserFactory factory) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    r.factories[fidelity] = std::move(factory);
}

std::unique_ptr<Characteriser> make_characteriser(std::string_view fidelity) {
    Registry& r = registry();
    CharacteriserFactory factory;
    {
        std::lock_guard lock(r.mutex);
        auto it = r.factories.find(fidelity);
        if (it == r.factories.end()) return nullptr;
        factory = it->second;
    }
    return factory();
}

std::vector<std::string> characteriser_fidelities() {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    std::vector<std::string> names;
    for (const auto& [name, factory] : r.factories) names.push_back(name);
    return names;
}

}  // namespace chipdse::model
