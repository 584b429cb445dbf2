// The all-reduce on the SystemC shell gives the plain C++ core's results exactly, for jobs of any
// chip count and topology in one elaboration. Each test case is its own process.
#include <catch2/catch.hpp>

#include "sysc/collective/collective_run.h"
#include "sysc/kernel/sim_session.h"

using namespace chipdse;
using sysc::AllReduceAlgorithm;
using sysc::Topology;

namespace {

sysc::AllReduceJob job(const Topology& t, std::int64_t bytes, AllReduceAlgorithm a, std::int64_t links) {
    sysc::AllReduceJob j;
    j.topology = t;
    j.link.data_rate_bps = 200e9;
    j.link.lane_rate_bps = 100e9;
    j.link.lanes = 2;
    j.link.latency_ps = 100'000;
    j.link.switch_latency_ps = 150'000;
    j.link.buffer_flits = 1024;
    j.links_per_chip = links;
    j.bytes = bytes;
    j.algorithm = a;
    return j;
}

}  // namespace

TEST_CASE("collective_sc: SystemC runs equal the core's, many topologies in one elaboration", "[collective_sc]") {
    std::vector<sysc::AllReduceJob> jobs;
    for (auto a : {AllReduceAlgorithm::kRing, AllReduceAlgorithm::kTree}) {
        jobs.push_back(job(Topology::switched(8), 1 << 20, a, 18));
        jobs.push_back(job(Topology::switched(5), 1000, a, 4));
        jobs.push_back(job(Topology::ring(6), 1 << 18, a, 2));
        jobs.push_back(job(Topology::torus({4, 4}), 1 << 20, a, 8));
        jobs.push_back(job(Topology::torus({2, 2, 2}), 1 << 16, a, 6));
    }
    auto noisy = job(Topology::switched(4), 1 << 20, AllReduceAlgorithm::kRing, 4);
    noisy.link.bit_error_rate = 5e-6;
    noisy.seed = 9;
    jobs.push_back(noisy);
    double last = -1;
    for (const auto& j : jobs) {
        INFO(j.topology.name() << " " << sysc::algorithm_name(j.algorithm) << " " << j.bytes << " bytes");
        const auto sc = sysc::run_allreduce_systemc(j);
        const auto core = sysc::run_allreduce_model(j);
        CHECK(sc.time_ps == core.time_ps);
        CHECK(sc.messages == core.messages);
        CHECK(sc.links.packets == core.links.packets);
        CHECK(sc.links.naks == core.links.naks);
        CHECK(sc.events == core.events);
        const double now = sysc::SimSession::instance().now_s();
        CHECK(now >= last + sc.time_s);
        last = now;
    }
}

TEST_CASE("collective_sc: a bad job throws before anything runs, and the bench goes on", "[collective_sc]") {
    CHECK_THROWS_AS(sysc::run_allreduce_systemc(job(Topology::switched(1), 1024, AllReduceAlgorithm::kRing, 4)),
                    std::invalid_argument);
    CHECK_THROWS_AS(sysc::run_allreduce_systemc(job(Topology::torus({4, 4}), 1024, AllReduceAlgorithm::kRing, 3)),
                    std::invalid_argument);
    const auto j = job(Topology::switched(4), 1 << 16, AllReduceAlgorithm::kTree, 4);
    CHECK(sysc::run_allreduce_systemc(j).time_ps == sysc::run_allreduce_model(j).time_ps);
}
