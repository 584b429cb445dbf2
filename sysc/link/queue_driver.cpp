#include "sysc/link/queue_driver.h"

#include <cmath>
#include <stdexcept>

namespace chipdse::sysc {

QueueDriver::QueueDriver(const sc_core::sc_module_name& name) : sc_core::sc_module(name) {
    SC_METHOD(drive);
    sensitive << m_kick;
    dont_initialize();
}

Ps QueueDriver::now_ps() { return static_cast<Ps>(std::llround(sc_core::sc_time_stamp().to_seconds() * kPsPerSecond)); }

void QueueDriver::attach(EventQueue* queue) {
    if (!queue->empty()) throw std::logic_error("QueueDriver: attach a queue with no events pending");
    queue->reset(now_ps());
    m_queue = queue;
}

void QueueDriver::drive() {
    if (!m_queue) return;
    const Ps now = now_ps();
    m_queue->run_until(now);
    if (m_queue->empty()) return;  // static sensitivity: the next kick
    next_trigger(sc_core::sc_time(static_cast<double>(m_queue->next_time() - now), sc_core::SC_PS), m_kick);
}

}  // namespace chipdse::sysc
