// `chipdse sim hbm`: an access pattern on an HBM memory, cycle by cycle (the SystemC shell by
// default, or the plain C++ core), with bandwidth, latency and command counts.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "commands.h"
#include "dse/spec/design_loader.h"
#include "sim_commands.h"

#if CHIPDSE_HAVE_SYSTEMC
#include "sysc/hbm/hbm_characterise.h"
#include "sysc/hbm/hbm_parallel.h"
#include "sysc/hbm/hbm_run.h"
#endif

namespace chipdse::cli {

#if CHIPDSE_HAVE_SYSTEMC
namespace {

// "request_bytes: ..." from the model reads "--request-bytes: ..." at the command line.
std::string as_option(std::string msg) {
    for (const auto& [field, option] : {std::pair<std::string, std::string>{"request_bytes:", "--request-bytes:"},
                                        {"requests:", "--requests:"},
                                        {"requesters:", "--requesters:"},
                                        {"threads:", "--threads:"}})
        if (msg.rfind(field, 0) == 0) return option + msg.substr(field.size());
    return msg;
}

std::string rate(double bytes_per_s) { return fmt::format("{:.4g} GB/s", bytes_per_s / 1e9); }

}  // namespace
#endif

int run_sim_hbm(const SimHbmOptions& opt) {
#if !CHIPDSE_HAVE_SYSTEMC
    (void)opt;
    std::fprintf(stderr, "sim hbm: this build has no cycle-level models (configure with CHIPDSE_WITH_SYSTEMC=ON)\n");
    return kExitBadInput;
#else
    namespace hbm = sysc::hbm;
    spec::LoadedDesign d = spec::load_design({opt.hbm}, opt.assignments);
    const spec::HbmSpec* mem = nullptr;
    if (d.ok()) {
        std::string path = "hbm";
        if (d.spec.hbm) {
            mem = &*d.spec.hbm;
        } else if (d.spec.chip) {
            mem = &d.spec.chip->hbm;
            path = "chip.hbm";
        }
        if (!mem) {
            const config::SourceLoc file{std::make_shared<const std::string>(opt.hbm), 0};
            d.diag.error(file, "hbm", "section missing", "nothing",
                         "a memory file with an 'hbm:' section (arch_configs/memory/) or a chip with one");
        } else if (!mem->timing) {
            const config::ConfigNode* node = d.tree.at_path(path);
            d.diag.error(node ? node->loc() : d.tree.loc(), path + ".timing",
                         "missing: the cycle-level model needs the JEDEC timing", "nothing",
                         "a 'timing:' block as in arch_configs/memory/hbm3-6400.yaml");
        }
    }
    if (!d.ok()) {
        std::fputs(d.diag.format().c_str(), stderr);
        return kExitBadInput;
    }
    hbm::HbmConfig config;
    hbm::HbmTraffic traffic;
    try {
        config = hbm::make_hbm_config(*mem);
        traffic.pattern = *hbm::parse_pattern(opt.pattern);  // CLI11 admits only the three names
        traffic.request_bytes = opt.request_bytes;
        traffic.requests = opt.requests;
        traffic.seed = opt.seed;
        traffic.requesters = *hbm::parse_requesters(opt.requesters);  // CLI11 admits only the two names
        traffic.threads = opt.threads;
        if (traffic.requesters != hbm::HbmRequesters::kOne && opt.engine != "core")
            throw std::invalid_argument(
                "requesters: per-channel runs on the plain C++ core only (add --engine core); the SystemC "
                "shell drives one requester");
        hbm::validate_traffic(config, traffic);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "sim hbm: %s: %s\n", opt.hbm.c_str(), as_option(e.what()).c_str());
        return kExitBadInput;
    }

    const bool systemc = opt.engine != "core";
    const bool per_channel = traffic.requesters == hbm::HbmRequesters::kPerChannel;
    const int threads = per_channel ? hbm::resolve_threads(traffic.threads, static_cast<std::size_t>(config.channels)) : 1;
    const auto t0 = std::chrono::steady_clock::now();
    const hbm::HbmStats s = systemc ? hbm::run_hbm_systemc(config, traffic) : hbm::run_hbm_pattern(config, traffic);
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    nlohmann::ordered_json j;
    j["fidelity"] = systemc ? "systemc" : "core";
    j["pattern"] = hbm::pattern_name(traffic.pattern);
    j["request_bytes"] = traffic.request_bytes;
    j["requesters"] = hbm::requesters_name(traffic.requesters);
    j["threads"] = threads;
    j["requests"] = s.requests;
    j["reads"] = s.reads;
    j["writes"] = s.writes;
    j["bytes"] = s.bytes;
    j["channels"] = config.channels;
    j["pseudo_channels"] = config.channels * config.pseudo_channels;
    j["tck_s"] = config.tck_s;
    j["cycles"] = s.cycles;
    j["time_s"] = s.time_s;
    j["bandwidth_bytes_per_s"] = s.bandwidth_bytes_per_s;
    j["peak_bandwidth_bytes_per_s"] = s.peak_bandwidth_bytes_per_s;
    j["efficiency"] = s.efficiency;
    j["avg_read_latency_s"] = s.avg_read_latency_s;
    j["p99_read_latency_s"] = s.p99_read_latency_s;
    j["avg_write_latency_s"] = s.avg_write_latency_s;
    j["avg_read_latency_cycles"] = s.avg_read_latency_cycles;
    j["p99_read_latency_cycles"] = s.p99_read_latency_cycles;
    j["row_hit_rate"] = s.row_hit_rate;
    j["activates"] = s.commands.act;
    j["precharges"] = s.commands.pre;
    j["refreshes"] = s.commands.ref;
    j["column_reads"] = s.commands.rd;
    j["column_writes"] = s.commands.wr;
    if (opt.json) {
        std::fputs((j.dump(2) + "\n").c_str(), stdout);
        return kExitOk;
    }
    std::printf("%s: %s, %d channel(s) x %d pseudo-channels, %s pattern, %lld requests of %lld B\n",
                systemc ? "SystemC" : "core", opt.hbm.c_str(), config.channels, config.pseudo_channels,
                hbm::pattern_name(traffic.pattern), static_cast<long long>(s.requests),
                static_cast<long long>(traffic.request_bytes));
    if (per_channel) std::printf("a requester per channel, channels simulated on %d thread(s)\n", threads);
    std::printf("bandwidth %s of %s peak (%.1f%%), %lld cycles = %.4g s\n", rate(s.bandwidth_bytes_per_s).c_str(),
                rate(s.peak_bandwidth_bytes_per_s).c_str(), 100 * s.efficiency, static_cast<long long>(s.cycles),
                s.time_s);
    std::printf("read latency avg %.1f ns, p99 %.1f ns", s.avg_read_latency_s * 1e9, s.p99_read_latency_s * 1e9);
    if (s.writes > 0) std::printf("; write latency avg %.1f ns", s.avg_write_latency_s * 1e9);
    std::printf("\nrow hit rate %.1f%%; commands: ACT %lld, PRE %lld, RD %lld, WR %lld, REF %lld\n",
                100 * s.row_hit_rate, static_cast<long long>(s.commands.act), static_cast<long long>(s.commands.pre),
                static_cast<long long>(s.commands.rd), static_cast<long long>(s.commands.wr),
                static_cast<long long>(s.commands.ref));
    std::printf("simulated in %.3g s of wall time (%.0f requests/s)\n", wall_s,
                wall_s > 0 ? static_cast<double>(s.requests) / wall_s : 0.0);
    const double stated = mem->bandwidth_per_stack.si() / 8.0 * static_cast<double>(mem->stacks);
    if (stated > 0 && std::abs(stated - s.peak_bandwidth_bytes_per_s) > 0.01 * s.peak_bandwidth_bytes_per_s)
        std::printf("note: the file's bandwidth (%s) differs from the timing's peak (%s)\n", rate(stated).c_str(),
                    rate(s.peak_bandwidth_bytes_per_s).c_str());
    return kExitOk;
#endif
}

}  // namespace chipdse::cli
