#pragma once
// A clock that runs only while enabled: a bench with no work leaves no event behind, so
// SimSession::run() returns once every bench is idle (an sc_clock would tick forever).
#include <cstdint>
#include <systemc>

namespace chipdse::sysc {

class GatedClock : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(GatedClock);
    GatedClock(const sc_core::sc_module_name& name, const sc_core::sc_time& period);

    sc_core::sc_signal<bool>& signal() { return m_clk; }
    const sc_core::sc_time& period() const { return m_period; }
    // Rising edges so far: the cycle count of record for whoever the clock drives.
    std::uint64_t posedges() const { return m_posedges; }

    // Starts the clock; its first edge is a rising one, one delta cycle later. Callable between runs.
    void enable();
    // Stops the clock at its next falling edge (no rising edge follows).
    void disable() { m_enabled = false; }

private:
    void tick();

    sc_core::sc_signal<bool> m_clk;
    sc_core::sc_time m_period, m_half;
    sc_core::sc_event m_wake;
    bool m_enabled = false, m_level = false;
    std::uint64_t m_posedges = 0;
};

}  // namespace chipdse::sysc
