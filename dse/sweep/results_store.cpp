#include "dse/sweep/results_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

namespace chipdse::sweep {
namespace {

struct FixedColumn {
    const char* name;
    const char* decl;
};
constexpr FixedColumn kFixed[] = {
    {"key", "TEXT PRIMARY KEY"},
    {"sweep", "TEXT NOT NULL"},
    {"axes", "TEXT NOT NULL"},
    {"valid", "INTEGER NOT NULL"},
    {"infeasible_reason", "TEXT NOT NULL"},
    {"map_tp", "INTEGER"},
    {"map_pp", "INTEGER"},
    {"map_dp", "INTEGER"},
    {"map_cp", "INTEGER"},
    {"map_ep", "INTEGER"},
    {"map_zero", "INTEGER"},
    {"map_microbatch", "INTEGER"},
    {"map_microbatches", "INTEGER"},
    {"map_virtual_stages", "INTEGER"},
    {"map_recompute", "TEXT"},
    {"map_schedule", "TEXT"},
    {"config", "TEXT NOT NULL"},
    // the fidelity the metrics were computed at; stores written before it existed hold analytical rows
    {"fidelity", "TEXT NOT NULL DEFAULT 'analytical'"},
};
constexpr size_t kNumFixed = std::size(kFixed);

std::string join(const std::vector<std::string>& v, char sep) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? std::string(1, sep) : "") + v[i];
    return s;
}
std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    if (s.empty()) return out;
    size_t start = 0;
    while (true) {
        size_t p = s.find(sep, start);
        out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
        if (p == std::string::npos) break;
        start = p + 1;
    }
    return out;
}
std::string column_text(sqlite3_stmt* st, int i) {
    const unsigned char* t = sqlite3_column_text(st, i);
    return t ? reinterpret_cast<const char*>(t) : "";
}

// SQLite says only "unable to open database file" or "attempt to write a readonly database"
// when the store or its directory cannot be written (read-only mount, permissions): name the
// cause. access() reports a read-only file system even to root. Empty when both are writable.
std::string unwritable_hint(const std::string& path, bool read_only_mode) {
    if (read_only_mode) return "";
    if (access(path.c_str(), F_OK) == 0 && access(path.c_str(), W_OK) != 0)
        return "; " + path + " is not writable: " + std::strerror(errno);
    std::string dir = std::filesystem::path(path).parent_path().string();
    if (dir.empty()) dir = ".";
    if (access(dir.c_str(), W_OK) != 0)
        return "; the directory " + dir + " is not writable: " + std::strerror(errno) +
               " (a store needs a writable directory for its -wal and -shm files)";
    return "";
}

bool is_fixed(const std::string& name) {
    for (const auto& f : kFixed)
        if (name == f.name) return true;
    return false;
}

struct Stmt {
    sqlite3_stmt* s = nullptr;
    ~Stmt() { sqlite3_finalize(s); }
};

}  // namespace

const std::vector<std::string>& fixed_columns() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const auto& f : kFixed) n.push_back(f.name);
        return n;
    }();
    return names;
}

std::string sql_ident(const std::string& name) {
    std::string s = "\"";
    for (char c : name) s += c == '"' ? std::string("\"\"") : std::string(1, c);
    return s + "\"";
}

bool valid_column_name(const std::string& name) {
    if (name.empty() || name.size() > 128) return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

ResultsStore::ResultsStore(const std::string& path, Mode mode) : m_path(path) {
    int flags = mode == Mode::kReadOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX;  // one thread per connection
    if (sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr) != SQLITE_OK) {
        std::string msg = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close(m_db);
        m_db = nullptr;
        throw StoreError(path + ": cannot open the results store: " + msg +
                         unwritable_hint(path, mode == Mode::kReadOnly));
    }
    sqlite3_busy_timeout(m_db, 60000);
    try {
        // Before anything is written: a file that is not a SQLite database, or a database that
        // holds other tables but no points table, is refused and left untouched.
        std::vector<std::string> tables;
        {
            sqlite3_stmt* st = nullptr;
            int rc = sqlite3_prepare_v2(m_db, "SELECT name FROM sqlite_master WHERE type='table'", -1, &st, nullptr);
            if (rc == SQLITE_OK)
                while ((rc = sqlite3_step(st)) == SQLITE_ROW) tables.push_back(column_text(st, 0));
            const std::string why = sqlite3_errmsg(m_db);
            sqlite3_finalize(st);
            if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
                throw StoreError(path + ": not a chipdse results store (" + why +
                                 "); left unchanged; give a new file or a store written by chipdse");
            if (rc != SQLITE_DONE)
                throw StoreError(path + ": cannot read the results store: " + why +
                                 unwritable_hint(path, mode == Mode::kReadOnly));
        }
        bool has_points_table = false;
        for (const auto& t : tables) has_points_table = has_points_table || t == "points";
        if (!tables.empty() && !has_points_table)
            throw StoreError(path + ": not a chipdse results store (a SQLite database with other tables: " +
                             tables.front() + (tables.size() > 1 ? ", ..." : "") +
                             "); left unchanged; give a new file or a store written by chipdse");
        if (mode == Mode::kReadWrite) {
            exec("PRAGMA journal_mode=WAL");
            // NORMAL in WAL mode: a killed process never corrupts the file or loses committed rows
            exec("PRAGMA synchronous=NORMAL");
            std::string create = "CREATE TABLE IF NOT EXISTS points(";
            for (size_t i = 0; i < kNumFixed; ++i)
                create += std::string(i ? ", " : "") + kFixed[i].name + " " + kFixed[i].decl;
            exec(create + ")");
            exec("CREATE TABLE IF NOT EXISTS sweeps(name TEXT PRIMARY KEY, path TEXT, fingerprint TEXT, spec TEXT, "
                 "base_config TEXT, objectives TEXT, constraints TEXT, seq INTEGER)");
            // points a sweep visited that another sweep stored first (points.sweep names the first)
            exec("CREATE TABLE IF NOT EXISTS sweep_points(sweep TEXT NOT NULL, key TEXT NOT NULL, "
                 "PRIMARY KEY(sweep, key)) WITHOUT ROWID");
            exec("CREATE TABLE IF NOT EXISTS store_info(key TEXT PRIMARY KEY, value TEXT)");
            // kernels characterised by a cycle-level model (characterisation_cache.h): key = hash of key_text
            exec("CREATE TABLE IF NOT EXISTS characterisations(key TEXT PRIMARY KEY, fidelity TEXT NOT NULL, "
                 "block TEXT NOT NULL, kernel TEXT NOT NULL, value REAL, l0_value REAL, unit TEXT NOT NULL, "
                 "characterised INTEGER NOT NULL, note TEXT NOT NULL, key_text TEXT NOT NULL)");
            // stores written before fidelities were stored: their rows and sweeps are analytical
            if (!has_column("points", "fidelity"))
                exec("ALTER TABLE points ADD COLUMN fidelity TEXT NOT NULL DEFAULT 'analytical'");
            if (!has_column("sweeps", "fidelity"))
                exec("ALTER TABLE sweeps ADD COLUMN fidelity TEXT NOT NULL DEFAULT 'analytical'");
            exec("INSERT INTO store_info(key, value) VALUES('format', 'chipdse-results 1') ON CONFLICT(key) DO NOTHING");
        }
        bool has_points = false;
        for (const auto& c : columns()) {
            has_points = true;
            m_has_fidelity = m_has_fidelity || c == "fidelity";
            if (!is_fixed(c)) {
                m_metric_slot[c] = static_cast<int>(m_metric_columns.size());
                m_metric_columns.push_back(c);
            }
        }
        if (!has_points) throw StoreError(path + ": not a chipdse results store (no points table)");
    } catch (const StoreError& e) {
        sqlite3_close(m_db);
        m_db = nullptr;
        // a write refused while setting up the store (WAL mode, tables) on a read-only file
        const std::string what = e.what();
        if (what.find("readonly") != std::string::npos)
            throw StoreError(what + unwritable_hint(path, mode == Mode::kReadOnly));
        throw;
    } catch (...) {
        sqlite3_close(m_db);
        m_db = nullptr;
        throw;
    }
}

ResultsStore::~ResultsStore() {
    sqlite3_finalize(m_contains);
    sqlite3_finalize(m_find);
    sqlite3_finalize(m_member);
    sqlite3_finalize(m_insert);
    if (m_db) sqlite3_close(m_db);
}

void ResultsStore::exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errmsg(m_db);
        sqlite3_free(err);
        throw StoreError(m_path + ": " + msg + " (in: " + sql.substr(0, 80) + ")");
    }
}

void ResultsStore::query(const std::string& sql, const std::vector<std::string>& params,
                         const std::function<void(sqlite3_stmt*)>& row) {
    Stmt st{prepare(sql)};
    for (size_t i = 0; i < params.size(); ++i)
        sqlite3_bind_text(st.s, static_cast<int>(i + 1), params[i].data(), static_cast<int>(params[i].size()),
                          SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) row(st.s);
    if (rc != SQLITE_DONE) throw StoreError(m_path + ": " + sqlite3_errmsg(m_db));
}

sqlite3_stmt* ResultsStore::prepare(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
        throw StoreError(m_path + ": " + sqlite3_errmsg(m_db) + " (in: " + sql.substr(0, 80) + ")");
    return st;
}

std::vector<std::string> ResultsStore::columns() { return table_columns("points"); }

std::vector<std::string> ResultsStore::table_columns(const std::string& table) {
    Stmt st{prepare("SELECT name FROM pragma_table_info(?)")};
    sqlite3_bind_text(st.s, 1, table.data(), static_cast<int>(table.size()), SQLITE_TRANSIENT);
    std::vector<std::string> out;
    while (sqlite3_step(st.s) == SQLITE_ROW) out.push_back(column_text(st.s, 0));
    return out;
}

bool ResultsStore::has_column(const std::string& table, const std::string& column) {
    for (const auto& c : table_columns(table))
        if (c == column) return true;
    return false;
}

std::int64_t ResultsStore::count() {
    Stmt st{prepare("SELECT COUNT(*) FROM points")};
    return sqlite3_step(st.s) == SQLITE_ROW ? sqlite3_column_int64(st.s, 0) : 0;
}

bool ResultsStore::contains(const std::string& key) {
    if (!m_contains) m_contains = prepare("SELECT 1 FROM points WHERE key = ?");
    sqlite3_reset(m_contains);
    sqlite3_bind_text(m_contains, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    int rc = sqlite3_step(m_contains);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw StoreError(m_path + ": " + sqlite3_errmsg(m_db));
    bool found = rc == SQLITE_ROW;
    sqlite3_reset(m_contains);
    return found;
}

ResultsStore::Found ResultsStore::find(const std::string& key, const std::string& sweep) {
    if (!m_find) m_find = prepare("SELECT sweep FROM points WHERE key = ?");
    sqlite3_reset(m_find);
    sqlite3_bind_text(m_find, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    int rc = sqlite3_step(m_find);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw StoreError(m_path + ": " + sqlite3_errmsg(m_db));
    Found f = rc != SQLITE_ROW ? Found::kNo : column_text(m_find, 0) == sweep ? Found::kThisSweep : Found::kOtherSweep;
    sqlite3_reset(m_find);
    return f;
}

void ResultsStore::add_member(const std::string& sweep, const std::string& key) {
    if (!m_member) m_member = prepare("INSERT INTO sweep_points(sweep, key) VALUES(?, ?) ON CONFLICT DO NOTHING");
    sqlite3_reset(m_member);
    sqlite3_bind_text(m_member, 1, sweep.data(), static_cast<int>(sweep.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(m_member, 2, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    int rc = sqlite3_step(m_member);
    sqlite3_reset(m_member);
    if (rc != SQLITE_DONE) throw StoreError(m_path + ": " + sqlite3_errmsg(m_db));
}

void ResultsStore::begin() { exec("BEGIN IMMEDIATE"); }
void ResultsStore::commit() { exec("COMMIT"); }

void ResultsStore::ensure_metric_column(const std::string& name) {
    if (m_metric_slot.count(name) || is_fixed(name) || !valid_column_name(name)) return;
    exec("ALTER TABLE points ADD COLUMN " + sql_ident(name) + " REAL");
    m_metric_slot[name] = static_cast<int>(m_metric_columns.size());
    m_metric_columns.push_back(name);
    sqlite3_finalize(m_insert);
    m_insert = nullptr;
}

void ResultsStore::prepare_insert() {
    std::string cols, params;
    for (size_t i = 0; i < kNumFixed; ++i) {
        cols += std::string(i ? ", " : "") + kFixed[i].name;
        params += i ? ", ?" : "?";
    }
    for (const auto& m : m_metric_columns) {
        cols += ", " + sql_ident(m);
        params += ", ?";
    }
    m_insert = prepare("INSERT INTO points(" + cols + ") VALUES(" + params + ") ON CONFLICT(key) DO NOTHING");
}

bool ResultsStore::insert(const PointRow& row) {
    // map metric names to columns (the names repeat row after row: check the last list first)
    bool same_names = row.metrics.size() == m_last_names.size();
    for (size_t i = 0; same_names && i < row.metrics.size(); ++i) same_names = row.metrics[i].first == m_last_names[i];
    if (!same_names) {
        m_last_names.clear();
        m_last_slots.clear();
        for (const auto& [name, v] : row.metrics) {
            ensure_metric_column(name);
            auto it = m_metric_slot.find(name);
            m_last_names.push_back(name);
            m_last_slots.push_back(it == m_metric_slot.end() ? -1 : it->second);
        }
    }
    if (!m_insert) prepare_insert();
    sqlite3_stmt* st = m_insert;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    auto text = [&](int i, const std::string& s) {
        sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    };
    int i = 1;
    text(i++, row.key);
    text(i++, row.sweep);
    text(i++, row.axes);
    sqlite3_bind_int(st, i++, row.valid ? 1 : 0);
    text(i++, row.infeasible_reason);
    const model::Mapping& m = row.mapping;
    if (row.valid) {
        for (std::int64_t v : {m.tp, m.pp, m.dp, m.cp, m.ep, m.zero, m.microbatch, m.microbatches, m.virtual_stages})
            sqlite3_bind_int64(st, i++, v);
        text(i++, m.recompute);
        text(i++, m.schedule);
    } else {
        i += 11;  // NULL mapping
    }
    text(i++, row.config);
    text(i++, row.fidelity);
    const int first_metric = i;
    for (size_t k = 0; k < row.metrics.size(); ++k) {
        int slot = m_last_slots[k];
        double v = row.metrics[k].second;
        if (slot >= 0 && !std::isnan(v)) sqlite3_bind_double(st, first_metric + slot, v);
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) throw StoreError(m_path + ": insert failed: " + sqlite3_errmsg(m_db));
    return sqlite3_changes(m_db) > 0;
}

std::optional<std::vector<double>> ResultsStore::lookup(const std::string& key, const std::vector<std::string>& metrics) {
    std::string cols;
    for (const auto& m : metrics) {
        bool present = m_metric_slot.count(m) > 0;
        cols += (cols.empty() ? "" : ", ") + (present ? sql_ident(m) : std::string("NULL"));
    }
    if (cols.empty()) cols = "1";
    // columns may have been added by another connection since this one was opened
    Stmt st{nullptr};
    if (sqlite3_prepare_v2(m_db, ("SELECT " + cols + " FROM points WHERE key = ?").c_str(), -1, &st.s, nullptr) !=
        SQLITE_OK)
        throw StoreError(m_path + ": " + sqlite3_errmsg(m_db));
    sqlite3_bind_text(st.s, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(st.s) != SQLITE_ROW) return std::nullopt;
    std::vector<double> out;
    for (size_t i = 0; i < metrics.size(); ++i)
        out.push_back(sqlite3_column_type(st.s, static_cast<int>(i)) == SQLITE_NULL
                          ? std::numeric_limits<double>::quiet_NaN()
                          : sqlite3_column_double(st.s, static_cast<int>(i)));
    return out;
}

void ResultsStore::save_sweep(const SweepRecord& r) {
    Stmt st{prepare("INSERT INTO sweeps(name, path, fingerprint, spec, base_config, objectives, constraints, fidelity, "
                    "seq) VALUES(?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM sweeps)) "
                    "ON CONFLICT(name) DO UPDATE SET path = excluded.path, fingerprint = excluded.fingerprint, "
                    "spec = excluded.spec, base_config = excluded.base_config, objectives = excluded.objectives, "
                    "constraints = excluded.constraints, fidelity = excluded.fidelity, seq = excluded.seq")};
    std::string obj = join(r.objectives, '\n'), con = join(r.constraints, '\n');
    const std::string* vals[] = {&r.name, &r.path, &r.fingerprint, &r.spec_yaml, &r.base_config, &obj, &con, &r.fidelity};
    for (int i = 0; i < 8; ++i)
        sqlite3_bind_text(st.s, i + 1, vals[i]->data(), static_cast<int>(vals[i]->size()), SQLITE_TRANSIENT);
    if (sqlite3_step(st.s) != SQLITE_DONE) throw StoreError(m_path + ": " + sqlite3_errmsg(m_db));
}

std::vector<SweepRecord> ResultsStore::sweeps() {
    std::vector<SweepRecord> out;
    Stmt st{nullptr};
    // a store written before fidelities were recorded (opened read-only) holds analytical sweeps
    const std::string fidelity = has_column("sweeps", "fidelity") ? "fidelity" : "'analytical'";
    if (sqlite3_prepare_v2(m_db,
                           ("SELECT name, path, fingerprint, spec, base_config, objectives, constraints, seq, " +
                            fidelity + " FROM sweeps ORDER BY seq").c_str(),
                           -1, &st.s, nullptr) != SQLITE_OK)
        return out;  // an old or foreign store without the table
    while (sqlite3_step(st.s) == SQLITE_ROW) {
        SweepRecord r;
        r.name = column_text(st.s, 0);
        r.path = column_text(st.s, 1);
        r.fingerprint = column_text(st.s, 2);
        r.spec_yaml = column_text(st.s, 3);
        r.base_config = column_text(st.s, 4);
        r.objectives = split(column_text(st.s, 5), '\n');
        r.constraints = split(column_text(st.s, 6), '\n');
        r.seq = sqlite3_column_int64(st.s, 7);
        r.fidelity = column_text(st.s, 8);
        out.push_back(std::move(r));
    }
    return out;
}

std::int64_t merge_stores(const std::string& out_path, const std::vector<std::string>& inputs) {
    ResultsStore out(out_path, ResultsStore::Mode::kReadWrite);
    std::int64_t before = out.count();
    for (const auto& in : inputs) {
        {
            ResultsStore probe(in, ResultsStore::Mode::kReadOnly);  // throws when it is not a store
            for (const auto& c : probe.columns())
                if (!is_fixed(c) && valid_column_name(c)) {
                    bool have = false;
                    for (const auto& o : out.columns()) have = have || o == c;
                    if (!have) out.exec("ALTER TABLE points ADD COLUMN " + sql_ident(c) + " REAL");
                }
        }
        std::string quoted = "'";
        for (char c : in) quoted += c == '\'' ? std::string("''") : std::string(1, c);
        quoted += "'";
        out.exec("ATTACH DATABASE " + quoted + " AS src");
        try {
            std::vector<std::string> cols;
            {
                Stmt st{nullptr};
                sqlite3_prepare_v2(out.handle(), "PRAGMA src.table_info(points)", -1, &st.s, nullptr);
                while (st.s && sqlite3_step(st.s) == SQLITE_ROW) {
                    std::string c = column_text(st.s, 1);
                    if (is_fixed(c) || valid_column_name(c)) cols.push_back(sql_ident(c));
                }
            }
            std::string list = join(cols, ',');
            // what an older input lacks (fidelity columns, the characterisations table) takes the defaults
            auto src_has = [&](const std::string& sql) {
                bool found = false;
                out.query(sql, {}, [&](sqlite3_stmt*) { found = true; });
                return found;
            };
            const bool src_sweep_fidelity =
                src_has("SELECT 1 FROM pragma_table_info('sweeps', 'src') WHERE name = 'fidelity'");
            const bool src_characterisations =
                src_has("SELECT 1 FROM src.sqlite_master WHERE type = 'table' AND name = 'characterisations'");
            out.exec("BEGIN IMMEDIATE");
            out.exec("INSERT INTO main.points(" + list + ") SELECT " + list +
                     " FROM src.points WHERE true ORDER BY key ON CONFLICT(key) DO NOTHING");
            out.exec("INSERT INTO main.sweeps(name, path, fingerprint, spec, base_config, objectives, constraints, "
                     "fidelity, seq) SELECT name, path, fingerprint, spec, base_config, objectives, constraints, " +
                     std::string(src_sweep_fidelity ? "fidelity" : "'analytical'") +
                     ", (SELECT COALESCE(MAX(seq), 0) FROM main.sweeps) + seq FROM src.sweeps WHERE true "
                     "ON CONFLICT(name) DO NOTHING");
            if (src_characterisations)
                out.exec("INSERT INTO main.characterisations(key, fidelity, block, kernel, value, l0_value, unit, "
                         "characterised, note, key_text) SELECT key, fidelity, block, kernel, value, l0_value, unit, "
                         "characterised, note, key_text FROM src.characterisations WHERE true ORDER BY key "
                         "ON CONFLICT(key) DO NOTHING");
            out.exec("INSERT INTO main.sweep_points(sweep, key) SELECT sweep, key FROM src.sweep_points WHERE true "
                     "ON CONFLICT DO NOTHING");
            out.exec("COMMIT");
        } catch (...) {
            sqlite3_exec(out.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
            sqlite3_exec(out.handle(), "DETACH DATABASE src", nullptr, nullptr, nullptr);
            throw;
        }
        out.exec("DETACH DATABASE src");
    }
    return out.count() - before;
}

}  // namespace chipdse::sweep
