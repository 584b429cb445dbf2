#include "sysc/link/link_core.h"

#include <cmath>

namespace chipdse::sysc {

LinkStats& LinkStats::operator+=(const LinkStats& o) {
    packets += o.packets;
    flits += o.flits;
    delivered += o.delivered;
    payload_bytes += o.payload_bytes;
    crc_errors += o.crc_errors;
    naks += o.naks;
    dropped += o.dropped;
    busy_ps += o.busy_ps;
    credit_stall_ps += o.credit_stall_ps;
    return *this;
}

LinkCore::LinkCore(EventQueue& queue, const LinkParams& params, std::uint64_t seed, std::string name)
    : m_queue(queue),
      m_params(params),
      m_name(std::move(name)),
      m_ps_per_bit(params.ps_per_bit()),
      m_rng(seed),
      m_credits(params.buffer_flits) {}

bool LinkCore::quiescent() const {
    return !m_busy && m_in_flight.empty() && m_resend.empty() && m_credit_fifo.empty() &&
           m_credits == m_params.buffer_flits;
}

void LinkCore::release(std::int64_t flits, Ps after) {
    const Ps at = m_queue.now() + after + m_params.latency_ps;
    if (!m_credit_fifo.empty() && at < m_credit_fifo.back().at) {  // out of order (a receiver's own delay)
        m_queue.schedule(at, this, kCredit, static_cast<std::uint64_t>(flits));
        return;
    }
    m_credit_fifo.push_back(Credit{at, flits});
    if (m_credit_fifo.size() == 1) m_queue.schedule(at, this, kCreditFifo);
}

void LinkCore::on_event(std::uint32_t kind, std::uint64_t arg) {
    switch (kind) {
        case kTxDone: tx_done(); break;
        case kArrive: arrive(); break;
        case kCreditFifo: {
            m_credits += m_credit_fifo.front().flits;
            m_credit_fifo.pop_front();
            if (!m_credit_fifo.empty()) m_queue.schedule(m_credit_fifo.front().at, this, kCreditFifo);
            kick();
            break;
        }
        case kCredit:
            m_credits += static_cast<std::int64_t>(arg);
            kick();
            break;
        case kNak: nak(arg); break;
        default: break;
    }
}

bool LinkCore::draw_error(std::int64_t payload) {
    if (m_params.bit_error_rate <= 0) return false;
    const double u = static_cast<double>(m_rng() >> 11) * 0x1.0p-53;
    return u < m_params.packet_error_probability(payload);
}

void LinkCore::try_start() {
    const Ps now = m_queue.now();
    Sent next{};
    const bool resend = !m_resend.empty();
    if (resend) {
        next = m_resend.front();
    } else if (!m_source || !m_source->peek(next.packet)) {
        if (m_stalled) {  // another link of the port took the packet this one waited for
            m_stats.credit_stall_ps += now - m_stall_since;
            m_stalled = false;
        }
        return;
    }
    const std::int64_t flits = next.packet.flits;
    if (m_credits < flits) {
        if (!m_stalled) {
            m_stalled = true;
            m_stall_since = now;
        }
        return;
    }
    if (m_stalled) {
        m_stats.credit_stall_ps += now - m_stall_since;
        m_stalled = false;
    }
    if (resend) {
        m_resend.pop_front();
    } else {
        m_source->pop();
        next.seq = m_next_seq++;
    }
    m_credits -= flits;

    // Serialisation, timed from the start of the busy period (no accumulated rounding).
    if (now > m_busy_until) {
        m_period_start = now;
        m_period_bits = 0;
    }
    m_period_bits += static_cast<double>(flits * m_params.flit_bytes * 8);
    Ps end = m_period_start + static_cast<Ps>(std::ceil(m_period_bits * m_ps_per_bit - 1e-6));
    if (end < now) end = now;
    m_busy_until = end;
    m_busy = true;
    m_current = next.packet;
    m_stats.busy_ps += end - now;
    ++m_stats.packets;
    m_stats.flits += flits;

    next.corrupted = draw_error(next.packet.payload);
    if (next.corrupted) ++m_stats.crc_errors;
    next.packet.held_by = nullptr;  // released once, when the first transmission ends
    if (m_params.bit_error_rate > 0) m_replay_buffer.push_back(next);
    next.at = end + m_params.latency_ps;
    m_in_flight.push_back(next);
    m_queue.schedule(end, this, kTxDone);
    if (m_in_flight.size() == 1) m_queue.schedule(next.at, this, kArrive);
}

void LinkCore::tx_done() {
    m_busy = false;
    if (m_current.held_by) m_current.held_by->release(m_current.flits);  // it has left the upstream buffer
    m_current = Packet{};
    try_start();
}

void LinkCore::arrive() {
    const Sent s = m_in_flight.front();
    m_in_flight.pop_front();
    if (!m_in_flight.empty()) m_queue.schedule(m_in_flight.front().at, this, kArrive);
    const bool in_sequence = s.seq == m_expected_seq;
    if (s.corrupted || (m_discarding && !in_sequence)) {
        // dropped: a bad CRC, or a packet that follows a bad one; the buffer slot is free again
        release(s.packet.flits);
        if (!s.corrupted) ++m_stats.dropped;
        if (s.corrupted && in_sequence) {  // the first bad packet, or its replay failing again: NAK
            m_discarding = true;
            m_queue.after(m_params.latency_ps + m_params.replay_latency_ps, this, kNak, m_expected_seq);
        }
        return;
    }
    m_discarding = false;
    ++m_expected_seq;
    ++m_stats.delivered;
    m_stats.payload_bytes += s.packet.payload;
    while (!m_replay_buffer.empty() && m_replay_buffer.front().seq < m_expected_seq) m_replay_buffer.pop_front();
    m_receiver->arrive(*this, s.packet);
}

void LinkCore::nak(std::uint64_t seq) {
    ++m_stats.naks;
    // Go back N: every packet from `seq` on is sent again, before any new one, in order.
    while (!m_replay_buffer.empty() && m_replay_buffer.front().seq < seq) m_replay_buffer.pop_front();
    while (!m_replay_buffer.empty()) {
        m_resend.push_front(m_replay_buffer.back());
        m_replay_buffer.pop_back();
    }
    kick();
}

}  // namespace chipdse::sysc
