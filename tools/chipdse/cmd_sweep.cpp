// `chipdse sweep SWEEP.yaml --db results.sqlite [--jobs N] [--shard I/N]`: runs (or resumes) a
// sweep into a results store; under mpirun the ranks share the work and rank 0 writes.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <thread>

#include "commands.h"
#include "dse/model/characteriser.h"
#include "dse/sweep/cluster.h"
#include "dse/sweep/hooks.h"
#include "dse/sweep/results_store.h"
#include "dse/sweep/sweep_loader.h"
#include "dse/sweep/sweep_runner.h"
#include "sweep_commands.h"

namespace chipdse::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) {
    g_stop.store(true);
    // a second Ctrl-C ends the process at once (the store stays consistent: WAL)
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

bool parse_shard(const std::string& s, std::uint64_t& index, std::uint64_t& count) {
    size_t slash = s.find('/');
    if (slash == std::string::npos) return false;
    try {
        size_t a = 0, b = 0;
        unsigned long long i = std::stoull(s.substr(0, slash), &a), n = std::stoull(s.substr(slash + 1), &b);
        if (a != slash || b != s.size() - slash - 1 || n == 0 || i >= n) return false;
        index = i;
        count = n;
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

const char* method_name(sweep::SearchMethod m) {
    switch (m) {
        case sweep::SearchMethod::kGrid: return "grid";
        case sweep::SearchMethod::kRandom: return "random";
        case sweep::SearchMethod::kLhs: return "lhs";
        case sweep::SearchMethod::kNsga2: return "nsga2";
    }
    return "?";
}

void print_plan(const sweep::LoadedSweep& s) {
    std::printf("sweep %s (%s)\n", s.spec.name.c_str(), s.path.c_str());
    if (!s.spec.description.empty()) std::printf("  %s\n", s.spec.description.c_str());
    for (const auto& d : s.space.dims) {
        std::string line = "  axis ";
        for (size_t i = 0; i < d.axes.size(); ++i) line += (i ? " + " : "") + d.axes[i].path;
        line += ": " + std::to_string(d.size()) + " values (";
        for (std::uint32_t l = 0; l < d.size() && l < 8; ++l) {
            line += l ? ", " : "";
            for (size_t i = 0; i < d.axes.size(); ++i) line += (i ? "/" : "") + d.axes[i].levels[l].text();
        }
        line += d.size() > 8 ? ", ...)" : ")";
        std::printf("%s\n", line.c_str());
    }
    for (size_t i = 0; i < s.space.derived.size(); ++i) {
        const auto& dv = s.space.derived[i];
        const auto& ds = s.spec.derived[i];
        std::printf("  derived %s = %s\n", dv.path.c_str(), ds.python.empty() ? dv.expr.text().c_str()
                                                                               : ("python " + ds.python).c_str());
    }
    const auto& se = s.spec.search;
    if (!se.python.empty()) {
        std::printf("  search python %s: samples %lld, seed %lld (grid would be %llu)\n", se.python.c_str(),
                    static_cast<long long>(se.samples), static_cast<long long>(se.seed),
                    static_cast<unsigned long long>(s.space.grid_size()));
    } else {
        std::printf("  search %s: ", method_name(se.method));
    }
    if (se.python.empty()) switch (se.method) {
        case sweep::SearchMethod::kGrid:
            std::printf("%llu points\n", static_cast<unsigned long long>(s.space.grid_size()));
            break;
        case sweep::SearchMethod::kRandom:
        case sweep::SearchMethod::kLhs:
            std::printf("%lld samples, seed %lld (grid would be %llu)\n", static_cast<long long>(se.samples),
                        static_cast<long long>(se.seed), static_cast<unsigned long long>(s.space.grid_size()));
            break;
        case sweep::SearchMethod::kNsga2:
            std::printf("population %lld x %lld generations, seed %lld (grid would be %llu)\n",
                        static_cast<long long>(se.population), static_cast<long long>(se.generations + 1),
                        static_cast<long long>(se.seed), static_cast<unsigned long long>(s.space.grid_size()));
            break;
    }
    std::printf("  mapping %s\n", s.spec.mapping == sweep::MappingMode::kAuto ? "auto (best per point)" : "fixed");
    std::printf("  fidelity %s\n", sweep::fidelity_name(s.spec.fidelity));
    for (const auto& c : s.spec.constraints) std::printf("  constraint %s\n", c.text.c_str());
    for (const auto& o : s.spec.objectives)
        std::printf("  objective %s %s\n", o.is_max() ? "maximize" : "minimize", o.metric().c_str());
}

}  // namespace

int run_sweep_command(const SweepOptions& opt) {
    std::uint64_t shard_index = 0, shard_count = 1;
    if (!opt.shard.empty() && !parse_shard(opt.shard, shard_index, shard_count)) {
        std::fprintf(stderr, "sweep: --shard: malformed shard; got \"%s\"; expected I/N with 0 <= I < N, e.g. 3/16\n",
                     opt.shard.c_str());
        return kExitBadInput;
    }
    if (opt.progress != "auto" && opt.progress != "bar" && opt.progress != "lines" && opt.progress != "none") {
        std::fprintf(stderr, "sweep: --progress: got \"%s\"; expected auto, bar, lines or none\n", opt.progress.c_str());
        return kExitBadInput;
    }

    std::unique_ptr<sweep::Cluster> cluster;
    if (sweep::mpi_launched() && !opt.dry_run) {
        if (!sweep::mpi_built()) {
            std::fprintf(stderr, "sweep: started by an MPI launcher, but this chipdse was built without MPI\n");
            return kExitFailure;
        }
        cluster = sweep::start_mpi_cluster();
    }
    const bool root = !cluster || cluster->rank() == 0;

    sweep::LoadedSweep s;
    config::Diagnostics diag;
    if (!sweep::load_sweep(opt.spec, s, diag)) {
        if (root) std::fputs(diag.format().c_str(), stderr);
        return kExitBadInput;
    }
    if (opt.dry_run) {
        print_plan(s);
        return kExitOk;
    }
    if (s.spec.search.method == sweep::SearchMethod::kNsga2 && shard_count > 1) {
        std::fprintf(stderr, "sweep: --shard: nsga2 cannot be sharded (each generation needs the last); "
                             "expected grid, random or lhs, or run nsga2 under mpirun\n");
        return kExitBadInput;
    }
    if (s.generator && shard_count > 1) {
        std::fprintf(stderr, "sweep: --shard: a python candidate generator cannot be sharded (it sees every result); "
                             "run it whole, or under mpirun\n");
        return kExitBadInput;
    }
    if (s.spec.fidelity != sweep::Fidelity::kAnalytical &&
        !model::make_characteriser(sweep::fidelity_name(s.spec.fidelity))) {
        if (root)
            std::fprintf(stderr, "sweep: %s: fidelity %s: no such fidelity in this build; expected analytical "
                                 "(configure with CHIPDSE_WITH_SYSTEMC=ON for systemc)\n",
                         opt.spec.c_str(), sweep::fidelity_name(s.spec.fidelity));
        return kExitBadInput;
    }
    if (cluster && !cluster->same_everywhere(s.fingerprint)) {
        if (root) std::fprintf(stderr, "sweep: the MPI ranks loaded different sweeps (files differ between machines?)\n");
        return kExitFailure;
    }

    sweep::RunOptions ro;
    ro.jobs = opt.jobs ? opt.jobs : (cluster ? 1u : std::max(1u, std::thread::hardware_concurrency()));
    ro.shard_index = shard_index;
    ro.shard_count = shard_count;
    ro.stop = &g_stop;
    ro.test_delay_us = opt.test_delay_us;
    const bool tty = isatty(fileno(stderr)) != 0;
    std::string style = opt.quiet ? "none" : opt.progress;
    if (style == "auto") style = tty ? "bar" : "lines";
    ro.progress = style == "bar"     ? sweep::RunOptions::ProgressStyle::kBar
                  : style == "lines" ? sweep::RunOptions::ProgressStyle::kLines
                                     : sweep::RunOptions::ProgressStyle::kNone;
    if (!root) ro.progress = sweep::RunOptions::ProgressStyle::kNone;

    g_stop.store(false);
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    sweep::RunStats st;
    try {
        st = sweep::run_sweep(s, opt.db, ro, cluster.get());
    } catch (const sweep::StoreError& e) {
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
        std::fprintf(stderr, "sweep: %s\n", e.what());
        return kExitFailure;
    } catch (const sweep::HookError& e) {  // a user's candidate generator failed; rows so far are kept
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
        std::fprintf(stderr, "sweep: %s\nrows evaluated so far are saved in %s\n", e.what(), opt.db.c_str());
        return kExitFailure;
    }
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (!root) return kExitOk;

    std::int64_t rows = 0;
    try {
        sweep::ResultsStore store(opt.db, sweep::ResultsStore::Mode::kReadOnly);
        rows = store.count();
    } catch (const sweep::StoreError&) {
    }
    const double rate = st.seconds > 0 ? static_cast<double>(st.done) / st.seconds : 0;
    std::string where = cluster ? std::to_string(cluster->size()) + " ranks x " + std::to_string(ro.jobs) + " threads"
                                : std::to_string(ro.jobs) + " thread" + (ro.jobs == 1 ? "" : "s");
    if (shard_count > 1) where += ", shard " + opt.shard;
    std::printf("sweep %s: %llu of %llu points in %.2f s (%.0f points/s, %s): %llu evaluated, %llu already in the store; "
                "%llu invalid, %llu infeasible\n",
                s.spec.name.c_str(), static_cast<unsigned long long>(st.done), static_cast<unsigned long long>(st.planned),
                st.seconds, rate, where.c_str(), static_cast<unsigned long long>(st.evaluated),
                static_cast<unsigned long long>(st.found), static_cast<unsigned long long>(st.invalid),
                static_cast<unsigned long long>(st.infeasible));
    if (s.spec.fidelity != sweep::Fidelity::kAnalytical)
        std::printf("fidelity %s: %lld simulations, %lld kernels from the store's cache, %lld cached kernels stored\n",
                    sweep::fidelity_name(s.spec.fidelity), static_cast<long long>(st.simulations),
                    static_cast<long long>(st.kernels_from_store), static_cast<long long>(st.kernels_stored));
    std::printf("store %s: %lld rows\n", opt.db.c_str(), static_cast<long long>(rows));
    if (st.interrupted) {
        std::printf("interrupted: everything evaluated so far is saved; run the same command again to resume\n");
        return kExitInterrupted;
    }
    if (!s.spec.objectives.empty()) std::printf("next: chipdse pareto --db %s\n", opt.db.c_str());
    return kExitOk;
}

}  // namespace chipdse::cli
