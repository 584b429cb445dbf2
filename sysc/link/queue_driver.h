#pragma once
// Runs a core's EventQueue in SystemC time: the thin timing shell shared by the link and
// collective benches. One SC_METHOD wakes at the time of the queue's next event (or when kicked),
// runs every event due, and sleeps until the next one: no process is woken per cycle or per flit,
// and with nothing queued it leaves no SystemC event behind, so SimSession::run() returns.
#include <systemc>

#include "sysc/link/event_queue.h"

namespace chipdse::sysc {

class QueueDriver : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(QueueDriver);
    explicit QueueDriver(const sc_core::sc_module_name& name);

    // SystemC's current time in picoseconds.
    static Ps now_ps();

    // Drives `queue` from now on; its clock is set to SystemC's (it must be empty).
    void attach(EventQueue* queue);
    void detach() { m_queue = nullptr; }
    // Runs what is due now, before code outside the queue's events touches the core.
    void sync() {
        if (m_queue) m_queue->run_until(now_ps());
    }
    // Events were scheduled from outside the queue's own events: look again.
    void kick() { m_kick.notify(sc_core::SC_ZERO_TIME); }

private:
    void drive();

    EventQueue* m_queue = nullptr;
    sc_core::sc_event m_kick;
};

}  // namespace chipdse::sysc
