// The SystemC/TLM shell of the link (generator -> LinkSc -> sink over TLM-2.0 sockets) gives the
// plain C++ core's times exactly, many messages in one elaboration. Each test case is its own
// process (catch_discover_tests), so each starts from a fresh SystemC kernel.
#include <catch2/catch.hpp>

#include "sysc/collective/collective_run.h"
#include "sysc/kernel/sim_session.h"
#include "sysc/link/link_run.h"
#include "sysc/systolic/systolic_run.h"

using namespace chipdse;

namespace {

sysc::LinkParams make_link(double rate_bps, sysc::Ps latency_ps) {
    sysc::LinkParams p;
    p.data_rate_bps = rate_bps;
    p.lane_rate_bps = rate_bps;
    p.latency_ps = latency_ps;
    return p;
}

void same(const sysc::LinkRun& sc, const sysc::LinkRun& core) {
    CHECK(sc.time_ps == core.time_ps);
    CHECK(sc.stats.packets == core.stats.packets);
    CHECK(sc.stats.flits == core.stats.flits);
    CHECK(sc.stats.crc_errors == core.stats.crc_errors);
    CHECK(sc.stats.naks == core.stats.naks);
    CHECK(sc.stats.payload_bytes == core.stats.payload_bytes);
    CHECK(sc.stats.credit_stall_ps == core.stats.credit_stall_ps);
}

}  // namespace

TEST_CASE("link_sc: the TLM shell's times equal the core's, many messages in one elaboration", "[link_sc]") {
    std::vector<sysc::LinkJob> jobs;
    for (std::int64_t bytes : {0, 1, 256, 257, 10'000, 1 << 20}) jobs.push_back({make_link(100e9, 100'000), bytes, 1});
    // a rate with fractional picoseconds per flit
    jobs.push_back({make_link(16 * 32e9 * 128.0 / 130.0, 200'000), 3 << 20, 1});
    // credit-limited
    auto slow = make_link(100e9, 500'000);
    slow.buffer_flits = 10 * 17;
    jobs.push_back({slow, 256 * 1000, 1});
    // bit errors and replays
    auto noisy = make_link(100e9, 50'000);
    noisy.bit_error_rate = 2e-5;
    noisy.replay_latency_ps = 100'000;
    jobs.push_back({noisy, 256 * 5000, 11});
    double last = -1;
    for (const auto& j : jobs) {
        INFO(j.bytes << " bytes at " << j.link.data_rate_bps << " b/s");
        const auto sc = sysc::run_link_systemc(j);
        same(sc, sysc::run_link_model(j));
        CHECK(sc.time_s == Approx(static_cast<double>(sc.time_ps) * 1e-12));
        // the simulation resumed: SystemC's clock moved on by at least this message
        const double now = sysc::SimSession::instance().now_s();
        CHECK(now >= last + sc.time_s);
        last = now;
    }
    CHECK(jobs.back().link.bit_error_rate > 0);
}

TEST_CASE("link_sc: a bad job throws before anything runs", "[link_sc]") {
    auto p = make_link(100e9, 0);
    p.buffer_flits = 4;  // less than one packet
    CHECK_THROWS_AS(sysc::run_link_systemc({p, 1000, 1}), std::invalid_argument);
    CHECK_THROWS_AS(sysc::run_link_systemc({make_link(0, 0), 1000, 1}), std::invalid_argument);
    CHECK_THROWS_AS(sysc::run_link_systemc({make_link(100e9, 0), -1, 1}), std::invalid_argument);
    // and the bench still works afterwards
    const sysc::LinkJob good{make_link(100e9, 0), 4096, 1};
    same(sysc::run_link_systemc(good), sysc::run_link_model(good));
}

TEST_CASE("link_sc: link, all-reduce and systolic benches share the process's one simulation", "[link_sc]") {
    sysc::prepare_link_sc();
    sysc::prepare_collective_sc();
    sysc::prepare_systolic_sc();
    sysc::AllReduceJob ar;
    ar.topology = sysc::Topology::ring(4);
    ar.link = make_link(100e9, 100'000);
    ar.links_per_chip = 2;
    ar.bytes = 1 << 16;
    const sysc::LinkJob lj{make_link(100e9, 100'000), 1 << 16, 1};
    const std::vector<std::int8_t> ones(64, 1);
    const sysc::GemmJob gemm = sysc::make_job({4, 4, 0}, {8, 8, 8}, ones.data(), ones.data());
    for (int round = 0; round < 2; ++round) {
        same(sysc::run_link_systemc(lj), sysc::run_link_model(lj));
        CHECK(sysc::run_allreduce_systemc(ar).time_ps == sysc::run_allreduce_model(ar).time_ps);
        CHECK(sysc::run_gemm_systemc(gemm).cycles == sysc::gemm_cycles(gemm.array, gemm.shape));
    }
}

TEST_CASE("link_sc: a bench not prepared before the first run is refused", "[link_sc]") {
    const sysc::LinkJob lj{make_link(100e9, 0), 1024, 1};
    sysc::run_link_systemc(lj);
    CHECK_THROWS_WITH(sysc::prepare_collective_sc(), Catch::Contains("was not built before the simulation started"));
}
