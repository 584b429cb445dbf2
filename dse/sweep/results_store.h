#pragma once
// The results store: one SQLite file (WAL) with a row per design point keyed by the hash of
// its fidelity and resolved config. Fixed columns hold the key, the sweep, the axis values,
// validity, the mapping, the config and the fidelity; every metric of model::EvalResult::metrics() gets its own REAL
// column, added the first time a row carries it, so new metrics need no code here.
// A connection belongs to one thread at a time.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "dse/sweep/point_row.h"

struct sqlite3;
struct sqlite3_stmt;

namespace chipdse::sweep {

class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What the store remembers about a sweep that wrote to it.
struct SweepRecord {
    std::string name, path, fingerprint, spec_yaml, base_config;
    std::vector<std::string> objectives;   // "maximize tokens_per_s"
    std::vector<std::string> constraints;  // "die_area_mm2 <= 858"
    std::int64_t seq = 0;                  // higher: written later
    std::string fidelity = "analytical";   // the fidelity its points were evaluated at
};

// Names of the fixed (non-metric) columns, in table order.
const std::vector<std::string>& fixed_columns();

class ResultsStore {
public:
    enum class Mode { kReadWrite, kReadOnly };
    // Opens or creates the store; throws StoreError with the path and SQLite's message.
    ResultsStore(const std::string& path, Mode mode);
    ~ResultsStore();
    ResultsStore(const ResultsStore&) = delete;
    ResultsStore& operator=(const ResultsStore&) = delete;

    const std::string& path() const { return m_path; }
    sqlite3* handle() const { return m_db; }

    bool contains(const std::string& key);
    // Whether a key is stored, and by this sweep or another one.
    enum class Found { kNo = 0, kThisSweep = 1, kOtherSweep = 2 };
    Found find(const std::string& key, const std::string& sweep);
    // Records that `sweep` visited a point another sweep stored first (table sweep_points), so
    // that `chipdse pareto --sweep` sees it. Call inside begin/commit.
    void add_member(const std::string& sweep, const std::string& key);
    // Inserts a row unless its key is present; returns true when inserted. Call inside begin/commit.
    bool insert(const PointRow& row);
    void begin();
    void commit();

    // Metric values of a stored row (NaN for NULL), or nullopt when the key is absent.
    std::optional<std::vector<double>> lookup(const std::string& key, const std::vector<std::string>& metrics);

    // Column names of the points table, in order.
    std::vector<std::string> columns();
    // Column names of any table (empty when it does not exist), and whether one is there.
    std::vector<std::string> table_columns(const std::string& table);
    bool has_column(const std::string& table, const std::string& column);
    // Whether the points table has its fidelity column (a store written before it, opened
    // read-only, has not: its rows are analytical).
    bool has_fidelity_column() const { return m_has_fidelity; }
    std::int64_t count();

    void save_sweep(const SweepRecord& rec);
    std::vector<SweepRecord> sweeps();

    // Runs `sql` (no results); throws StoreError.
    void exec(const std::string& sql);
    // Runs a query with text parameters and calls `row` for each result row (streamed).
    void query(const std::string& sql, const std::vector<std::string>& params,
               const std::function<void(sqlite3_stmt*)>& row);

private:
    void ensure_metric_column(const std::string& name);
    void prepare_insert();
    sqlite3_stmt* prepare(const std::string& sql);

    std::string m_path;
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_contains = nullptr;
    sqlite3_stmt* m_find = nullptr;
    sqlite3_stmt* m_member = nullptr;
    sqlite3_stmt* m_insert = nullptr;
    std::vector<std::string> m_metric_columns;  // in table order
    std::unordered_map<std::string, int> m_metric_slot;
    std::vector<std::string> m_last_names;      // metric names of the last row (fast path)
    std::vector<int> m_last_slots;
    bool m_has_fidelity = false;
};

// Quoted SQL identifier.
std::string sql_ident(const std::string& name);
// Whether a metric name can be a column (letters, digits, underscores).
bool valid_column_name(const std::string& name);

// Merges stores into `out` (created if absent): rows by key (the first seen wins; equal keys
// hold equal results), metric columns unioned, sweep records, memberships and characterised
// kernels kept. Returns rows added.
std::int64_t merge_stores(const std::string& out, const std::vector<std::string>& inputs);

}  // namespace chipdse::sweep
