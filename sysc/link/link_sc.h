#pragma once
// SystemC/TLM-2.0 shell of one link direction (L1), and the generator and sink of its bench.
//
// LinkSc takes packets on a TLM target socket (b_transport, WRITE, data_length = payload bytes of
// one packet, at most max_payload) into a small transmit queue; b_transport blocks while the
// queue is full, so the link's credits and serialisation push back on the initiator. Packets
// that arrive intact leave through the initiator socket (b_transport to the far end, which must
// not wait: it is called from the link's method process); the far end's annotated delay is the
// time the packet holds the receive buffer. Timing is all LinkCore's, run in SystemC time by a
// QueueDriver.
#include <cstdint>
#include <deque>
#include <memory>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <vector>

#include "sysc/link/link_core.h"
#include "sysc/link/queue_driver.h"

namespace chipdse::sysc {

class LinkSc : public sc_core::sc_module, private PacketSource, private LinkReceiver {
public:
    tlm_utils::simple_target_socket<LinkSc> in;
    tlm_utils::simple_initiator_socket<LinkSc> out;

    LinkSc(const sc_core::sc_module_name& name, std::size_t tx_queue_packets = 2);

    // A fresh link with these parameters; call between runs, when the last job has drained.
    void configure(const LinkParams& params, std::uint64_t seed);
    const LinkStats& stats() const { return m_core->stats(); }
    std::uint64_t events() const { return m_queue.events_run(); }

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    bool peek(Packet& out) override;
    void pop() override;
    void arrive(LinkCore& link, const Packet& p) override;

    QueueDriver m_driver;
    EventQueue m_queue;
    std::unique_ptr<LinkCore> m_core;
    std::deque<Packet> m_tx;
    std::size_t m_depth;
    sc_core::sc_event m_space;
    tlm::tlm_generic_payload m_out;
    std::vector<unsigned char> m_data;
    std::uint64_t m_out_address = 0;
};

// Sends `bytes` as packets of at most `payload` bytes, one b_transport each, from an SC_THREAD.
class LinkTrafficGen : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<LinkTrafficGen> out;

    SC_HAS_PROCESS(LinkTrafficGen);
    explicit LinkTrafficGen(const sc_core::sc_module_name& name);

    // Starts a message at the next resumption of the simulation (call between runs).
    void start(std::int64_t bytes, std::int64_t payload);
    Ps started_ps() const { return m_started; }

private:
    void main();

    sc_core::sc_event m_go;
    std::int64_t m_bytes = 0, m_payload = 1;
    bool m_pending = false;
    Ps m_started = 0;
    std::vector<unsigned char> m_data;
};

// Counts what arrives; returns at once with no delay (consumes at line rate).
class LinkSink : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<LinkSink> in;

    explicit LinkSink(const sc_core::sc_module_name& name);
    void clear() { m_bytes = m_packets = 0; }
    std::int64_t bytes() const { return m_bytes; }
    std::int64_t packets() const { return m_packets; }
    Ps last_ps() const { return m_last; }

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);

    std::int64_t m_bytes = 0, m_packets = 0;
    Ps m_last = 0;
};

}  // namespace chipdse::sysc
