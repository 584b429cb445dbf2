#pragma once
// A link as the cycle-level model sees it (from spec::LinkSpec, in bytes and picoseconds), and the
// closed forms the tests hold the model to (docs/links.md). Plain C++, no SystemC.
#include <cstdint>

#include "dse/spec/link_spec.h"
#include "sysc/link/event_queue.h"

namespace chipdse::sysc {

struct LinkParams {
    std::int64_t lanes = 1;
    double lane_rate_bps = 0;      // raw line bits per second per lane
    double line_efficiency = 1;    // line code x (1 - FEC overhead)
    double data_rate_bps = 0;      // lanes x lane_rate x line_efficiency: flit bits per second
    std::int64_t flit_bytes = 16;
    std::int64_t flit_data_bytes = 16;   // flit_bytes - per-flit CRC/FEC bytes
    std::int64_t max_payload_bytes = 256;
    std::int64_t packet_overhead_bytes = 16;
    std::int64_t buffer_flits = 512;
    double bit_error_rate = 0;
    Ps latency_ps = 0;
    Ps replay_latency_ps = 0;
    Ps switch_latency_ps = 0;

    // Throws std::invalid_argument naming the key when the spec cannot drive the model
    // (no bandwidth, a buffer smaller than one packet, a packet error probability of 1/2 or more).
    static LinkParams from_spec(const spec::LinkSpec& s);
    void validate() const;

    // Flits of a packet carrying `payload` data bytes (0 allowed: a header-only packet).
    std::int64_t packet_flits(std::int64_t payload) const {
        const std::int64_t bytes = payload + packet_overhead_bytes;
        return bytes <= 0 ? 1 : (bytes + flit_data_bytes - 1) / flit_data_bytes;
    }
    std::int64_t packet_wire_bits(std::int64_t payload) const { return packet_flits(payload) * flit_bytes * 8; }
    // Picoseconds per flit bit at the data rate (fractional).
    double ps_per_bit() const { return kPsPerSecond / data_rate_bps; }
    // Probability that a packet fails its CRC: 1 - (1 - BER)^(wire bits).
    double packet_error_probability(std::int64_t payload) const;
};

// ---- closed forms (no contention, one link direction)

// Packets of a message of `bytes` (at least one: an empty message is one header-only packet).
std::int64_t packets_for(const LinkParams& p, std::int64_t bytes);
// Flits on the wire for a message.
std::int64_t flits_for(const LinkParams& p, std::int64_t bytes);
// Wire bytes / data bytes of full packets (>= 1): the framing factor.
double framing_factor(const LinkParams& p);
// Seconds to serialise a message: flits x flit bits / data rate.
double serialisation_time_s(const LinkParams& p, std::int64_t bytes);
// Message time on an idle link with ample credits and no errors: serialisation + latency.
double transfer_time_s(const LinkParams& p, std::int64_t bytes);
// Payload bandwidth of a saturated link with ample credits (bytes/s).
double payload_bandwidth(const LinkParams& p);
// Credit round trip of a full packet: its serialisation, the hop, the credit's way back.
double credit_round_trip_s(const LinkParams& p);
// Flits the receive buffer needs to keep the link busy: the bandwidth-delay product of the
// credit loop, rounded up to whole packets.
std::int64_t bandwidth_delay_flits(const LinkParams& p);
// Payload bandwidth with the configured buffer (bytes/s): full packets, sink at line rate.
double credit_limited_bandwidth(const LinkParams& p);
// Time one CRC error costs a saturated link with go-back-N replay: the NAK reaches the transmitter
// s + 2L + R after the bad packet started, the packet on the wire then finishes, the replay starts.
double replay_penalty_s(const LinkParams& p);

}  // namespace chipdse::sysc
