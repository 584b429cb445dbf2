#include "sysc/kernel/sim_session.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <systemc>

// libsystemc refers to sc_main (its own main() would call it). chipdse drives the kernel through
// SimSession instead, so this weak definition only satisfies the linker; a program that defines
// its own sc_main replaces it.
extern "C" int sc_main(int, char**) __attribute__((weak));
extern "C" int sc_main(int, char**) {
    std::fputs("chipdse: sc_main is not used; SystemC runs through chipdse::sysc::SimSession\n", stderr);
    return 1;
}

namespace chipdse::sysc {

SimSession& SimSession::instance() {
    static SimSession session;
    return session;
}

SimSession::SimSession() {
    // Before the first SystemC object: the kernel prints its banner when it starts up.
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
}

void SimSession::throw_too_late(const std::string& name) const {
    std::string have;
    for (const auto& b : m_benches) have += (have.empty() ? "" : ", ") + b;
    throw std::logic_error("SystemC bench '" + name +
                           "' was not built before the simulation started (SystemC elaborates once per "
                           "process; built: " +
                           (have.empty() ? "none" : have) +
                           "). Call its prepare function (e.g. chipdse::rtl::prepare_systolic_rtl()) before "
                           "the first run of any bench.");
}

void SimSession::run() {
    m_started = true;
    sc_core::sc_start();  // returns when no event is left: every bench is idle
}

double SimSession::now_s() const { return sc_core::sc_time_stamp().to_seconds(); }

}  // namespace chipdse::sysc
