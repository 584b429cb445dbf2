// `chipdse sim link`: one message over one link direction on the cycle-level link model
// (SystemC/TLM shell by default, or the plain C++ core), with the closed forms beside it.
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "commands.h"
#include "dse/spec/design_loader.h"
#include "dse/units/unit_parser.h"
#include "sim_commands.h"

#if CHIPDSE_HAVE_SYSTEMC
#include "sysc/link/link_run.h"
#endif

namespace chipdse::cli {

bool parse_byte_count(const std::string& text, std::int64_t& out, std::string& error) {
    const units::ParseOutcome r = units::parse_value(text);
    if (!r.value) {
        error = r.error;
        return false;
    }
    double bytes = r.value->si;
    if (r.value->has_unit) {
        if (r.value->dim != units::dims::kInfo) {
            error = "not a size; expected bytes or a size with its unit, e.g. \"64 MiB\"";
            return false;
        }
        bytes /= 8;
    }
    if (bytes < 0 || bytes > 9e15 || bytes != std::floor(bytes)) {
        error = "must be a whole number of bytes from 0 to 9e15";
        return false;
    }
    out = static_cast<std::int64_t>(bytes);
    return true;
}

int run_sim_link(const SimLinkOptions& opt) {
#if !CHIPDSE_HAVE_SYSTEMC
    (void)opt;
    std::fprintf(stderr, "sim link: this build has no SystemC models (configure with CHIPDSE_WITH_SYSTEMC=ON)\n");
    return kExitBadInput;
#else
    spec::LoadedDesign d = spec::load_design({opt.link}, opt.assignments);
    if (d.ok() && !d.spec.link && !d.spec.chip)
        d.diag.error(config::SourceLoc{std::make_shared<const std::string>(opt.link), 0}, "link", "section missing", "nothing",
                     "a link file with a 'link:' section (arch_configs/links/) or a chip file with 'links:'");
    if (!d.ok()) {
        std::fputs(d.diag.format().c_str(), stderr);
        return kExitBadInput;
    }
    std::int64_t bytes = 0;
    std::string why;
    if (!parse_byte_count(opt.bytes, bytes, why)) {
        std::fprintf(stderr, "sim link: --bytes: %s; got \"%s\"\n", why.c_str(), opt.bytes.c_str());
        return kExitBadInput;
    }
    const spec::LinkSpec& spec = d.spec.link ? *d.spec.link : d.spec.chip->links;
    const char* section = d.spec.link ? "link" : "chip.links";
    sysc::LinkJob job;
    job.bytes = bytes;
    job.seed = opt.seed;
    try {
        job.link = sysc::LinkParams::from_spec(spec);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "sim link: %s: %s: %s\n", opt.link.c_str(), section, e.what());
        return kExitBadInput;
    }
    const bool core = opt.engine == "core";
    sysc::LinkRun run;
    try {
        run = core ? sysc::run_link_model(job) : sysc::run_link_systemc(job);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "sim link: %s\n", e.what());
        return kExitBadInput;
    }
    const sysc::LinkParams& p = job.link;
    nlohmann::ordered_json j;
    j["engine"] = core ? "core" : "systemc";
    j["bytes"] = bytes;
    j["time_s"] = run.time_s;
    j["effective_bandwidth_bytes_per_s"] = run.effective_bandwidth;
    j["closed_form_time_s"] = sysc::transfer_time_s(p, bytes);
    j["serialisation_time_s"] = sysc::serialisation_time_s(p, bytes);
    j["latency_s"] = sysc::ps_to_seconds(p.latency_ps);
    j["data_rate_bytes_per_s"] = p.data_rate_bps / 8;
    j["payload_bandwidth_bytes_per_s"] = sysc::payload_bandwidth(p);
    j["credit_limited_bandwidth_bytes_per_s"] = sysc::credit_limited_bandwidth(p);
    j["buffer_flits"] = p.buffer_flits;
    j["bandwidth_delay_flits"] = sysc::bandwidth_delay_flits(p);
    j["packet_error_probability"] = p.packet_error_probability(p.max_payload_bytes);
    j["packets"] = run.stats.packets;
    j["flits"] = run.stats.flits;
    j["wire_bytes"] = run.stats.flits * p.flit_bytes;
    j["crc_errors"] = run.stats.crc_errors;
    j["replays"] = run.stats.naks;
    j["credit_stall_s"] = sysc::ps_to_seconds(run.stats.credit_stall_ps);
    j["events"] = run.events;
    if (opt.json) {
        std::fputs((j.dump(2) + "\n").c_str(), stdout);
        return kExitOk;
    }
    std::printf("%s: %lld bytes over one link (%s), %lld packets, %lld flits on the wire\n", opt.link.c_str(),
                static_cast<long long>(bytes), core ? "plain C++ core" : "SystemC/TLM", static_cast<long long>(run.stats.packets),
                static_cast<long long>(run.stats.flits));
    std::printf("time %s, effective bandwidth %s (closed form without stalls or errors: %s)\n",
                units::format_value(run.time_s, units::dims::kTime, 5).c_str(),
                units::format_value(run.effective_bandwidth * 8, units::dims::kBandwidth, 5).c_str(),
                units::format_value(sysc::transfer_time_s(p, bytes), units::dims::kTime, 5).c_str());
    std::printf("link %s of data, %s of payload after framing; credits %lld flits (bandwidth-delay %lld)\n",
                units::format_value(p.data_rate_bps, units::dims::kBandwidth, 5).c_str(),
                units::format_value(sysc::payload_bandwidth(p) * 8, units::dims::kBandwidth, 5).c_str(),
                static_cast<long long>(p.buffer_flits), static_cast<long long>(sysc::bandwidth_delay_flits(p)));
    std::printf("CRC errors %lld, replays %lld, credit stalls %s\n", static_cast<long long>(run.stats.crc_errors),
                static_cast<long long>(run.stats.naks),
                units::format_value(sysc::ps_to_seconds(run.stats.credit_stall_ps), units::dims::kTime, 4).c_str());
    return kExitOk;
#endif
}

}  // namespace chipdse::cli
