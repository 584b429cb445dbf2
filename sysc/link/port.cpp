#include "sysc/link/port.h"

#include <algorithm>

namespace chipdse::sysc {

void Port::send(Message* m, std::uint64_t flow) {
    auto [it, inserted] = m_flow_index.try_emplace(flow, static_cast<std::int64_t>(m_flows.size()));
    if (inserted) m_flows.emplace_back();
    Flow& f = m_flows[static_cast<std::size_t>(it->second)];
    f.messages.push_back(m);
    if (f.messages.size() == 1) activate(it->second);
    kick();
}

void Port::forward(const Packet& p) {
    m_transit.push_back(p);
    if (m_transit.size() == 1) activate(kTransit);
    kick();
}

void Port::activate(std::int64_t turn) { m_turns.push_back(turn); }

void Port::kick() {
    for (LinkCore* l : m_links) {
        if (m_turns.empty()) return;
        if (!l->busy()) l->kick();
    }
}

bool Port::peek(Packet& out) {
    if (m_turns.empty()) return false;
    const std::int64_t t = m_turns.front();
    if (t == kTransit) {
        out = m_transit.front();
        return true;
    }
    const Flow& f = m_flows[static_cast<std::size_t>(t)];
    Message* m = f.messages.front();
    const std::int64_t payload = std::min(m->bytes - f.offset, m_params.max_payload_bytes);
    out = Packet{m, static_cast<std::int32_t>(payload), static_cast<std::int32_t>(m_params.packet_flits(payload)),
                 nullptr};
    return true;
}

void Port::pop() {
    const std::int64_t t = m_turns.front();
    m_turns.pop_front();
    if (t == kTransit) {
        m_transit.pop_front();
        if (!m_transit.empty()) m_turns.push_back(t);
        return;
    }
    Flow& f = m_flows[static_cast<std::size_t>(t)];
    Message* m = f.messages.front();
    f.offset += std::min(m->bytes - f.offset, m_params.max_payload_bytes);
    if (f.offset >= m->bytes) {
        f.messages.pop_front();
        f.offset = 0;
    }
    if (!f.messages.empty()) m_turns.push_back(t);
}

}  // namespace chipdse::sysc
