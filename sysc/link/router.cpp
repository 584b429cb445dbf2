#include "sysc/link/router.h"

#include <stdexcept>
#include <string>

namespace chipdse::sysc {

void Router::arrive(LinkCore& link, const Packet& p) {
    if (p.msg->dst == m_id) {
        link.release(p.flits);
        if (--p.msg->packets_left == 0 && p.msg->owner) p.msg->owner->delivered(*p.msg);
        return;
    }
    Packet fwd = p;
    if (m_hold_upstream) {
        fwd.held_by = &link;
    } else {
        link.release(p.flits);
        fwd.held_by = nullptr;
    }
    if (m_forward_latency == 0) {
        forward(fwd);
        return;
    }
    m_delay_line.emplace_back(m_queue.now() + m_forward_latency, fwd);
    if (m_delay_line.size() == 1) m_queue.schedule(m_delay_line.front().first, this, 0);
}

void Router::on_event(std::uint32_t, std::uint64_t) {
    const Packet p = m_delay_line.front().second;
    m_delay_line.pop_front();
    if (!m_delay_line.empty()) m_queue.schedule(m_delay_line.front().first, this, 0);
    forward(p);
}

void Router::forward(const Packet& p) {
    const std::int32_t out = m_routing ? m_routing->next_port(m_id, p.msg->dst) : -1;
    if (out < 0 || static_cast<std::size_t>(out) >= m_ports.size())
        throw std::logic_error("router " + std::to_string(m_id) + ": no route to chip " + std::to_string(p.msg->dst));
    m_ports[static_cast<std::size_t>(out)]->forward(p);
}

}  // namespace chipdse::sysc
