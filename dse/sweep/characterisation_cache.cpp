#include "dse/sweep/characterisation_cache.h"

#include <sqlite3.h>

#include <cmath>
#include <limits>
#include <vector>

#include "dse/sweep/point_hash.h"

namespace chipdse::sweep {
namespace {

std::string text_of(sqlite3_stmt* st, int i) {
    const unsigned char* t = sqlite3_column_text(st, i);
    return t ? reinterpret_cast<const char*>(t) : "";
}
double real_of(sqlite3_stmt* st, int i) {
    return sqlite3_column_type(st, i) == SQLITE_NULL ? std::numeric_limits<double>::quiet_NaN()
                                                     : sqlite3_column_double(st, i);
}

struct Statement {
    sqlite3_stmt* s = nullptr;
    ~Statement() { sqlite3_finalize(s); }
};

}  // namespace

std::string characterisation_key(const std::string& fidelity, const std::string& key_text) {
    return hash_hex("chipdse-characterisation v1 fidelity=" + fidelity + "\n" + key_text);
}

std::size_t load_characterisations(ResultsStore& store, model::Characteriser& ch) {
    if (store.table_columns("characterisations").empty()) return 0;
    std::vector<model::CachedCharacterisation> entries;
    store.query("SELECT key_text, block, kernel, value, l0_value, unit, characterised, note FROM characterisations "
                "WHERE fidelity = ? ORDER BY key",
                {ch.fidelity()}, [&](sqlite3_stmt* st) {
                    model::CachedCharacterisation c;
                    c.key = text_of(st, 0);
                    c.entry.block = text_of(st, 1);
                    c.entry.kernel = text_of(st, 2);
                    c.entry.value = real_of(st, 3);
                    c.entry.l0_value = real_of(st, 4);
                    c.entry.unit = text_of(st, 5);
                    c.entry.characterised = sqlite3_column_int(st, 6) != 0;
                    c.entry.note = text_of(st, 7);
                    entries.push_back(std::move(c));
                });
    return ch.preload(entries);
}

std::size_t save_characterisations(ResultsStore& store, const model::Characteriser& ch) {
    const std::string fidelity = ch.fidelity();
    std::size_t added = 0;
    sqlite3* db = store.handle();
    Statement insert, check;
    for (const auto& c : ch.export_cache()) {
        if (c.preloaded) continue;
        if (!insert.s &&
            sqlite3_prepare_v2(db,
                               "INSERT INTO characterisations(key, fidelity, block, kernel, value, l0_value, unit, "
                               "characterised, note, key_text) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT(key) DO NOTHING",
                               -1, &insert.s, nullptr) != SQLITE_OK)
            throw StoreError(store.path() + ": characterisations: " + sqlite3_errmsg(db));
        const std::string key = characterisation_key(fidelity, c.key);
        sqlite3_reset(insert.s);
        auto text = [&](int i, const std::string& s) {
            sqlite3_bind_text(insert.s, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
        };
        auto real = [&](int i, double v) {
            if (std::isnan(v)) sqlite3_bind_null(insert.s, i);
            else sqlite3_bind_double(insert.s, i, v);
        };
        text(1, key);
        text(2, fidelity);
        text(3, c.entry.block);
        text(4, c.entry.kernel);
        real(5, c.entry.value);
        real(6, c.entry.l0_value);
        text(7, c.entry.unit);
        sqlite3_bind_int(insert.s, 8, c.entry.characterised ? 1 : 0);
        text(9, c.entry.note);
        text(10, c.key);
        if (sqlite3_step(insert.s) != SQLITE_DONE)
            throw StoreError(store.path() + ": characterisations: insert failed: " + sqlite3_errmsg(db));
        if (sqlite3_changes(db) > 0) {
            ++added;
            continue;
        }
        // the key is present: it must be this entry's (written by an earlier save), not another text's
        if (!check.s && sqlite3_prepare_v2(db, "SELECT key_text FROM characterisations WHERE key = ?", -1, &check.s,
                                           nullptr) != SQLITE_OK)
            throw StoreError(store.path() + ": characterisations: " + sqlite3_errmsg(db));
        sqlite3_reset(check.s);
        sqlite3_bind_text(check.s, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
        if (sqlite3_step(check.s) == SQLITE_ROW && text_of(check.s, 0) != c.key)
            throw StoreError(store.path() + ": characterisations: key " + key + " holds \"" + text_of(check.s, 0) +
                             "\"; the same hash for \"" + c.key + "\" is a collision: the entry is not stored");
    }
    return added;
}

}  // namespace chipdse::sweep
