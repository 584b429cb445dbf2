#pragma once
// An output port: the parallel links from one node to one neighbour, and what is queued for them
// (plain C++). It is the packet source of each of its links.
//
// Contract: messages sent through the port are cut into packets of at most max_payload when a
// link takes them (never all at once). Messages of one flow (an id the sender picks, e.g. one
// ring of a collective) leave in order; the flows and the packets passing through the node
// (one FIFO) share the links round-robin, one packet per turn. Any idle link with enough credits
// takes the next packet, the lowest-numbered first, so a message is striped over all the links.
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

#include "sysc/link/link_core.h"

namespace chipdse::sysc {

class Port : public PacketSource {
public:
    explicit Port(const LinkParams& params) : m_params(params) {}

    void add_link(LinkCore* link) { m_links.push_back(link); }
    const std::vector<LinkCore*>& links() const { return m_links; }

    // Queues a message that starts at this node.
    void send(Message* m, std::uint64_t flow);
    // Queues a packet passing through this node (it stays in the upstream link's buffer until it
    // has left on one of this port's links).
    void forward(const Packet& p);

    bool peek(Packet& out) override;
    void pop() override;
    bool idle() const { return m_turns.empty(); }

private:
    struct Flow {
        std::deque<Message*> messages;
        std::int64_t offset = 0;  // bytes of the front message already packetised
    };
    static constexpr std::int64_t kTransit = -1;

    void activate(std::int64_t turn);
    void kick();

    LinkParams m_params;
    std::vector<LinkCore*> m_links;
    std::vector<Flow> m_flows;
    std::unordered_map<std::uint64_t, std::int64_t> m_flow_index;
    std::deque<Packet> m_transit;
    std::deque<std::int64_t> m_turns;  // round-robin order of the flows with something queued
};

}  // namespace chipdse::sysc
