#include <cmath>

#include "dse/spec/spec_schemas.h"

namespace chipdse::spec {

using config::defaults_to;
using config::ObjectSchema;
using config::Range;
using config::required;

namespace {

bool given(const config::ConfigNode* node, const char* key) {
    return node && node->is_map() && node->find(key) != nullptr;
}

// Cross-field rules and the derived side of bandwidth = lanes x lane_rate x line efficiency.
void check_link(const LinkSpec& l, const config::ConfigNode* node, const std::string& path,
                config::BindContext& ctx) {
    using units::dims::kBandwidth;
    using units::dims::kInfo;
    auto& out = const_cast<LinkSpec&>(l);  // bind_fields hands checks its mutable output; fill derived values
    for (auto [key, bits] : {std::pair{"flit_size", l.flit_size.si()}, std::pair{"flit_overhead", l.flit_overhead.si()},
                             std::pair{"max_payload", l.max_payload.si()},
                             std::pair{"packet_overhead", l.packet_overhead.si()}})
        if (std::fmod(bits, 8.0) != 0.0)
            ctx.diag.error(config::key_loc(node, key), path + "." + key, "must be a whole number of bytes",
                           units::format_value(bits, kInfo, 6), "e.g. \"16 B\"");
    if (l.flit_overhead.si() >= l.flit_size.si())
        ctx.diag.error(config::key_loc(node, "flit_overhead"), path + ".flit_overhead",
                       "must be smaller than flit_size (a flit must carry data)",
                       units::format_value(l.flit_overhead.si(), kInfo, 6),
                       "< " + units::format_value(l.flit_size.si(), kInfo, 6));
    const double eff = l.line_efficiency();
    const double lanes = static_cast<double>(l.lanes);
    const bool rate_given = given(node, "lane_rate") && l.lane_rate.si() > 0;
    const bool bw_given = given(node, "bandwidth") && l.bandwidth.si() > 0;
    if (rate_given) {
        const double derived = lanes * l.lane_rate.si() * eff;
        if (!bw_given) {
            out.bandwidth = units::BitsPerSecond(derived);
        } else if (std::abs(l.bandwidth.si() - derived) > 0.01 * derived) {
            ctx.diag.error(config::key_loc(node, "bandwidth"), path + ".bandwidth",
                           "must equal lanes x lane_rate x encoding efficiency x (1 - fec_overhead) within 1% "
                           "(or leave one of them out to derive it)",
                           units::format_value(l.bandwidth.si(), kBandwidth, 6),
                           units::format_value(derived, kBandwidth, 6));
        }
    } else if (l.bandwidth.si() > 0) {
        out.lane_rate = units::BitsPerSecond(l.bandwidth.si() / (lanes * eff));
    }
}

}  // namespace

const ObjectSchema<LinkSpec>& link_schema() {
    static const ObjectSchema<LinkSpec> s = [] {
        ObjectSchema<LinkSpec> o("links");
        const auto nn = Range::non_negative();
        o.count("count", &LinkSpec::count, "chip-to-chip links per chip", defaults_to("0"), nn)
            .quantity("bandwidth", &LinkSpec::bandwidth,
                      "data bandwidth per link, per direction (lanes x lane_rate x encoding efficiency; derived "
                      "from them when absent)",
                      defaults_to("0 B/s"), nn)
            .quantity("latency", &LinkSpec::latency, "latency per hop, one way (SerDes, PHY, wire)", defaults_to("0 s"),
                      nn)
            .quantity("energy_per_bit", &LinkSpec::energy_per_bit, "SerDes energy per bit", defaults_to("0 pJ/bit"), nn)
            .count("lanes", &LinkSpec::lanes, "lanes per link, per direction", defaults_to("1"))
            .quantity("lane_rate", &LinkSpec::lane_rate,
                      "signalling rate of one lane, raw line bits (derived from bandwidth when absent)",
                      defaults_to("0 B/s"), nn)
            .choice("encoding", &LinkSpec::encoding,
                    {{"none", LinkEncoding::kNone},
                     {"8b/10b", LinkEncoding::k8b10b},
                     {"64b/66b", LinkEncoding::k64b66b},
                     {"128b/130b", LinkEncoding::k128b130b},
                     {"128b/132b", LinkEncoding::k128b132b}},
                    "line code of the physical layer", defaults_to("none"))
            .number("fec_overhead", &LinkSpec::fec_overhead,
                    "fraction of line bits spent on forward error correction (RS(544,514): 0.0551)", defaults_to("0"),
                    Range::between(0.0, 0.5))
            .quantity("flit_size", &LinkSpec::flit_size, "flit on the wire: the unit of framing and of credits",
                      defaults_to("16 B"))
            .quantity("flit_overhead", &LinkSpec::flit_overhead, "bytes of every flit spent on per-flit CRC/FEC",
                      defaults_to("0 B"), nn)
            .quantity("max_payload", &LinkSpec::max_payload, "largest data payload of one packet",
                      defaults_to("256 B"))
            .quantity("packet_overhead", &LinkSpec::packet_overhead,
                      "header, sequence number, CRC and framing of one packet", defaults_to("16 B"), nn)
            .count("buffer_depth", &LinkSpec::buffer_depth,
                   "receive buffer of one link direction in flits: the credits of the transmitter", defaults_to("512"))
            .number("bit_error_rate", &LinkSpec::bit_error_rate,
                    "bit errors on the wire; a packet with one fails its CRC and is replayed (go-back-N)",
                    defaults_to("0"), Range::between(0.0, 1e-3))
            .quantity("replay_latency", &LinkSpec::replay_latency,
                      "NAK generation and transmitter rewind, on top of the return hop", defaults_to("0 s"), nn)
            .quantity("switch_latency", &LinkSpec::switch_latency,
                      "input to output port of a switch the link attaches to (store-and-forward of a packet "
                      "comes on top)",
                      defaults_to("0 s"), nn)
            .check(check_link);
        return o;
    }();
    return s;
}

}  // namespace chipdse::spec
