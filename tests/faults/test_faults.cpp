// Fault injection on sweeps: SIGKILL at random moments (many of them while rows are being
// written) and resume; stores that are corrupt or belong to something else; a disk that fills
// up; a directory that cannot be written. The store must never lose a committed row, never
// overwrite a file that is not a store, and a resumed sweep must equal an uninterrupted one.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "dse/sweep/results_store.h"
#include "dse/sweep/sweep_runner.h"
#include "sweep_test_util.h"

using namespace chipdse;
using namespace chipdse::sweep;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::int64_t row_count(const std::string& db) {
    if (!fs::exists(db)) return 0;
    try {
        ResultsStore s(db, ResultsStore::Mode::kReadOnly);
        return s.count();
    } catch (const StoreError&) {
        return 0;  // not created yet
    }
}

std::uintmax_t size_or_zero(const std::string& p) {
    std::error_code ec;
    auto n = fs::file_size(p, ec);
    return ec ? 0 : n;
}

std::string read_all(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Runs `chipdse sweep SPEC --db DB -j 1` with its stderr in `err_file`; `fsize_limit` (bytes,
// 0 = none) makes every file the process writes stop growing there, as a full disk does.
int run_cli(const std::string& spec, const std::string& db, const std::string& err_file,
            rlim_t fsize_limit = 0) {
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        if (fsize_limit) {
            signal(SIGXFSZ, SIG_IGN);  // writes past the limit fail with EFBIG instead
            rlimit r{fsize_limit, fsize_limit};
            setrlimit(RLIMIT_FSIZE, &r);
        }
        FILE* e = freopen(err_file.c_str(), "w", stderr);
        FILE* o = freopen("/dev/null", "w", stdout);
        (void)e;
        (void)o;
        execl(CHIPDSE_BIN, CHIPDSE_BIN, "sweep", spec.c_str(), "--db", db.c_str(), "-j", "1", (char*)nullptr);
        _exit(127);
    }
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Exit status of the child below when it cannot make the directory read-only.
constexpr int kNoReadOnlyMount = 125;

bool write_file(const char* path, const std::string& text) {
    const int fd = open(path, O_WRONLY);
    if (fd < 0) return false;
    const bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    close(fd);
    return ok;
}

// Runs `chipdse sweep SPEC --db DB -j 1` with `dir` read-only for it: in a mount namespace of its
// own, `dir` is bind-mounted onto itself read-only, so the files stay where this process reads
// them afterwards. Root ignores permission bits but not a read-only mount. The namespace needs
// root (CAP_SYS_ADMIN) or, for other users, a user namespace. Returns kNoReadOnlyMount when
// neither is available.
int run_cli_readonly_dir(const std::string& spec, const std::string& db, const std::string& dir,
                         const std::string& err_file) {
    const uid_t uid = geteuid();
    const gid_t gid = getegid();
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        bool ns = unshare(CLONE_NEWNS) == 0;
        if (!ns && unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0) {
            // map this user to root inside the user namespace, which then owns the mount namespace
            ns = write_file("/proc/self/setgroups", "deny") &&
                 write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1") &&
                 write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
        }
        const char* d = dir.c_str();
        const bool ro = ns && mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 &&
                        mount(d, d, nullptr, MS_BIND, nullptr) == 0 &&
                        mount(nullptr, d, nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) == 0 &&
                        access(d, W_OK) != 0 && errno == EROFS;
        if (!ro) _exit(kNoReadOnlyMount);
        FILE* e = freopen(err_file.c_str(), "w", stderr);
        FILE* o = freopen("/dev/null", "w", stdout);
        (void)e;
        (void)o;
        execl(CHIPDSE_BIN, CHIPDSE_BIN, "sweep", spec.c_str(), "--db", db.c_str(), "-j", "1", (char*)nullptr);
        _exit(127);
    }
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

TEST_CASE("a sweep killed with SIGKILL 20+ times, mid-write too, and resumed equals an uninterrupted run",
          "[faults][kill]") {
    test::Scratch scratch("faults_kill");
    const std::string dir = scratch.path;
    const std::string db = dir + "/killed.sqlite", wal = db + "-wal";
    LoadedSweep s = test::load(test::data("grid.yaml"));
    test::run(s, dir + "/whole.sqlite", 2);

    std::mt19937 rng(9);
    int kills = 0, mid_write = 0, cycles = 0;
    std::int64_t saved = 0;
    bool finished = false;
    while (!finished && cycles < 80) {
        ++cycles;
        // Odd cycles: kill at a random moment. Even cycles: kill the moment the WAL grows, that
        // is while SQLite is writing a transaction's pages or just committed them.
        const bool on_write = cycles % 2 == 0;
        const auto wait = std::chrono::microseconds(std::uniform_int_distribution<int>(1000, 60000)(rng));
        const auto wal_before = size_or_zero(wal);
        pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            RunOptions o;
            o.jobs = 2;
            o.test_delay_us = 15000;
            o.commit_rows = 3;  // many small transactions: many chances to die inside one
            o.commit_seconds = 0.005;
            try {
                run_sweep(s, db, o);
            } catch (...) {
                _exit(1);
            }
            _exit(0);
        }
        const auto start = Clock::now();
        int status = 0;
        bool exited = false, grew = false;
        while (true) {
            if (waitpid(child, &status, WNOHANG) == child) {
                exited = true;
                break;
            }
            if (on_write && size_or_zero(wal) != wal_before) {
                grew = true;
                break;
            }
            // (a WAL reused after a checkpoint keeps its size: then kill at a random moment)
            if (Clock::now() - start >= (on_write ? wait * 4 : wait)) break;
            std::this_thread::sleep_for(std::chrono::microseconds(on_write ? 50 : 200));
        }
        if (!exited) {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            if (WIFSIGNALED(status)) {
                ++kills;
                if (grew) ++mid_write;
            }
        }
        if (WIFEXITED(status)) {
            REQUIRE(WEXITSTATUS(status) == 0);
            finished = true;
        }
        const std::int64_t now = row_count(db);
        INFO("cycle " << cycles);
        REQUIRE(now >= saved);  // a committed row is never lost
        saved = now;
    }
    INFO("kills: " << kills << " (" << mid_write << " as the WAL grew), cycles: " << cycles);
    CHECK(kills >= 20);
    CHECK(mid_write >= 8);
    test::run(s, db, 2);
    CHECK(test::dump(db) == test::dump(dir + "/whole.sqlite"));
}

TEST_CASE("a corrupt or foreign file given as --db is refused with a clear error and left unchanged",
          "[faults][store]") {
    test::Scratch scratch("faults_foreign");
    const std::string dir = scratch.path;
    const std::string spec = test::data("grid.yaml");

    // some other program's SQLite database
    const std::string foreign = dir + "/foreign.sqlite";
    REQUIRE(test::shell("python3 -c \"import sqlite3; c=sqlite3.connect('" + foreign +
                        "'); c.execute('create table accounts(x)'); c.execute('insert into accounts values (1)');"
                        " c.commit()\"") == 0);
    // random bytes, a text file, and a store cut in half
    std::mt19937 rng(1);
    std::string noise(6000, '\0');
    for (auto& c : noise) c = static_cast<char>(rng());
    std::ofstream(dir + "/noise.sqlite", std::ios::binary) << noise;
    std::ofstream(dir + "/text.sqlite") << "name,value\nhello,1\n";
    test::run(test::load(spec), dir + "/whole.sqlite", 1);
    const std::string whole = read_all(dir + "/whole.sqlite");
    std::ofstream(dir + "/truncated.sqlite", std::ios::binary) << whole.substr(0, whole.size() / 2);
    std::string header_smashed = whole;
    for (size_t i = 100; i < 4096 && i < header_smashed.size(); ++i) header_smashed[i] = static_cast<char>(0xA5);
    std::ofstream(dir + "/smashed.sqlite", std::ios::binary) << header_smashed;

    for (const char* name : {"foreign", "noise", "text", "truncated", "smashed"}) {
        const std::string db = dir + "/" + name + ".sqlite";
        INFO(name);
        const std::string before = read_all(db);
        const int rc = run_cli(spec, db, dir + "/err.txt");
        const std::string err = read_all(dir + "/err.txt");
        INFO(err);
        CHECK(rc != 0);
        CHECK(err.find(db) != std::string::npos);
        const bool clear = err.find("not a chipdse results store") != std::string::npos ||
                           err.find("malformed") != std::string::npos;
        CHECK(clear);
        CHECK(read_all(db) == before);
        CHECK_FALSE(fs::exists(db + "-wal"));
    }
}

TEST_CASE("a disk that fills up mid-sweep gives a clear error, keeps every committed row, and resumes",
          "[faults][store]") {
    test::Scratch scratch("faults_full");
    const std::string dir = scratch.path;
    const std::string spec = test::data("grid.yaml");
    test::run(test::load(spec), dir + "/whole.sqlite", 1);
    const auto full_size = size_or_zero(dir + "/whole.sqlite");
    REQUIRE(full_size > 16384);

    const std::string db = dir + "/full.sqlite";
    // files may grow to a third of what the whole sweep needs: the "disk" fills part-way
    const int rc = run_cli(spec, db, dir + "/err.txt", full_size / 3);
    const std::string err = read_all(dir + "/err.txt");
    INFO(err);
    CHECK(rc != 0);
    const bool clear = err.find("full") != std::string::npos || err.find("too large") != std::string::npos ||
                       err.find("disk I/O") != std::string::npos;
    CHECK(clear);
    CHECK(err.find(db) != std::string::npos);
    const std::int64_t kept = row_count(db);
    CHECK(kept < 144);
    // space again: the rerun finds what was kept and completes the rest
    const int rc2 = run_cli(spec, db, dir + "/err2.txt");
    INFO(read_all(dir + "/err2.txt"));
    CHECK(rc2 == 0);
    CHECK(test::dump(db) == test::dump(dir + "/whole.sqlite"));
}

TEST_CASE("a read-only directory for --db gives a clear error and loses no row", "[faults][store]") {
    test::Scratch scratch("faults_ro");
    const std::string dir = scratch.path + "/ro";
    fs::create_directories(dir);
    const std::string spec = test::data("grid.yaml");
    const LoadedSweep s = test::load(spec);
    test::run(s, scratch.path + "/whole.sqlite", 1);
    // a store with some of the rows: the first of two shards
    const std::string db = dir + "/part.sqlite";
    RunOptions half;
    half.shard_count = 2;
    run_sweep(s, db, half);
    const std::int64_t kept = row_count(db);
    REQUIRE(kept > 0);
    REQUIRE(kept < 144);
    const std::string before = read_all(db);
    const std::string fresh = dir + "/new.sqlite";

    // The directory read-only: a read-only mount (works for root too), else permission bits.
    int rc_part = run_cli_readonly_dir(spec, db, dir, scratch.path + "/err1.txt");
    int rc_fresh = kNoReadOnlyMount;
    std::string how = "a read-only bind mount";
    if (rc_part == kNoReadOnlyMount) {
        chmod(db.c_str(), 0444);
        chmod(dir.c_str(), 0555);
        if (access(dir.c_str(), W_OK) == 0) {
            chmod(dir.c_str(), 0755);
            WARN("SKIP: no read-only mount can be made here (needs root or user namespaces), and permission "
                 "bits do not stop root");
            return;
        }
        how = "chmod 555";
        rc_part = run_cli(spec, db, scratch.path + "/err1.txt");
        rc_fresh = run_cli(spec, fresh, scratch.path + "/err2.txt");
        chmod(dir.c_str(), 0755);
        chmod(db.c_str(), 0644);
    } else {
        rc_fresh = run_cli_readonly_dir(spec, fresh, dir, scratch.path + "/err2.txt");
    }
    INFO("directory made read-only by " << how);
    {
        // an existing store: refused with the cause named, and every committed row still there
        const std::string err = read_all(scratch.path + "/err1.txt");
        INFO(err);
        CHECK(rc_part == 1);
        CHECK(err.find(db) != std::string::npos);
        CHECK(err.find("not writable") != std::string::npos);
        CHECK(row_count(db) == kept);
        CHECK(read_all(db) == before);
    }
    {
        // a new store: cannot be created there
        const std::string err = read_all(scratch.path + "/err2.txt");
        INFO(err);
        CHECK(rc_fresh == 1);
        CHECK(err.find(fresh + ": cannot open the results store") != std::string::npos);
        CHECK(err.find("not writable") != std::string::npos);
        CHECK_FALSE(fs::exists(fresh));
    }
    // writable again: the rerun completes the store to what an uninterrupted run gives
    const int rc = run_cli(spec, db, scratch.path + "/err3.txt");
    INFO(read_all(scratch.path + "/err3.txt"));
    CHECK(rc == 0);
    CHECK(test::dump(db) == test::dump(scratch.path + "/whole.sqlite"));
}

TEST_CASE("no metric in the quickstart store is NaN, infinite or missing", "[faults][numeric]") {
    test::Scratch scratch("faults_nan");
    const std::string db = scratch.path + "/qs.sqlite";
    test::run(test::load("sweeps/quickstart.yaml"), db, 2);
    // SQLite stores a NaN double as NULL: both count as a bad value
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(h, "SELECT * FROM points", -1, &st, nullptr) == SQLITE_OK);
    int rows = 0, bad = 0;
    std::string first_bad;
    while (sqlite3_step(st) == SQLITE_ROW) {
        ++rows;
        for (int i = 0; i < sqlite3_column_count(st); ++i) {
            const int type = sqlite3_column_type(st, i);
            const bool nonfinite = type == SQLITE_FLOAT && !std::isfinite(sqlite3_column_double(st, i));
            if (type == SQLITE_NULL || nonfinite) {
                if (!bad++) first_bad = sqlite3_column_name(st, i);
            }
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    INFO("first bad column: " << first_bad);
    CHECK(rows > 100);
    CHECK(bad == 0);
}
