#include "sysc/collective/allreduce_analytical.h"

#include <cmath>

#include "dse/model/collectives.h"

namespace chipdse::sysc {
namespace {

std::int64_t links_used(const AllReduceJob& job) {
    if (job.topology.kind == Topology::Kind::kSwitch) return job.links_per_chip;
    const auto nd = static_cast<std::int64_t>(job.topology.dims.size());
    const auto active = static_cast<std::int64_t>(job.topology.active_dims().size());
    return job.links_per_chip / (2 * nd) * 2 * active;
}

double step_latency_s(const AllReduceJob& job) {
    const double l = ps_to_seconds(job.link.latency_ps);
    if (job.topology.kind == Topology::Kind::kSwitch) return 2 * l + ps_to_seconds(job.link.switch_latency_ps);
    return l;
}

spec::Topology model_topology(const Topology& t) {
    if (t.kind == Topology::Kind::kSwitch) return spec::Topology::kSwitched;
    switch (t.active_dims().size()) {
        case 2: return spec::Topology::kTorus2d;
        case 3: return spec::Topology::kTorus3d;
        default: return spec::Topology::kRing;
    }
}

}  // namespace

spec::SystemSpec matched_system(const AllReduceJob& job) {
    spec::SystemSpec s;
    s.name = "matched to the simulated link network";
    s.chips = job.topology.chips();
    s.chips_per_node = s.chips;
    s.scale_up.topology = model_topology(job.topology);
    s.scale_up.domain = s.chips;
    s.scale_up.bandwidth = units::BitsPerSecond(8 * static_cast<double>(links_used(job)) * payload_bandwidth(job.link));
    s.scale_up.latency = units::Seconds(step_latency_s(job));
    s.scale_up.efficiency = 1.0;
    s.scale_out = s.scale_up;
    return s;
}

AllReduceEstimate analytical_allreduce(const AllReduceJob& job) {
    AllReduceEstimate e;
    const spec::SystemSpec sys = matched_system(job);
    const double n = static_cast<double>(job.topology.chips());
    const double s = static_cast<double>(job.bytes);
    e.bandwidth = units::bytes_per_second(sys.scale_up.bandwidth);
    e.alpha_s = sys.scale_up.latency.si();
    double steps = n - 1;
    if (job.topology.kind == Topology::Kind::kTorus) {
        steps = 0;
        for (auto k : job.topology.active_dims()) steps += static_cast<double>(k - 1);
    }
    e.ring_s = 2 * (n - 1) / n * s / e.bandwidth + 2 * steps * e.alpha_s;
    e.tree_s = 2 * s / e.bandwidth + 2 * std::ceil(std::log2(n)) * e.alpha_s;
    e.algorithm_s = job.algorithm == AllReduceAlgorithm::kTree ? e.tree_s : e.ring_s;
    const model::CollectiveModel cm(sys);
    e.model_s = cm.time(model::Collective::kAllReduce, s, {job.topology.chips(), 1});
    return e;
}

double system_allreduce_time(const spec::SystemSpec& system, std::int64_t chips, std::int64_t bytes) {
    const model::CollectiveModel cm(system);
    return cm.time(model::Collective::kAllReduce, static_cast<double>(bytes), {chips, 1});
}

}  // namespace chipdse::sysc
