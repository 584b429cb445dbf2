#pragma once
// The process's one SystemC simulation (this header includes no SystemC).
//
// Contract: SystemC elaborates once per process and takes no new modules after the first
// sc_start. SimSession owns that simulation. A bench (a module tree that serves jobs) is built by
// require() at any time before the first run(); after that an unknown bench is an error, so every
// fidelity a process will use must be prepared first (see prepare_systolic_sc/_rtl). run() then
// resumes the same simulation as often as needed, each time until no event is left: benches gate
// their clocks off when their queues are empty, and a run returns when all are idle.
// SystemC has one kernel per process: hold lock() from submitting jobs until their results are read.
#include <mutex>
#include <set>
#include <string>

namespace chipdse::sysc {

class SimSession {
public:
    static SimSession& instance();

    // Builds bench `name` with `build` unless it exists. Throws std::logic_error when the
    // simulation has started and the bench is missing.
    template <class Build>
    void require(const std::string& name, Build&& build) {
        if (m_benches.count(name)) return;
        if (m_started) throw_too_late(name);
        build();
        m_benches.insert(name);
    }
    bool has(const std::string& name) const { return m_benches.count(name) != 0; }
    bool started() const { return m_started; }

    // Runs the simulation until it has no event left; the first call ends elaboration.
    void run();
    // Simulated time so far, in seconds.
    double now_s() const;

    [[nodiscard]] std::unique_lock<std::recursive_mutex> lock() { return std::unique_lock(m_mutex); }

private:
    SimSession();
    [[noreturn]] void throw_too_late(const std::string& name) const;

    std::set<std::string> m_benches;
    bool m_started = false;
    std::recursive_mutex m_mutex;
};

}  // namespace chipdse::sysc
