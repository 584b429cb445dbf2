#include "sysc/kernel/gated_clock.h"

namespace chipdse::sysc {

GatedClock::GatedClock(const sc_core::sc_module_name& name, const sc_core::sc_time& period)
    : sc_core::sc_module(name), m_clk("clk", false), m_period(period), m_half(period / 2) {
    SC_METHOD(tick);
}

void GatedClock::enable() {
    if (m_enabled) return;
    m_enabled = true;
    m_wake.notify(sc_core::SC_ZERO_TIME);  // no effect while still toggling; tick() sees m_enabled
}

void GatedClock::tick() {
    if (!m_enabled && !m_level) {
        next_trigger(m_wake);
        return;
    }
    m_level = !m_level;
    m_clk.write(m_level);
    if (m_level) ++m_posedges;
    next_trigger(m_half);
}

}  // namespace chipdse::sysc
