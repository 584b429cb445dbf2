#pragma once
// A discrete-event queue in integer picoseconds: the timing engine of the link and network cores
// (plain C++, no SystemC).
//
// Contract: events run in time order, and events due at the same picosecond in the order they were
// scheduled (so a run is deterministic). An event is a (target, kind, argument) triple, not a
// closure, to keep scheduling cheap. The plain C++ runs drive the queue with run(); the SystemC
// shells (queue_driver.h) drive it with run_until(SystemC's now), so the same events run at the
// same simulated times under both.
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace chipdse::sysc {

using Ps = std::int64_t;  // simulated time, picoseconds (SystemC's default resolution)

inline constexpr double kPsPerSecond = 1e12;
inline Ps seconds_to_ps(double s) { return static_cast<Ps>(s * kPsPerSecond + 0.5); }
inline double ps_to_seconds(Ps t) { return static_cast<double>(t) / kPsPerSecond; }

class EventTarget {
public:
    virtual void on_event(std::uint32_t kind, std::uint64_t arg) = 0;

protected:
    ~EventTarget() = default;
};

class EventQueue {
public:
    // Schedules an event at `at` (not before now()).
    void schedule(Ps at, EventTarget* target, std::uint32_t kind, std::uint64_t arg = 0) {
        if (at < m_now) throw std::logic_error("EventQueue: event scheduled in the past");
        m_heap.push_back(Event{at, m_seq++, target, kind, arg});
        sift_up(m_heap.size() - 1);
    }
    void after(Ps delay, EventTarget* target, std::uint32_t kind, std::uint64_t arg = 0) {
        schedule(m_now + delay, target, kind, arg);
    }

    Ps now() const { return m_now; }
    bool empty() const { return m_heap.empty(); }
    Ps next_time() const { return m_heap.front().at; }
    std::uint64_t events_run() const { return m_run; }

    // Sets the clock of an empty queue (a SystemC shell aligns it with SystemC's time).
    void reset(Ps origin) {
        if (!m_heap.empty()) throw std::logic_error("EventQueue: reset with events pending");
        m_now = origin;
    }

    // Runs every event due at or before `until`, including those they schedule; now() = until after.
    void run_until(Ps until) {
        while (!m_heap.empty() && m_heap.front().at <= until) pop_and_run();
        if (until > m_now) m_now = until;
    }
    // Runs until no event is left; now() is the time of the last event.
    void run() {
        while (!m_heap.empty()) pop_and_run();
    }

private:
    struct Event {
        Ps at;
        std::uint64_t seq;
        EventTarget* target;
        std::uint32_t kind;
        std::uint64_t arg;
        bool before(const Event& o) const { return at < o.at || (at == o.at && seq < o.seq); }
    };

    // A 4-ary heap: half the depth of a binary one, and a node's children share cache lines.
    static constexpr std::size_t kArity = 4;

    void pop_and_run() {
        const Event e = m_heap.front();
        m_heap.front() = m_heap.back();
        m_heap.pop_back();
        if (!m_heap.empty()) sift_down(0);
        m_now = e.at;
        ++m_run;
        e.target->on_event(e.kind, e.arg);
    }
    void sift_up(std::size_t i) {
        const Event e = m_heap[i];
        while (i > 0) {
            const std::size_t p = (i - 1) / kArity;
            if (!e.before(m_heap[p])) break;
            m_heap[i] = m_heap[p];
            i = p;
        }
        m_heap[i] = e;
    }
    void sift_down(std::size_t i) {
        const Event e = m_heap[i];
        const std::size_t n = m_heap.size();
        while (true) {
            const std::size_t first = kArity * i + 1;
            if (first >= n) break;
            std::size_t c = first;
            const std::size_t last = first + kArity < n ? first + kArity : n;
            for (std::size_t k = first + 1; k < last; ++k)
                if (m_heap[k].before(m_heap[c])) c = k;
            if (!m_heap[c].before(e)) break;
            m_heap[i] = m_heap[c];
            i = c;
        }
        m_heap[i] = e;
    }

    std::vector<Event> m_heap;
    Ps m_now = 0;
    std::uint64_t m_seq = 0;
    std::uint64_t m_run = 0;
};

}  // namespace chipdse::sysc
