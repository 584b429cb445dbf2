#include "sysc/link/link_params.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace chipdse::sysc {

LinkParams LinkParams::from_spec(const spec::LinkSpec& s) {
    LinkParams p;
    p.lanes = s.lanes;
    p.line_efficiency = s.line_efficiency();
    p.data_rate_bps = s.bandwidth.si();
    p.lane_rate_bps = s.lane_rate.si() > 0 ? s.lane_rate.si()
                                           : p.data_rate_bps / (static_cast<double>(p.lanes) * p.line_efficiency);
    p.flit_bytes = static_cast<std::int64_t>(std::llround(s.flit_size.si() / 8));
    p.flit_data_bytes = p.flit_bytes - static_cast<std::int64_t>(std::llround(s.flit_overhead.si() / 8));
    p.max_payload_bytes = static_cast<std::int64_t>(std::llround(s.max_payload.si() / 8));
    p.packet_overhead_bytes = static_cast<std::int64_t>(std::llround(s.packet_overhead.si() / 8));
    p.buffer_flits = s.buffer_depth;
    p.bit_error_rate = s.bit_error_rate;
    p.latency_ps = seconds_to_ps(s.latency.si());
    p.replay_latency_ps = seconds_to_ps(s.replay_latency.si());
    p.switch_latency_ps = seconds_to_ps(s.switch_latency.si());
    p.validate();
    return p;
}

void LinkParams::validate() const {
    auto bad = [](const std::string& what) { throw std::invalid_argument(what); };
    if (!(data_rate_bps > 0))
        bad("link bandwidth is 0: give links.bandwidth, or lanes and lane_rate (e.g. lane_rate: 112 Gb/s)");
    if (flit_bytes <= 0 || flit_data_bytes <= 0) bad("link flit_size must exceed flit_overhead");
    if (max_payload_bytes <= 0) bad("link max_payload must be at least 1 B");
    if (buffer_flits < packet_flits(max_payload_bytes))
        bad("link buffer_depth (" + std::to_string(buffer_flits) + " flits) must hold one full packet (" +
            std::to_string(packet_flits(max_payload_bytes)) + " flits), or no packet could ever be sent");
    const double pe = packet_error_probability(max_payload_bytes);
    if (pe >= 0.5)
        bad("link bit_error_rate " + std::to_string(bit_error_rate) + " fails a full packet's CRC with probability " +
            std::to_string(pe) + "; a replayed link needs it well below 1/2");
}

double LinkParams::packet_error_probability(std::int64_t payload) const {
    if (bit_error_rate <= 0) return 0.0;
    return -std::expm1(static_cast<double>(packet_wire_bits(payload)) * std::log1p(-bit_error_rate));
}

std::int64_t packets_for(const LinkParams& p, std::int64_t bytes) {
    return bytes <= 0 ? 1 : (bytes + p.max_payload_bytes - 1) / p.max_payload_bytes;
}

std::int64_t flits_for(const LinkParams& p, std::int64_t bytes) {
    const std::int64_t n = packets_for(p, bytes);
    if (bytes <= 0) return p.packet_flits(0);
    const std::int64_t last = bytes - (n - 1) * p.max_payload_bytes;
    return (n - 1) * p.packet_flits(p.max_payload_bytes) + p.packet_flits(last);
}

double framing_factor(const LinkParams& p) {
    return static_cast<double>(p.packet_flits(p.max_payload_bytes) * p.flit_bytes) /
           static_cast<double>(p.max_payload_bytes);
}

double serialisation_time_s(const LinkParams& p, std::int64_t bytes) {
    return static_cast<double>(flits_for(p, bytes) * p.flit_bytes * 8) / p.data_rate_bps;
}

double transfer_time_s(const LinkParams& p, std::int64_t bytes) {
    return serialisation_time_s(p, bytes) + ps_to_seconds(p.latency_ps);
}

double payload_bandwidth(const LinkParams& p) { return p.data_rate_bps / 8 / framing_factor(p); }

double credit_round_trip_s(const LinkParams& p) {
    return serialisation_time_s(p, p.max_payload_bytes) + 2 * ps_to_seconds(p.latency_ps);
}

std::int64_t bandwidth_delay_flits(const LinkParams& p) {
    const double s = serialisation_time_s(p, p.max_payload_bytes);
    const auto packets = static_cast<std::int64_t>(std::ceil(credit_round_trip_s(p) / s - 1e-9));
    return packets * p.packet_flits(p.max_payload_bytes);
}

double credit_limited_bandwidth(const LinkParams& p) {
    const std::int64_t m = p.buffer_flits / p.packet_flits(p.max_payload_bytes);  // packets in flight
    const double s = serialisation_time_s(p, p.max_payload_bytes);
    const double rtt = credit_round_trip_s(p);
    if (static_cast<double>(m) * s >= rtt) return payload_bandwidth(p);
    return static_cast<double>(m * p.max_payload_bytes) / rtt;
}

double replay_penalty_s(const LinkParams& p) {
    const double s = serialisation_time_s(p, p.max_payload_bytes);
    const double nak = s + 2 * ps_to_seconds(p.latency_ps) + ps_to_seconds(p.replay_latency_ps);
    return (std::floor(nak / s + 1e-12) + 1) * s;
}

}  // namespace chipdse::sysc
