#include "sysc/link/link_sc.h"

#include <algorithm>

namespace chipdse::sysc {

LinkSc::LinkSc(const sc_core::sc_module_name& name, std::size_t tx_queue_packets)
    : sc_core::sc_module(name), in("in"), out("out"), m_driver("driver"), m_depth(tx_queue_packets) {
    in.register_b_transport(this, &LinkSc::b_transport);
    LinkParams idle;
    idle.data_rate_bps = 1e9;
    configure(idle, 1);
}

void LinkSc::configure(const LinkParams& params, std::uint64_t seed) {
    m_tx.clear();
    m_core = std::make_unique<LinkCore>(m_queue, params, seed, std::string(name()));
    m_core->connect(this, this);
    m_driver.attach(&m_queue);
    m_data.assign(static_cast<std::size_t>(std::max<std::int64_t>(params.max_payload_bytes, 1)), 0);
    m_out_address = 0;
}

void LinkSc::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
    if (gp.get_command() != tlm::TLM_WRITE_COMMAND) {
        gp.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    const auto payload = static_cast<std::int64_t>(gp.get_data_length());
    if (payload > m_core->params().max_payload_bytes) {
        gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    wait(delay);  // loosely timed initiators: catch up before the link sees the packet
    delay = sc_core::SC_ZERO_TIME;
    while (m_tx.size() >= m_depth) wait(m_space);
    m_driver.sync();
    m_tx.push_back(Packet{nullptr, static_cast<std::int32_t>(payload),
                          static_cast<std::int32_t>(m_core->params().packet_flits(payload)), nullptr});
    m_core->kick();
    m_driver.kick();
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

bool LinkSc::peek(Packet& p) {
    if (m_tx.empty()) return false;
    p = m_tx.front();
    return true;
}

void LinkSc::pop() {
    m_tx.pop_front();
    m_space.notify(sc_core::SC_ZERO_TIME);
}

void LinkSc::arrive(LinkCore& link, const Packet& p) {
    m_out.set_command(tlm::TLM_WRITE_COMMAND);
    m_out.set_address(m_out_address);
    m_out.set_data_ptr(m_data.data());
    m_out.set_data_length(static_cast<unsigned>(p.payload));
    m_out.set_streaming_width(static_cast<unsigned>(std::max<std::int32_t>(p.payload, 1)));
    m_out.set_byte_enable_ptr(nullptr);
    m_out.set_dmi_allowed(false);
    m_out.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time held = sc_core::SC_ZERO_TIME;
    out->b_transport(m_out, held);
    m_out_address += static_cast<std::uint64_t>(p.payload);
    link.release(p.flits, static_cast<Ps>(std::llround(held.to_seconds() * kPsPerSecond)));
}

LinkTrafficGen::LinkTrafficGen(const sc_core::sc_module_name& name) : sc_core::sc_module(name), out("out") {
    SC_THREAD(main);
}

void LinkTrafficGen::start(std::int64_t bytes, std::int64_t payload) {
    m_bytes = bytes;
    m_payload = std::max<std::int64_t>(payload, 1);
    m_data.assign(static_cast<std::size_t>(m_payload), 0);
    m_pending = true;  // seen at once if the thread has not yet reached its first wait
    m_go.notify(sc_core::SC_ZERO_TIME);
}

void LinkTrafficGen::main() {
    tlm::tlm_generic_payload gp;
    while (true) {
        while (!m_pending) wait(m_go);
        m_pending = false;
        m_started = QueueDriver::now_ps();
        std::int64_t offset = 0;
        do {
            const std::int64_t len = std::min(m_payload, m_bytes - offset);
            gp.set_command(tlm::TLM_WRITE_COMMAND);
            gp.set_address(static_cast<std::uint64_t>(offset));
            gp.set_data_ptr(m_data.data());
            gp.set_data_length(static_cast<unsigned>(len));
            gp.set_streaming_width(static_cast<unsigned>(std::max<std::int64_t>(len, 1)));
            gp.set_byte_enable_ptr(nullptr);
            gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
            out->b_transport(gp, delay);
            if (gp.is_response_error()) SC_REPORT_ERROR("chipdse/link", gp.get_response_string().c_str());
            offset += len;
        } while (offset < m_bytes);
    }
}

LinkSink::LinkSink(const sc_core::sc_module_name& name) : sc_core::sc_module(name), in("in") {
    in.register_b_transport(this, &LinkSink::b_transport);
}

void LinkSink::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
    m_bytes += static_cast<std::int64_t>(gp.get_data_length());
    ++m_packets;
    m_last = QueueDriver::now_ps();
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace chipdse::sysc
