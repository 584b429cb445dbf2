// The link's plain C++ core against its closed forms (docs/links.md), without SystemC: serialisation
// with framing, credit stalls below the bandwidth-delay product, go-back-N replay at a bit error
// rate, a switch hop, striping over parallel links; and the link section of the config schema.
#include <catch2/catch.hpp>

#include <cmath>

#include "dse/spec/design_loader.h"
#include "sysc/collective/fabric.h"
#include "sysc/link/link_run.h"

using namespace chipdse;
using sysc::LinkParams;
using sysc::Ps;

namespace {

// 100 Gb/s: 10 ps per bit, so a full packet (256 B + 16 B = 17 flits of 16 B) takes exactly 21,760 ps.
LinkParams round_link() {
    LinkParams p;
    p.data_rate_bps = 100e9;
    p.lane_rate_bps = 100e9;
    p.flit_bytes = p.flit_data_bytes = 16;
    p.max_payload_bytes = 256;
    p.packet_overhead_bytes = 16;
    p.buffer_flits = 4096;
    p.latency_ps = 100'000;
    return p;
}
constexpr Ps kPacketPs = 21'760;

sysc::LinkRun run(const LinkParams& p, std::int64_t bytes, std::uint64_t seed = 1) {
    return sysc::run_link_model({p, bytes, seed});
}

spec::LoadedDesign load_text(const std::string& yaml) { return spec::load_design_text(yaml, "link.yaml"); }

struct Arrivals : sysc::MessageSink {
    sysc::EventQueue* q = nullptr;
    std::vector<Ps> at;
    void delivered(sysc::Message&) override { at.push_back(q->now()); }
};

}  // namespace

TEST_CASE("link: packets, flits and framing of a message", "[link]") {
    const LinkParams p = round_link();
    CHECK(p.packet_flits(256) == 17);
    CHECK(p.packet_flits(0) == 1);
    CHECK(p.packet_flits(1) == 2);
    CHECK(sysc::packets_for(p, 0) == 1);
    CHECK(sysc::packets_for(p, 256) == 1);
    CHECK(sysc::packets_for(p, 257) == 2);
    CHECK(sysc::flits_for(p, 257) == 17 + 2);
    CHECK(sysc::framing_factor(p) == Approx(272.0 / 256.0));
    CHECK(sysc::payload_bandwidth(p) == Approx(100e9 / 8 * 256.0 / 272.0));
    // a flit with 2 bytes of per-flit CRC carries 14: 272 bytes need 20 flits
    LinkParams crc = p;
    crc.flit_data_bytes = 14;
    CHECK(crc.packet_flits(256) == 20);
}

TEST_CASE("link: serialisation time = bytes x framing / (lanes x rate x encoding) + latency", "[link]") {
    const LinkParams p = round_link();
    for (std::int64_t bytes : {0, 1, 100, 255, 256, 257, 1000, 4096, 65536, 1'000'003}) {
        INFO("bytes " << bytes);
        const auto r = run(p, bytes);
        const Ps expect = sysc::flits_for(p, bytes) * 128 * 10 + p.latency_ps;
        CHECK(r.time_ps == expect);
        CHECK(r.time_s == Approx(sysc::transfer_time_s(p, bytes)).epsilon(1e-12));
        CHECK(r.stats.packets == sysc::packets_for(p, bytes));
        CHECK(r.stats.flits == sysc::flits_for(p, bytes));
        CHECK(r.stats.payload_bytes == bytes);
        CHECK(r.stats.credit_stall_ps == 0);
    }
    // A rate with no whole picoseconds per flit: x16 PCIe 5.0 (32 GT/s, 128b/130b). Timing from the
    // start of the busy period keeps a 4 MiB message within a picosecond of the closed form.
    LinkParams pcie = p;
    pcie.lanes = 16;
    pcie.lane_rate_bps = 32e9;
    pcie.line_efficiency = 128.0 / 130.0;
    pcie.data_rate_bps = 16 * 32e9 * 128.0 / 130.0;
    for (std::int64_t bytes : {1, 300, 4 << 20}) {
        const auto r = run(pcie, bytes);
        CHECK(std::abs(static_cast<double>(r.time_ps) - sysc::transfer_time_s(pcie, bytes) * 1e12) <= 1.0);
    }
    // Large messages approach the payload bandwidth: rate x payload / wire bytes.
    const auto big = run(p, 64 << 20);
    CHECK(big.effective_bandwidth == Approx(sysc::payload_bandwidth(p)).epsilon(1e-3));
}

TEST_CASE("link: credits stall the link when the buffer is below the bandwidth-delay product", "[link]") {
    LinkParams p = round_link();
    p.latency_ps = 500'000;  // credit loop: 21.76 ns + 2 x 500 ns = 1021.76 ns = 46.96 packet times
    CHECK(sysc::bandwidth_delay_flits(p) == 47 * 17);
    const std::int64_t n = 1000, bytes = n * 256;

    SECTION("a buffer of the bandwidth-delay product never stalls") {
        p.buffer_flits = sysc::bandwidth_delay_flits(p);
        const auto r = run(p, bytes);
        CHECK(r.time_ps == n * kPacketPs + p.latency_ps);
        CHECK(r.stats.credit_stall_ps == 0);
        CHECK(sysc::credit_limited_bandwidth(p) == Approx(sysc::payload_bandwidth(p)));
    }
    SECTION("one packet less stalls") {
        p.buffer_flits = sysc::bandwidth_delay_flits(p) - 1;
        const auto r = run(p, bytes);
        CHECK(r.time_ps > n * kPacketPs + p.latency_ps);
        CHECK(r.stats.credit_stall_ps > 0);
    }
    SECTION("10 packets of credits: 10 packets per credit round trip, exactly") {
        p.buffer_flits = 10 * 17 + 16;  // a partial packet's worth of credits is no use
        const auto r = run(p, bytes);
        // packet k starts at floor(k/10) x (s + 2L) + (k mod 10) x s; the last arrives s + L after its start
        const Ps rtt = kPacketPs + 2 * p.latency_ps;
        const Ps expect = (n - 1) / 10 * rtt + ((n - 1) % 10 + 1) * kPacketPs + p.latency_ps;
        CHECK(r.time_ps == expect);
        CHECK(r.effective_bandwidth == Approx(sysc::credit_limited_bandwidth(p)).epsilon(0.01));
        CHECK(sysc::credit_limited_bandwidth(p) == Approx(10 * 256 / 1021.76e-9));
        // stalled for all but the 10 packet times of each round trip
        CHECK(r.stats.credit_stall_ps == (n - 1) / 10 * (rtt - 10 * kPacketPs));
    }
}

TEST_CASE("link: CRC errors cost one go-back-N replay penalty each", "[link]") {
    LinkParams p = round_link();
    p.latency_ps = 50'000;
    p.replay_latency_ps = 100'000;
    // the NAK is back s + 2L + R = 221.76 ns after the bad packet started: 10.19 packet times, so
    // the transmitter finishes the 11th packet since and replays: 11 packet times lost
    const Ps penalty = 11 * kPacketPs;
    CHECK(sysc::replay_penalty_s(p) == Approx(penalty * 1e-12));
    p.bit_error_rate = 4.6e-6;  // a 2176-bit packet fails with probability 0.0100
    const double pe = p.packet_error_probability(256);
    CHECK(pe == Approx(1 - std::pow(1 - 4.6e-6, 2176)));
    CHECK(pe == Approx(0.0100).epsilon(0.01));
    const std::int64_t n = 20000;
    const auto r = run(p, n * 256, 7);

    // every NAK costs exactly the penalty (no error fell in the last packets, where the link would be idle)
    CHECK(r.stats.naks > 0);
    CHECK(r.time_ps == n * kPacketPs + p.latency_ps + r.stats.naks * penalty);
    CHECK(r.stats.delivered == n);
    CHECK(r.stats.payload_bytes == n * 256);
    CHECK(r.stats.packets == n + r.stats.naks * 11);  // every replay resends what was on the wire since
    // errors among the packets dropped behind a bad one cost nothing more
    CHECK(r.stats.crc_errors >= r.stats.naks);
    // the NAK count is binomial around n x p / (1 - p) (replays fail too): within 4 sigma
    const double mean = n * pe / (1 - pe);
    CHECK(std::abs(static_cast<double>(r.stats.naks) - mean) < 4 * std::sqrt(mean));
    // and the time around its expectation n s + L + E[naks] x penalty
    const double expect = (n * kPacketPs + p.latency_ps + mean * penalty) * 1e-12;
    CHECK(r.time_s == Approx(expect).epsilon(0.03));

    // seeded: the same seed gives the same run, another seed another one
    const auto again = run(p, n * 256, 7);
    CHECK(again.time_ps == r.time_ps);
    CHECK(again.stats.crc_errors == r.stats.crc_errors);
    const auto other = run(p, n * 256, 8);
    CHECK(other.stats.crc_errors != r.stats.crc_errors);
}

TEST_CASE("link: a replay also fails sometimes, and the link still delivers everything in order", "[link]") {
    LinkParams p = round_link();
    p.bit_error_rate = 1e-4;  // a packet fails with probability 0.20
    p.buffer_flits = 40 * 17;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        const auto r = run(p, 500 * 256 + 77, seed);
        CHECK(r.stats.delivered == 501);
        CHECK(r.stats.payload_bytes == 500 * 256 + 77);
        CHECK(r.stats.naks > 50);
    }
    p.bit_error_rate = 4e-4;  // fails a packet with probability 0.58
    CHECK_THROWS_WITH(p.validate(), Catch::Contains("bit_error_rate"));
}

TEST_CASE("link: a switch hop stores and forwards each packet, after its port-to-port latency", "[link]") {
    LinkParams p = round_link();
    p.switch_latency_ps = 300'000;
    sysc::EventQueue q;
    sysc::Fabric f(q, sysc::Topology::switched(2), p, 1, 1);
    Arrivals a;
    a.q = &q;
    const std::int64_t n = 100;
    f.send(0, 1, n * 256, 0, &a, 0);
    q.run();
    REQUIRE(a.at.size() == 1);
    // the first packet reaches the switch at s + L, leaves s + L + switch later; packets then stream
    CHECK(a.at[0] == (n + 1) * kPacketPs + 2 * p.latency_ps + p.switch_latency_ps);
    CHECK(f.quiescent());
}

TEST_CASE("link: a message is striped over the parallel links of a port", "[link]") {
    const LinkParams p = round_link();
    for (std::int64_t links : {1, 2, 4, 18}) {
        sysc::EventQueue q;
        sysc::Fabric f(q, sysc::Topology::ring(2), p, 2 * links, 1);  // links per direction each way
        Arrivals a;
        a.q = &q;
        const std::int64_t n = 36 * 10;  // packets
        f.send(0, 1, n * 256, 0, &a, 0, sysc::Fabric::torus_port(0, +1));
        q.run();
        REQUIRE(a.at.size() == 1);
        CHECK(a.at[0] == (n + links - 1) / links * kPacketPs + p.latency_ps);
        const auto s = f.link_stats();
        CHECK(s.packets == n);
    }
}

TEST_CASE("link: flows of one port share it round-robin, each in order", "[link]") {
    const LinkParams p = round_link();
    sysc::EventQueue q;
    sysc::Fabric f(q, sysc::Topology::ring(2), p, 2, 1);
    Arrivals a;
    a.q = &q;
    const int port = sysc::Fabric::torus_port(0, +1);
    f.send(0, 1, 10 * 256, /*flow*/ 1, &a, 0, port);  // starts at once: packet 0 of the wire
    f.send(0, 1, 10 * 256, 1, &a, 1, port);            // flow 1's second message waits for its first
    f.send(0, 1, 10 * 256, /*flow*/ 2, &a, 2, port);  // flow 2 takes turns with flow 1 from packet 2
    q.run();
    REQUIRE(a.at.size() == 3);
    // wire: A0 A1 C0 A2 C1 .. A9 (17) C8 B0 C9 (20) B1 .. B9 (29)
    CHECK(a.at[0] == 18 * kPacketPs + p.latency_ps);  // flow 1's first message
    CHECK(a.at[1] == 21 * kPacketPs + p.latency_ps);  // flow 2
    CHECK(a.at[2] == 30 * kPacketPs + p.latency_ps);  // flow 1's second message
}

TEST_CASE("link: the link section of a config, with units, derived rates and located errors", "[link][config]") {
    SECTION("bandwidth derived from lanes x lane_rate x encoding") {
        const auto d = load_text("link:\n  lanes: 16\n  lane_rate: 32 Gb/s\n  encoding: 128b/130b\n  latency: 500 ns\n");
        REQUIRE(d.ok());
        CHECK(d.spec.link->bandwidth.si() == Approx(16 * 32e9 * 128.0 / 130.0));
        const auto p = sysc::LinkParams::from_spec(*d.spec.link);
        CHECK(p.data_rate_bps == Approx(16 * 32e9 * 128.0 / 130.0));
        CHECK(p.latency_ps == 500'000);
        CHECK(p.max_payload_bytes == 256);
        CHECK(p.buffer_flits == 512);
    }
    SECTION("lane_rate derived from bandwidth, with FEC") {
        const auto d = load_text("link:\n  bandwidth: 25 GB/s\n  lanes: 2\n  fec_overhead: 0.0551\n");
        REQUIRE(d.ok());
        CHECK(d.spec.link->lane_rate.si() == Approx(200e9 / 2 / (1 - 0.0551)));
    }
    SECTION("a link given only the analytical keys gets the defaults") {
        const auto d = load_text("link:\n  bandwidth: 50 GB/s\n  latency: 1 us\n");
        REQUIRE(d.ok());
        const auto p = sysc::LinkParams::from_spec(*d.spec.link);
        CHECK(p.flit_bytes == 16);
        CHECK(p.packet_overhead_bytes == 16);
        CHECK(p.bit_error_rate == 0);
    }
    SECTION("bandwidth that contradicts the lanes is an error at its line") {
        const auto d = load_text("link:\n  lanes: 4\n  lane_rate: 100 Gb/s\n  bandwidth: 25 GB/s\n");
        REQUIRE(!d.ok());
        CHECK_THAT(d.diag.format(),
                   Catch::Contains("link.yaml:4: link.bandwidth: must equal lanes x lane_rate x encoding efficiency") &&
                       Catch::Contains("got 25 GB/s; expected 50 GB/s"));
    }
    SECTION("framing errors") {
        const auto d = load_text("link:\n  bandwidth: 25 GB/s\n  flit_size: 16 B\n  flit_overhead: 16 B\n  max_payload: 100 bit\n");
        REQUIRE(!d.ok());
        CHECK_THAT(d.diag.format(), Catch::Contains("link.yaml:4: link.flit_overhead: must be smaller than flit_size"));
        CHECK_THAT(d.diag.format(), Catch::Contains("link.yaml:5: link.max_payload: must be a whole number of bytes"));
    }
    SECTION("units and ranges come from the schema") {
        const auto d = load_text("link:\n  bandwidth: 25 GB/s\n  buffer_depth: 0\n  bit_error_rate: 0.1\n  switch_latency: 5\n  encoding: 8b/9b\n");
        REQUIRE(!d.ok());
        const std::string e = d.diag.format();
        CHECK_THAT(e, Catch::Contains("link.yaml:3: link.buffer_depth"));
        CHECK_THAT(e, Catch::Contains("link.yaml:4: link.bit_error_rate"));
        CHECK_THAT(e, Catch::Contains("link.yaml:5: link.switch_latency: missing unit"));
        CHECK_THAT(e, Catch::Contains("link.yaml:6: link.encoding"));
    }
    SECTION("a link with no bandwidth cannot drive the model") {
        const auto d = load_text("link:\n  latency: 1 us\n");
        REQUIRE(d.ok());
        CHECK_THROWS_WITH(sysc::LinkParams::from_spec(*d.spec.link), Catch::Contains("bandwidth is 0"));
    }
    SECTION("a buffer must hold a packet") {
        const auto d = load_text("link:\n  bandwidth: 25 GB/s\n  buffer_depth: 16\n");
        REQUIRE(d.ok());
        CHECK_THROWS_WITH(sysc::LinkParams::from_spec(*d.spec.link), Catch::Contains("buffer_depth (16 flits)"));
    }
}

TEST_CASE("link: shipped link files and every shipped chip's links drive the model", "[link][config]") {
    for (const char* f : {"nvlink4.yaml", "pcie5-x16.yaml", "cxl3-x16.yaml", "ici-v4.yaml"}) {
        INFO(f);
        const auto d = spec::load_design({std::string(CHIPDSE_SOURCE_DIR) + "/arch_configs/links/" + f}, {});
        REQUIRE(d.ok());
        REQUIRE(d.spec.link);
        const auto p = sysc::LinkParams::from_spec(*d.spec.link);
        CHECK(p.buffer_flits >= sysc::bandwidth_delay_flits(p));  // as their comments say: no credit stalls
        const auto r = run(p, 1 << 20);
        CHECK(r.effective_bandwidth > 0.8 * sysc::payload_bandwidth(p));
        CHECK(r.effective_bandwidth <= sysc::payload_bandwidth(p) * (1 + 1e-9));
    }
    for (const char* f : {"a100-sxm-80gb.yaml", "h100-sxm.yaml", "h200-sxm.yaml", "b200.yaml", "mi300x.yaml",
                          "tpu-v4.yaml", "tpu-v5p.yaml", "gaudi3.yaml"}) {
        INFO(f);
        const auto d = spec::load_design({std::string(CHIPDSE_SOURCE_DIR) + "/arch_configs/chips/" + f}, {});
        REQUIRE(d.ok());
        const auto p = sysc::LinkParams::from_spec(d.spec.chip->links);
        CHECK(run(p, 4096).time_s == Approx(sysc::transfer_time_s(p, 4096)));
    }
}
