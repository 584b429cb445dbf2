#pragma once
// A node of a link network: a chip's network interface, or a switch (plain C++).
//
// Contract: a packet that arrives for this node is delivered at once and its receive-buffer slot
// freed (the chip consumes at line rate); the message's owner is told when its last packet is in.
// Any other packet is forwarded, store-and-forward, to the output port the routing names for its
// destination, `forward_latency` after it arrived (a switch's port-to-port latency; 0 for a chip
// passing a packet on). In a switch (hold_upstream) it keeps its slot in the upstream link's
// receive buffer until it has left on the output link, so a busy output pushes back on the
// senders. A chip (not hold_upstream) moves it into its own forwarding queue, taken as unbounded,
// and frees the link buffer at once: this stands in for the virtual channels real torus routers
// use, without which credit loops around a ring deadlock.
#include <cstdint>
#include <deque>
#include <memory>
#include <utility>
#include <vector>

#include "sysc/link/port.h"

namespace chipdse::sysc {

// Which output port of `node` leads towards chip `dst` (the network's routing function).
class Routing {
public:
    virtual std::int32_t next_port(std::int32_t node, std::int32_t dst) const = 0;

protected:
    ~Routing() = default;
};

class Router : public LinkReceiver, public EventTarget {
public:
    Router(EventQueue& queue, std::int32_t id, Ps forward_latency, bool hold_upstream)
        : m_queue(queue), m_id(id), m_forward_latency(forward_latency), m_hold_upstream(hold_upstream) {}

    std::int32_t id() const { return m_id; }
    Port& add_port(const LinkParams& params) {
        m_ports.push_back(std::make_unique<Port>(params));
        return *m_ports.back();
    }
    Port& port(std::size_t i) { return *m_ports.at(i); }
    std::size_t ports() const { return m_ports.size(); }

    void set_routing(const Routing* routing) { m_routing = routing; }

    void arrive(LinkCore& link, const Packet& p) override;
    void on_event(std::uint32_t kind, std::uint64_t arg) override;

private:
    void forward(const Packet& p);

    EventQueue& m_queue;
    std::int32_t m_id;
    Ps m_forward_latency;
    bool m_hold_upstream;
    std::vector<std::unique_ptr<Port>> m_ports;
    const Routing* m_routing = nullptr;
    // packets inside the switch with the time they reach the output queue; constant latency keeps
    // them in order, so only the front one is on the event queue
    std::deque<std::pair<Ps, Packet>> m_delay_line;
};

}  // namespace chipdse::sysc
