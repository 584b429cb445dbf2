#include "sysc/collective/fabric.h"

#include <stdexcept>
#include <string>

namespace chipdse::sysc {

Fabric::Fabric(EventQueue& queue, const Topology& topology, const LinkParams& link, std::int64_t links_per_chip,
               std::uint64_t seed)
    : m_queue(queue), m_topology(topology), m_link(link) {
    const std::int64_t k = topology.chips();
    if (k < 1 || k > (1 << 20)) throw std::invalid_argument("chips must be 1 .. 1048576; got " + std::to_string(k));
    for (auto d : topology.dims)
        if (d < 1) throw std::invalid_argument("torus dimensions must be at least 1; got " + topology.name());
    m_chips = static_cast<std::int32_t>(k);
    for (std::int32_t c = 0; c < m_chips; ++c) m_nodes.push_back(std::make_unique<Router>(queue, c, 0, false));
    std::uint64_t link_index = 0;
    auto next_seed = [&] { return mix_seed(seed, link_index++); };

    m_links_per_port = port_links(topology, links_per_chip);
    if (topology.kind == Topology::Kind::kSwitch) {
        m_nodes.push_back(std::make_unique<Router>(queue, m_chips, link.switch_latency_ps, true));
        Router& sw = *m_nodes.back();
        for (std::int32_t c = 0; c < m_chips; ++c) {
            connect(*m_nodes[c], m_nodes[c]->add_port(link), sw, m_links_per_port, next_seed());
            connect(sw, sw.add_port(link), *m_nodes[c], m_links_per_port, next_seed());
        }
    } else {
        const std::size_t nd = topology.dims.size();
        std::int64_t stride = 1;
        for (auto d : topology.dims) {
            m_stride.push_back(stride);
            stride *= d;
        }
        for (std::int32_t c = 0; c < m_chips; ++c)
            for (std::size_t d = 0; d < nd; ++d)
                for (int dir : {+1, -1}) {
                    Port& port = m_nodes[c]->add_port(link);
                    if (topology.dims[d] > 1)
                        connect(*m_nodes[c], port, *m_nodes[neighbour(c, d, dir)], m_links_per_port, next_seed());
                }
    }
    for (auto& n : m_nodes) n->set_routing(this);
}

std::int64_t Fabric::port_links(const Topology& topology, std::int64_t links_per_chip) {
    if (topology.kind == Topology::Kind::kSwitch) {
        if (links_per_chip < 1)
            throw std::invalid_argument("a chip needs at least one link to reach the switch; links.count is " +
                                        std::to_string(links_per_chip));
        return links_per_chip;
    }
    const auto nd = static_cast<std::int64_t>(topology.dims.size());
    if (links_per_chip < 2 * nd)
        throw std::invalid_argument("a " + std::to_string(nd) + "-dimensional torus needs at least " +
                                    std::to_string(2 * nd) + " links per chip (one per direction); links.count is " +
                                    std::to_string(links_per_chip));
    return links_per_chip / (2 * nd);
}

void Fabric::connect(Router& from, Port& port, Router& to, std::int64_t count, std::uint64_t seed) {
    for (std::int64_t i = 0; i < count; ++i) {
        m_links.push_back(std::make_unique<LinkCore>(
            m_queue, m_link, mix_seed(seed, static_cast<std::uint64_t>(i)),
            std::to_string(from.id()) + "->" + std::to_string(to.id()) + "#" + std::to_string(i)));
        m_links.back()->connect(&port, &to);
        port.add_link(m_links.back().get());
    }
}

std::int64_t Fabric::links_used_per_chip() const {
    if (m_topology.kind == Topology::Kind::kSwitch) return m_links_per_port;
    return m_links_per_port * 2 * static_cast<std::int64_t>(m_topology.active_dims().size());
}

std::int64_t Fabric::coord(std::int32_t chip, std::size_t dim) const {
    return (chip / m_stride[dim]) % m_topology.dims[dim];
}

std::int32_t Fabric::neighbour(std::int32_t chip, std::size_t dim, int dir) const {
    const std::int64_t k = m_topology.dims[dim];
    const std::int64_t c = coord(chip, dim);
    const std::int64_t n = ((c + dir) % k + k) % k;
    return static_cast<std::int32_t>(chip + (n - c) * m_stride[dim]);
}

std::int32_t Fabric::next_port(std::int32_t node, std::int32_t dst) const {
    if (node == dst) return -1;
    if (m_topology.kind == Topology::Kind::kSwitch) return node == m_chips ? dst : 0;
    for (std::size_t d = 0; d < m_topology.dims.size(); ++d) {
        const std::int64_t k = m_topology.dims[d];
        const std::int64_t delta = ((coord(dst, d) - coord(node, d)) % k + k) % k;
        if (delta == 0) continue;
        return torus_port(d, 2 * delta <= k ? +1 : -1);
    }
    return -1;
}

Message& Fabric::send(std::int32_t src, std::int32_t dst, std::int64_t bytes, std::uint64_t flow, MessageSink* owner,
                      std::uint64_t tag, std::int32_t port) {
    if (src == dst) throw std::logic_error("Fabric::send: a chip sending to itself");
    m_messages.push_back(Message{src, dst, bytes, packets_for(m_link, bytes), tag, owner});
    Message& m = m_messages.back();
    const std::int32_t out = port >= 0 ? port : next_port(src, dst);
    m_nodes[static_cast<std::size_t>(src)]->port(static_cast<std::size_t>(out)).send(&m, flow);
    return m;
}

LinkStats Fabric::link_stats() const {
    LinkStats s;
    for (const auto& l : m_links) s += l->stats();
    return s;
}

bool Fabric::quiescent() const {
    for (const auto& l : m_links)
        if (!l->quiescent()) return false;
    return true;
}

}  // namespace chipdse::sysc
