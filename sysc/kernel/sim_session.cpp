#include "sysc/kernel/sim_session.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <systemc>

#if defined(__SANITIZE_ADDRESS__)
#define CHIPDSE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CHIPDSE_ASAN 1
#endif
#endif
#if defined(CHIPDSE_ASAN)
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#endif

// libsystemc refers to sc_main (its own main() would call it). chipdse drives the kernel through
// SimSession instead, so this weak definition only satisfies the linker; a program that defines
// its own sc_main replaces it.
extern "C" int sc_main(int, char**) __attribute__((weak));
extern "C" int sc_main(int, char**) {
    std::fputs("chipdse: sc_main is not used; SystemC runs through chipdse::sysc::SimSession\n", stderr);
    return 1;
}

namespace {

// Debian's SystemC 2.3.4 tells AddressSanitizer about its coroutine switches, but incompletely:
// it announces the stack of the thread that called sc_start as [0, 0) when a SystemC thread
// yields back to it, and says nothing when a SystemC thread ends. After sc_start, ASan takes
// that stack for a foreign one and skips its unpoisoning on every later throw ("ASan is ignoring
// requested __asan_handle_no_return"), so the frames an exception unwinds stay poisoned and the
// code that reuses them gets false stack-buffer-overflow reports (seen in Catch2's matchers after
// a CHECK_THROWS). Announcing the real stack again once sc_start returns keeps ASan exact outside
// the simulation. Without ASan this does nothing.
void reannounce_stack_to_asan() {
#if defined(CHIPDSE_ASAN)
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
    void* bottom = nullptr;
    std::size_t size = 0;
    const bool ok = pthread_attr_getstack(&attr, &bottom, &size) == 0;
    pthread_attr_destroy(&attr);
    if (!ok) return;
    __sanitizer_start_switch_fiber(nullptr, bottom, size);
    __sanitizer_finish_switch_fiber(nullptr, nullptr, nullptr);
#endif
}

}  // namespace

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
    reannounce_stack_to_asan();
}

double SimSession::now_s() const { return sc_core::sc_time_stamp().to_seconds(); }

}  // namespace chipdse::sysc
