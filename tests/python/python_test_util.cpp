#include "python_test_util.h"

#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>

#include "dse/python/python_runtime.h"

namespace chipdse::python::test {

namespace fs = std::filesystem;

void use_python() {
    static bool done = [] {
        new Session;  // never destroyed: no finalisation at exit
        install_sweep_hooks();
        std::string error;
        REQUIRE(ensure_started(error));
        return true;
    }();
    (void)done;
}

std::string data(const std::string& name) { return "tests/python/data/" + name; }

Scratch::Scratch(const std::string& name) {
    fs::path p = fs::temp_directory_path() / ("chipdse_python_test_" + std::to_string(getpid())) / name;
    fs::remove_all(p);
    fs::create_directories(p);
    path = p.string();
}

Scratch::~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
    fs::remove(fs::path(path).parent_path(), ec);  // only when empty
}

sweep::LoadedSweep load(const std::string& path) {
    use_python();
    sweep::LoadedSweep s;
    config::Diagnostics diag;
    bool ok = sweep::load_sweep(path, s, diag);
    INFO(diag.format());
    REQUIRE(ok);
    return s;
}

sweep::RunStats run(const sweep::LoadedSweep& s, const std::string& db, unsigned jobs) {
    sweep::RunOptions o;
    o.jobs = jobs;
    return sweep::run_sweep(s, db, o);
}

namespace {
std::string cell(sqlite3_stmt* st, int i) {
    switch (sqlite3_column_type(st, i)) {
        case SQLITE_NULL: return "NULL";
        case SQLITE_FLOAT: {
            char buf[40];
            std::snprintf(buf, sizeof buf, "%a", sqlite3_column_double(st, i));
            return buf;
        }
        default: {
            const unsigned char* t = sqlite3_column_text(st, i);
            return t ? reinterpret_cast<const char*>(t) : "";
        }
    }
}

template <class F>
void each_row(const std::string& db, const std::string& sql, F&& f) {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr);
    INFO(sql << ": " << sqlite3_errmsg(h));
    REQUIRE(rc == SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) f(st);
    sqlite3_finalize(st);
    sqlite3_close(h);
}
}  // namespace

std::vector<std::string> dump(const std::string& db) {
    std::vector<std::string> rows;
    each_row(db, "SELECT * FROM points ORDER BY key", [&](sqlite3_stmt* st) {
        std::string r;
        for (int i = 0; i < sqlite3_column_count(st); ++i) r += std::string(sqlite3_column_name(st, i)) + "=" + cell(st, i) + "|";
        rows.push_back(r);
    });
    return rows;
}

std::vector<std::string> column(const std::string& db, const std::string& sql) {
    std::vector<std::string> out;
    each_row(db, sql, [&](sqlite3_stmt* st) {
        const unsigned char* t = sqlite3_column_text(st, 0);
        out.push_back(t ? reinterpret_cast<const char*>(t) : "");
    });
    return out;
}

int run_python(const std::string& code, const std::vector<std::string>& args) {
    use_python();
    return run_code(code, args);
}

}  // namespace chipdse::python::test
