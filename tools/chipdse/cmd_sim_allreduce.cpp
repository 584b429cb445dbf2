// `chipdse sim allreduce`: K chips of a system's chip, joined by the chip's links as a ring, a
// torus or through a switch, all-reduce a buffer on the cycle-level link model; the analytical
// collective model's times are printed beside it (docs/links.md).
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "commands.h"
#include "dse/spec/design_loader.h"
#include "dse/units/unit_parser.h"
#include "sim_commands.h"

#if CHIPDSE_HAVE_SYSTEMC
#include "sysc/collective/allreduce_analytical.h"
#include "sysc/collective/collective_run.h"
#endif

namespace chipdse::cli {

#if CHIPDSE_HAVE_SYSTEMC
namespace {

// --topology, else the system's scale-up topology. False with a message for one not modelled.
bool pick_topology(const SimAllreduceOptions& opt, const spec::SystemSpec& sys, std::string& kind, std::string& error) {
    if (!opt.topology.empty()) {
        kind = opt.topology;
        return true;
    }
    switch (sys.scale_up.topology) {
        case spec::Topology::kSwitched:
        case spec::Topology::kFatTree:
        case spec::Topology::kRailOptimized:
        case spec::Topology::kDragonfly: kind = "switch"; return true;
        case spec::Topology::kRing: kind = "ring"; return true;
        case spec::Topology::kTorus2d: kind = "torus2d"; return true;
        case spec::Topology::kTorus3d: kind = "torus3d"; return true;
        case spec::Topology::kFullyConnected: break;
    }
    error = "system.scale_up.topology: fully_connected is not modelled at the link level; pass --topology "
            "switch, ring, torus2d or torus3d";
    return false;
}

bool parse_dims(const std::string& text, std::vector<std::int64_t>& dims) {
    dims.clear();
    std::size_t i = 0;
    while (i <= text.size()) {
        std::size_t j = text.find('x', i);
        if (j == std::string::npos) j = text.size();
        const std::string part = text.substr(i, j - i);
        if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos || part.size() > 7) return false;
        dims.push_back(std::stoll(part));
        i = j + 1;
    }
    return !dims.empty();
}

}  // namespace
#endif

int run_sim_allreduce(const SimAllreduceOptions& opt) {
#if !CHIPDSE_HAVE_SYSTEMC
    (void)opt;
    std::fprintf(stderr, "sim allreduce: this build has no SystemC models (configure with CHIPDSE_WITH_SYSTEMC=ON)\n");
    return kExitBadInput;
#else
    spec::LoadedDesign d = spec::load_design({opt.system}, opt.assignments);
    const config::SourceLoc file{std::make_shared<const std::string>(opt.system), 0};
    if (d.ok() && !d.spec.system)
        d.diag.error(file, "system", "section missing", "nothing",
                     "a system file (arch_configs/systems/) that includes its chip");
    if (d.ok() && !d.spec.chip)
        d.diag.error(file, "chip", "section missing", "nothing", "the system's chip, with its links");
    if (!d.ok()) {
        std::fputs(d.diag.format().c_str(), stderr);
        return kExitBadInput;
    }
    const spec::SystemSpec& sys = *d.spec.system;
    const spec::ChipSpec& chip = *d.spec.chip;
    spec::LinkSpec link_spec = chip.links;
    std::string link_origin = opt.system + ": chip.links";
    if (!opt.link.empty()) {
        spec::LoadedDesign l = spec::load_design({opt.link}, {});
        if (l.ok() && !l.spec.link)
            l.diag.error(config::SourceLoc{std::make_shared<const std::string>(opt.link), 0}, "link", "section missing",
                         "nothing", "a link file with a 'link:' section (arch_configs/links/)");
        if (!l.ok()) {
            std::fputs(l.diag.format().c_str(), stderr);
            return kExitBadInput;
        }
        link_spec = *l.spec.link;
        link_spec.count = chip.links.count;
        link_origin = opt.link + ": link";
    }
    auto bad = [](const std::string& what) {
        std::fprintf(stderr, "sim allreduce: %s\n", what.c_str());
        return kExitBadInput;
    };
    const std::int64_t chips = opt.chips > 0 ? opt.chips : sys.scale_up.domain;
    if (opt.chips < 0 || chips < 2 || chips > 65536)
        return bad("--chips must be 2 .. 65536; got " + std::to_string(opt.chips > 0 ? opt.chips : chips) +
                   (opt.chips == 0 ? " (the system's scale_up.domain)" : ""));
    std::int64_t bytes = 0, chunk = 0;
    std::string why;
    if (!parse_byte_count(opt.bytes, bytes, why)) return bad("--bytes: " + why + "; got \"" + opt.bytes + "\"");
    if (bytes < 1) return bad("--bytes must be at least 1; got " + opt.bytes);
    if (!opt.chunk.empty() && !parse_byte_count(opt.chunk, chunk, why))
        return bad("--chunk: " + why + "; got \"" + opt.chunk + "\"");
    std::string kind;
    if (!pick_topology(opt, sys, kind, why)) return bad(opt.system + ": " + why);

    sysc::AllReduceJob job;
    if (kind == "switch") {
        job.topology = sysc::Topology::switched(chips);
    } else {
        const int nd = kind == "ring" ? 1 : kind == "torus2d" ? 2 : 3;
        std::vector<std::int64_t> dims = sysc::torus_dims(chips, nd);
        if (!opt.dims.empty()) {
            std::int64_t product = 1;
            if (!parse_dims(opt.dims, dims)) return bad("--dims: expected sizes joined by x, e.g. 4x4; got \"" + opt.dims + "\"");
            for (auto k : dims) product *= k;
            if (static_cast<int>(dims.size()) != nd || product != chips)
                return bad("--dims " + opt.dims + ": a " + kind + " of " + std::to_string(chips) + " chips needs " +
                           std::to_string(nd) + " sizes whose product is " + std::to_string(chips));
        }
        job.topology = sysc::Topology::torus(dims);
    }
    job.links_per_chip = link_spec.count;
    job.bytes = bytes;
    job.algorithm = opt.algorithm == "tree" ? sysc::AllReduceAlgorithm::kTree : sysc::AllReduceAlgorithm::kRing;
    job.chunk_bytes = chunk;
    job.seed = opt.seed;
    try {
        job.link = sysc::LinkParams::from_spec(link_spec);
        job.validate();
    } catch (const std::invalid_argument& e) {
        return bad(link_origin + ": " + e.what());
    }
    const bool core = opt.engine == "core";
    sysc::AllReduceRun run;
    try {
        run = core ? sysc::run_allreduce_model(job) : sysc::run_allreduce_systemc(job);
    } catch (const std::invalid_argument& e) {
        return bad(e.what());
    } catch (const std::runtime_error& e) {
        std::fprintf(stderr, "sim allreduce: %s\n", e.what());
        return kExitFailure;
    }
    const sysc::AllReduceEstimate est = sysc::analytical_allreduce(job);
    const double system_time = sysc::system_allreduce_time(sys, chips, bytes);

    nlohmann::ordered_json j;
    j["engine"] = core ? "core" : "systemc";
    j["chips"] = chips;
    j["bytes"] = bytes;
    j["algorithm"] = sysc::algorithm_name(job.algorithm);
    j["topology"] = job.topology.name();
    j["time_s"] = run.time_s;
    j["algorithm_bandwidth_bytes_per_s"] = run.algorithm_bandwidth;
    j["bus_bandwidth_bytes_per_s"] = run.bus_bandwidth;
    j["analytical_time_s"] = est.model_s;
    j["analytical_algorithm_time_s"] = est.algorithm_s;
    j["relative_error"] = est.algorithm_s > 0 ? run.time_s / est.algorithm_s - 1 : 0.0;
    j["system_analytical_time_s"] = system_time;
    j["chip_bandwidth_bytes_per_s"] = est.bandwidth;
    j["step_latency_s"] = est.alpha_s;
    j["links_per_chip"] = job.links_per_chip;
    j["links_per_port"] = sysc::Fabric::port_links(job.topology, job.links_per_chip);
    j["tree_chunk_bytes"] = run.tree_chunk_bytes;
    j["messages"] = run.messages;
    j["packets"] = run.links.packets;
    j["flits"] = run.links.flits;
    j["crc_errors"] = run.links.crc_errors;
    j["replays"] = run.links.naks;
    j["credit_stall_s"] = sysc::ps_to_seconds(run.links.credit_stall_ps);
    j["events"] = run.events;
    if (opt.json) {
        std::fputs((j.dump(2) + "\n").c_str(), stdout);
        return kExitOk;
    }
    auto t = [](double s) { return units::format_value(s, units::dims::kTime, 5); };
    auto bw = [](double bps) { return units::format_value(bps * 8, units::dims::kBandwidth, 5); };
    std::printf("%s all-reduce of %lld bytes on %lld chips, %s (%lld links per chip of %s; %s)\n",
                sysc::algorithm_name(job.algorithm), static_cast<long long>(bytes), static_cast<long long>(chips),
                job.topology.name().c_str(), static_cast<long long>(job.links_per_chip),
                units::format_value(job.link.data_rate_bps, units::dims::kBandwidth, 4).c_str(),
                core ? "plain C++ core" : "SystemC");
    std::printf("time %s: algorithm bandwidth %s, bus bandwidth %s\n", t(run.time_s).c_str(),
                bw(run.algorithm_bandwidth).c_str(), bw(run.bus_bandwidth).c_str());
    std::printf("analytical, same links (B %s per chip, alpha %s): %s %s (%+.2f%%); collective model %s\n",
                bw(est.bandwidth).c_str(), t(est.alpha_s).c_str(), sysc::algorithm_name(job.algorithm),
                t(est.algorithm_s).c_str(), 100 * (run.time_s / est.algorithm_s - 1), t(est.model_s).c_str());
    std::printf("analytical, the system file's scale-up network: %s\n", t(system_time).c_str());
    std::printf("%lld messages, %lld packets, CRC errors %lld, replays %lld, credit stalls %s (all links)\n",
                static_cast<long long>(run.messages), static_cast<long long>(run.links.packets),
                static_cast<long long>(run.links.crc_errors), static_cast<long long>(run.links.naks),
                t(sysc::ps_to_seconds(run.links.credit_stall_ps)).c_str());
    return kExitOk;
#endif
}

}  // namespace chipdse::cli
