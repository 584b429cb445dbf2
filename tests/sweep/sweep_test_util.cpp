#include "sweep_test_util.h"

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace chipdse::sweep::test {

namespace fs = std::filesystem;

std::string data(const std::string& name) { return "tests/sweep/data/" + name; }

namespace {
fs::path process_dir() { return fs::temp_directory_path() / ("chipdse_sweep_test_" + std::to_string(getpid())); }
}  // namespace

Scratch::Scratch(const std::string& name) {
    fs::path p = process_dir() / name;
    fs::remove_all(p);
    fs::create_directories(p);
    path = p.string();
}

Scratch::~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
    fs::remove(process_dir() / "shell.out", ec);
    fs::remove(process_dir() / "shell.err", ec);
    fs::remove(process_dir(), ec);  // only when empty
}

LoadedSweep load(const std::string& path) {
    LoadedSweep s;
    config::Diagnostics diag;
    bool ok = load_sweep(path, s, diag);
    INFO(diag.format());
    REQUIRE(ok);
    return s;
}

RunStats run(const LoadedSweep& s, const std::string& db, unsigned jobs) {
    RunOptions o;
    o.jobs = jobs;
    return run_sweep(s, db, o);
}

std::vector<std::string> dump(const std::string& db) {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(h, "SELECT * FROM points ORDER BY key", -1, &st, nullptr) == SQLITE_OK);
    std::vector<std::string> rows;
    while (sqlite3_step(st) == SQLITE_ROW) {
        std::string r;
        for (int i = 0; i < sqlite3_column_count(st); ++i) {
            r += sqlite3_column_name(st, i);
            r += "=";
            switch (sqlite3_column_type(st, i)) {
                case SQLITE_NULL: r += "NULL"; break;
                case SQLITE_FLOAT: {
                    char buf[64];
                    std::snprintf(buf, sizeof buf, "%a", sqlite3_column_double(st, i));
                    r += buf;
                    break;
                }
                default: r += reinterpret_cast<const char*>(sqlite3_column_text(st, i));
            }
            r += "|";
        }
        rows.push_back(std::move(r));
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return rows;
}

std::vector<std::string> columns(const std::string& db) {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(h, "PRAGMA table_info(points)", -1, &st, nullptr) == SQLITE_OK);
    std::vector<std::string> out;
    while (sqlite3_step(st) == SQLITE_ROW) out.push_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
}

int shell(const std::string& cmd, std::string* out, std::string* err) {
    fs::path dir = process_dir();
    fs::create_directories(dir);
    std::string o = (dir / "shell.out").string(), e = (dir / "shell.err").string();
    int rc = std::system(("(" + cmd + ") >" + o + " 2>" + e).c_str());
    auto slurp = [](const std::string& p) {
        std::ifstream in(p);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    };
    if (out) *out = slurp(o);
    if (err) *err = slurp(e);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace chipdse::sweep::test
