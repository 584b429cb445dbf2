#pragma once
// One direction of a chip-to-chip link: the timing core of the link model (plain C++, no SystemC).
//
// Contract, per packet (docs/links.md has the closed forms):
// - Serialisation: a packet of f flits occupies the transmitter for f x flit bits / data rate.
//   Back-to-back packets are timed from the start of the busy period, so rounding to picoseconds
//   never accumulates.
// - Credits: the transmitter holds one credit per flit of the receive buffer (buffer_flits) and
//   starts a packet only with credits for all its flits. The receiver frees them when the packet
//   leaves its buffer (delivered, forwarded or dropped); they are back one hop latency later.
// - Latency: the last flit reaches the receiver one hop latency after it leaves.
// - CRC and replay: each transmission fails its CRC with probability 1 - (1 - BER)^bits, drawn
//   from the link's own seeded generator. Go-back-N: the receiver drops the bad packet and every
//   later one until the bad one comes again, and sends a NAK that reaches the transmitter one hop
//   latency + replay_latency after the bad packet arrived; the transmitter finishes the packet on
//   the wire, then resends from the bad one (the replay buffer is taken as large enough).
// - Events per packet: end of transmission, arrival, credit return (plus a NAK per error).
//   Arrivals and credit returns come in order at a constant delay, so each link keeps them in
//   its own FIFO with only the next one on the event queue (a smaller heap, a faster run).
#include <cstdint>
#include <deque>
#include <random>
#include <string>

#include "sysc/link/event_queue.h"
#include "sysc/link/link_params.h"
#include "sysc/link/packet.h"

namespace chipdse::sysc {

// The seed of random stream `index` of a run seeded with `seed` (splitmix64: well spread for
// neighbouring seeds and indices).
inline std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t index) {
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (index + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

struct LinkStats {
    std::int64_t packets = 0;        // transmissions, replays included
    std::int64_t flits = 0;          // flits transmitted, replays included
    std::int64_t delivered = 0;      // packets accepted by the receiver
    std::int64_t payload_bytes = 0;  // data bytes accepted by the receiver
    std::int64_t crc_errors = 0;     // transmissions that failed their CRC
    std::int64_t naks = 0;           // replays started
    std::int64_t dropped = 0;        // intact packets dropped while waiting for a replay
    Ps busy_ps = 0;                  // transmitter serialising
    Ps credit_stall_ps = 0;          // transmitter with a packet to send and too few credits

    LinkStats& operator+=(const LinkStats& o);
};

class LinkCore : public EventTarget {
public:
    LinkCore(EventQueue& queue, const LinkParams& params, std::uint64_t seed, std::string name = "link");

    // Wires the transmitter to its packet source and the receiver end to its consumer.
    void connect(PacketSource* source, LinkReceiver* receiver) {
        m_source = source;
        m_receiver = receiver;
    }

    // The source may have new packets: start one now if the transmitter is idle and has credits.
    void kick() {
        if (!m_busy) try_start();
    }
    // The receiver frees `flits` of its buffer `after` from now; the credits reach the transmitter
    // one hop latency later.
    void release(std::int64_t flits, Ps after = 0);

    bool busy() const { return m_busy; }
    std::int64_t credits() const { return m_credits; }
    const LinkParams& params() const { return m_params; }
    const LinkStats& stats() const { return m_stats; }
    const std::string& name() const { return m_name; }
    // Nothing on the wire, queued for replay or owed in credits.
    bool quiescent() const;

    void on_event(std::uint32_t kind, std::uint64_t arg) override;

private:
    enum Kind : std::uint32_t { kTxDone, kArrive, kCredit, kCreditFifo, kNak };
    struct Sent {
        Packet packet;
        std::uint64_t seq;
        bool corrupted;
        Ps at;  // arrival of the last flit at the receiver
    };
    struct Credit {
        Ps at;
        std::int64_t flits;
    };

    void try_start();
    void tx_done();
    void arrive();
    void nak(std::uint64_t seq);
    bool draw_error(std::int64_t payload);

    EventQueue& m_queue;
    LinkParams m_params;
    std::string m_name;
    PacketSource* m_source = nullptr;
    LinkReceiver* m_receiver = nullptr;
    double m_ps_per_bit;
    std::mt19937_64 m_rng;

    // transmitter
    bool m_busy = false;
    Packet m_current;
    std::int64_t m_credits;
    Ps m_period_start = 0, m_busy_until = -1;
    double m_period_bits = 0;
    bool m_stalled = false;
    Ps m_stall_since = 0;
    std::uint64_t m_next_seq = 0;
    std::deque<Sent> m_replay_buffer;  // sent, possibly needed again (seq ascending)
    std::deque<Sent> m_resend;         // rewound by a NAK, to send before new packets

    // wire and receiver
    std::deque<Sent> m_in_flight;      // on the wire, in order of arrival; the front's arrival is queued
    std::deque<Credit> m_credit_fifo;  // credits on their way back, in order; the front's is queued
    std::uint64_t m_expected_seq = 0;  // next sequence number the receiver accepts
    bool m_discarding = false;         // a NAK is out; drop until m_expected_seq comes intact

    LinkStats m_stats;
};

}  // namespace chipdse::sysc
