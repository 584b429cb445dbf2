#include "dse/model/collectives.h"

#include <algorithm>
#include <cmath>

#include "dse/model/characteriser.h"

namespace chipdse::model {

CollectiveModel::CollectiveModel(const spec::SystemSpec& system) : m_sys(system) {}

CollectiveModel::CollectiveModel(const spec::SystemSpec& system, const Characteriser* characteriser,
                                 const spec::LinkSpec* links)
    : m_sys(system), m_characteriser(links ? characteriser : nullptr), m_links(links) {}

double CollectiveModel::up(Collective c, double bytes, std::int64_t ranks) const {
    const double t = flat(c, bytes, static_cast<double>(ranks), scale_up());
    if (!m_characteriser || t <= 0) return t;
    // A reduce-scatter or all-gather of S is one phase of the ring all-reduce of S: the same factor.
    if (c != Collective::kAllReduce && c != Collective::kReduceScatter && c != Collective::kAllGather) return t;
    if (auto f = m_characteriser->allreduce_time_factor(*m_links, m_sys.scale_up, ranks, bytes)) return t * *f;
    return t;
}

std::int64_t CollectiveModel::members_per_domain(const GroupPlacement& g) const {
    const std::int64_t domain = std::max<std::int64_t>(1, m_sys.scale_up.domain);
    if (g.stride >= domain) return 1;
    return std::clamp<std::int64_t>(domain / g.stride, 1, g.size);
}

CollectiveModel::Level CollectiveModel::scale_up() const {
    const auto& n = m_sys.scale_up;
    return Level{units::bytes_per_second(n.bandwidth) * n.efficiency, n.latency.si(), n.topology};
}

CollectiveModel::Level CollectiveModel::scale_out(std::int64_t domains_spanned) const {
    const auto& n = m_sys.scale_out;
    double bw = units::bytes_per_second(n.bandwidth) * n.efficiency;
    // A tapered fat tree delivers full bandwidth inside a leaf group only; a group spanning
    // many domains sees the oversubscribed upper tier.
    if (domains_spanned > 1) bw /= n.oversubscription;
    return Level{bw, n.latency.si(), n.topology};
}

double CollectiveModel::flat(Collective c, double bytes, double n, const Level& l) {
    if (n <= 1 || bytes <= 0) return 0.0;
    // Latency steps of a ring: n - 1; on a d-dimensional torus the ring runs per dimension,
    // so sum (k - 1) over dimensions of k = n^(1/d) ranks.
    double steps = n - 1;
    if (l.topology == spec::Topology::kTorus2d) steps = 2 * (std::sqrt(n) - 1);
    if (l.topology == spec::Topology::kTorus3d) steps = 3 * (std::cbrt(n) - 1);
    const double beta = bytes / l.bw;
    switch (c) {
        case Collective::kAllReduce: {
            const double ring = 2 * (n - 1) / n * beta + 2 * steps * l.latency;
            // double binary tree (pipelined): full bandwidth term, logarithmic latency;
            // collective libraries pick the faster of the two per message size. Only on switched
            // networks: on rings and tori a tree edge spans several hops (the cycle-level model
            // of sysc/collective measures 2-6x the formula there), so those use the ring.
            if (l.topology == spec::Topology::kRing || l.topology == spec::Topology::kTorus2d ||
                l.topology == spec::Topology::kTorus3d)
                return ring;
            const double tree = 2 * beta + 2 * std::ceil(std::log2(n)) * l.latency;
            return std::min(ring, tree);
        }
        case Collective::kReduceScatter:
        case Collective::kAllGather: return (n - 1) / n * beta + steps * l.latency;
        case Collective::kAllToAll: return (n - 1) / n * beta + (n - 1) * l.latency;
        case Collective::kSendRecv: return beta + l.latency;
    }
    return 0.0;
}

double CollectiveModel::time(Collective c, double bytes, const GroupPlacement& g) const {
    if (g.size <= 1 || bytes <= 0) return 0.0;
    const double n = static_cast<double>(g.size);
    const std::int64_t k = members_per_domain(g);
    if (k >= g.size) return up(c, bytes, g.size);  // all inside one scale-up domain
    const std::int64_t domains = (g.size + k - 1) / k;
    const Level out = scale_out(domains);
    if (c == Collective::kSendRecv) return flat(c, bytes, 2, out);
    if (k == 1) return flat(c, bytes, n, out);
    // Hierarchical: reduce-scatter inside the domain, the collective across domains on a 1/k
    // shard (k NICs in parallel), all-gather inside the domain.
    const Level up_level = scale_up();
    const double kd = static_cast<double>(k), dd = static_cast<double>(domains);
    switch (c) {
        case Collective::kAllReduce:
            return up(Collective::kReduceScatter, bytes, k) + flat(Collective::kAllReduce, bytes / kd, dd, out) +
                   up(Collective::kAllGather, bytes, k);
        case Collective::kReduceScatter:
        case Collective::kAllGather:
            return up(c, bytes, k) + flat(c, bytes / kd, dd, out);
        case Collective::kAllToAll:
            // the share leaving the domain crosses the scale-out network
            return flat(c, bytes * kd / n, kd, up_level) + (n - kd) / n * bytes / out.bw + (dd - 1) * out.latency;
        case Collective::kSendRecv: break;
    }
    return flat(c, bytes, n, out);
}

namespace {
// Bytes one rank sends in a flat ring collective of n ranks over a buffer of S bytes.
double ring_bytes(Collective c, double s, double n) {
    if (n <= 1) return 0.0;
    switch (c) {
        case Collective::kAllReduce: return 2 * (n - 1) / n * s;
        case Collective::kReduceScatter:
        case Collective::kAllGather:
        case Collective::kAllToAll: return (n - 1) / n * s;
        case Collective::kSendRecv: return s;
    }
    return 0.0;
}
}  // namespace

CollectiveModel::Traffic CollectiveModel::traffic(Collective c, double bytes, const GroupPlacement& g) const {
    Traffic t;
    if (g.size <= 1 || bytes <= 0) return t;
    const double n = static_cast<double>(g.size);
    const std::int64_t k = members_per_domain(g);
    if (k >= g.size) {
        t.scale_up = ring_bytes(c, bytes, n);
        return t;
    }
    if (c == Collective::kSendRecv || k == 1) {
        t.scale_out = ring_bytes(c, bytes, n);
        return t;
    }
    const double kd = static_cast<double>(k), dd = std::ceil(n / kd);
    switch (c) {
        case Collective::kAllReduce:
            t.scale_up = 2 * ring_bytes(Collective::kReduceScatter, bytes, kd);
            t.scale_out = ring_bytes(Collective::kAllReduce, bytes / kd, dd);
            break;
        case Collective::kReduceScatter:
        case Collective::kAllGather:
            t.scale_up = ring_bytes(c, bytes, kd);
            t.scale_out = ring_bytes(c, bytes / kd, dd);
            break;
        case Collective::kAllToAll:
            t.scale_up = bytes * (kd - 1) / n;
            t.scale_out = bytes * (n - kd) / n;
            break;
        case Collective::kSendRecv: break;
    }
    return t;
}

}  // namespace chipdse::model
