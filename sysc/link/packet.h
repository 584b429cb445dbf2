#pragma once
// Messages and the packets that carry them over links (plain C++).
#include <cstdint>

namespace chipdse::sysc {

class LinkCore;
struct Message;

// Told when the last packet of a message has arrived at its destination.
class MessageSink {
public:
    virtual void delivered(Message& m) = 0;

protected:
    ~MessageSink() = default;
};

// A transfer of `bytes` from chip `src` to chip `dst`, cut into packets of at most max_payload.
struct Message {
    std::int32_t src = 0, dst = 0;
    std::int64_t bytes = 0;
    std::int64_t packets_left = 0;  // packets not yet arrived at dst
    std::uint64_t tag = 0;          // the owner's meaning (collective step, ...)
    MessageSink* owner = nullptr;
};

struct Packet {
    Message* msg = nullptr;
    std::int32_t payload = 0;           // data bytes
    std::int32_t flits = 0;             // on the wire, header and padding included
    LinkCore* held_by = nullptr;        // link whose receive buffer holds the packet until it moves on
};

// Where a link's transmitter takes packets from. peek() shows the next packet without taking it
// (the link takes it only when it has the credits); pop() takes the packet peek() showed.
class PacketSource {
public:
    virtual bool peek(Packet& out) = 0;
    virtual void pop() = 0;

protected:
    ~PacketSource() = default;
};

// The far end of a link: gets every packet that arrives intact and in sequence, and must call
// LinkCore::release(p.flits) when the packet leaves its receive buffer.
class LinkReceiver {
public:
    virtual void arrive(LinkCore& link, const Packet& p) = 0;

protected:
    ~LinkReceiver() = default;
};

}  // namespace chipdse::sysc
