#pragma once
// Chip-to-chip links of a chip (or a link alone, in a link file). Keys: link_schema().
//
// count, bandwidth, latency and energy_per_bit are what the analytical, area and energy models
// read. The rest describes the link for the cycle-level model (sysc/link, docs/links.md): the
// physical layer (lanes x lane_rate x encoding efficiency = bandwidth; either side may be derived
// from the other), the framing of data into flits and packets, credit-based flow control, CRC
// with link-level replay, and the latency of a switch port. Defaults keep a link that gives only
// the four analytical keys valid: one lane, no line code, 16-byte flits, 256-byte packets with
// 16 bytes of header and CRC, no bit errors.
#include <cstdint>

#include "dse/units/quantity.h"

namespace chipdse::spec {

// Line code of the physical layer: data bits per coded bits.
enum class LinkEncoding { kNone, k8b10b, k64b66b, k128b130b, k128b132b };

inline double encoding_efficiency(LinkEncoding e) {
    switch (e) {
        case LinkEncoding::kNone: return 1.0;
        case LinkEncoding::k8b10b: return 8.0 / 10.0;
        case LinkEncoding::k64b66b: return 64.0 / 66.0;
        case LinkEncoding::k128b130b: return 128.0 / 130.0;
        case LinkEncoding::k128b132b: return 128.0 / 132.0;
    }
    return 1.0;
}

struct LinkSpec {
    std::int64_t count = 0;          // chip-to-chip links per chip
    units::BitsPerSecond bandwidth;  // per link, per direction: lanes x lane_rate x encoding efficiency
    units::Seconds latency;          // per hop, one way (SerDes, PHY pipeline, wire)
    units::JoulesPerBit energy_per_bit;

    // Physical layer. When lane_rate is not given it is derived from bandwidth, and the reverse.
    std::int64_t lanes = 1;           // lanes (differential pairs) per direction
    units::BitsPerSecond lane_rate;   // signalling rate of one lane, raw bits on the wire
    LinkEncoding encoding = LinkEncoding::kNone;
    double fec_overhead = 0.0;        // fraction of line bits spent on forward error correction

    // Framing: a packet carries up to max_payload data bytes plus packet_overhead (header, CRC,
    // framing tokens) and is padded to whole flits; each flit loses flit_overhead to per-flit CRC/FEC.
    units::Bits flit_size;
    units::Bits flit_overhead;
    units::Bits max_payload;
    units::Bits packet_overhead;

    // Credit-based flow control: the receive buffer of each link direction, in flits.
    std::int64_t buffer_depth = 512;
    // CRC with go-back-N link-level replay: bit errors on the wire and the NAK turnaround.
    double bit_error_rate = 0.0;
    units::Seconds replay_latency;   // receiver NAK generation + transmitter rewind, on top of the return hop

    units::Seconds switch_latency;   // input to output port of a switch this link attaches to

    // Data bits per line bit: line code and FEC.
    double line_efficiency() const { return encoding_efficiency(encoding) * (1.0 - fec_overhead); }
};

}  // namespace chipdse::spec
