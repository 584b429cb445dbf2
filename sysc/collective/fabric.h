#pragma once
// K chips and the links between them, built from a topology (plain C++): routers, ports and one
// LinkCore per link direction, all on one event queue.
//
// Switch: every chip's links all go to one switch (a port of `links_per_chip` links each way).
// Torus: each chip has 2 ports per dimension (+ and -), each of links_per_chip / (2 x dims) links,
// routed dimension by dimension the short way round (a tie goes +). A link's credits return over
// the reverse direction, taken as latency only (credit updates cost no bandwidth).
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "sysc/collective/topology.h"
#include "sysc/link/router.h"

namespace chipdse::sysc {

class Fabric : private Routing {
public:
    // Throws std::invalid_argument when the chip has too few links for the topology.
    Fabric(EventQueue& queue, const Topology& topology, const LinkParams& link, std::int64_t links_per_chip,
           std::uint64_t seed);

    // Links in each output port of a chip: all of them (switch), links_per_chip / (2 x dims)
    // (torus). Throws std::invalid_argument when that is less than one.
    static std::int64_t port_links(const Topology& topology, std::int64_t links_per_chip);

    const Topology& topology() const { return m_topology; }
    std::int32_t chips() const { return m_chips; }
    std::int64_t links_per_port() const { return m_links_per_port; }
    // Links a chip drives (all its output ports).
    std::int64_t links_used_per_chip() const;
    const LinkParams& link() const { return m_link; }

    // Sends `bytes` from src to dst; the first hop leaves through `port` of src when given (a torus
    // direction, see torus_port), else by the route. `owner` is told when it has all arrived.
    Message& send(std::int32_t src, std::int32_t dst, std::int64_t bytes, std::uint64_t flow, MessageSink* owner,
                  std::uint64_t tag, std::int32_t port = -1);

    // Torus only: the port of a chip towards dimension `dim`, direction +1 or -1, and the chip there.
    static std::int32_t torus_port(std::size_t dim, int dir) { return static_cast<std::int32_t>(2 * dim + (dir > 0 ? 0 : 1)); }
    std::int32_t neighbour(std::int32_t chip, std::size_t dim, int dir) const;
    std::int64_t coord(std::int32_t chip, std::size_t dim) const;

    std::int64_t messages() const { return static_cast<std::int64_t>(m_messages.size()); }
    LinkStats link_stats() const;
    std::size_t link_count() const { return m_links.size(); }
    bool quiescent() const;

private:
    std::int32_t next_port(std::int32_t node, std::int32_t dst) const override;
    void connect(Router& from, Port& port, Router& to, std::int64_t count, std::uint64_t seed);

    EventQueue& m_queue;
    Topology m_topology;
    LinkParams m_link;
    std::int32_t m_chips = 0;
    std::int64_t m_links_per_port = 0;
    std::vector<std::int64_t> m_stride;  // torus: chip = sum coord[d] * stride[d]
    std::vector<std::unique_ptr<Router>> m_nodes;  // chips 0..K-1, then the switch
    std::vector<std::unique_ptr<LinkCore>> m_links;
    std::deque<Message> m_messages;
};

}  // namespace chipdse::sysc
