#pragma once
// Progress of a sweep: points done, rate, ETA and the best value so far of the first
// objective. On a terminal one line redrawn in place; otherwise a plain line now and then.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

namespace chipdse::sweep {

class Progress {
public:
    enum class Style { kNone, kBar, kLines };

    Progress(std::string name, std::uint64_t planned, Style style, std::FILE* out, double line_interval_s);

    void set_planned(std::uint64_t n) { m_planned = n; }
    // One point done (evaluated or found in the store).
    void point_done() { ++m_done; }
    // A candidate for "best so far" (already filtered by the constraints).
    void offer_best(double value);
    void set_objective(std::string metric, bool maximize);
    // A note appended to every line, computed when the line is printed (e.g. "6 simulations").
    void set_note(std::function<std::string()> note) { m_note = std::move(note); }

    // Prints if due (called often; cheap when not due).
    void tick();
    // Final line (ends the redrawn bar with a newline).
    void finish();

    std::uint64_t done() const { return m_done; }
    double elapsed_s() const;

private:
    std::string line() const;
    void print(bool final);

    std::string m_name;
    std::uint64_t m_planned, m_done = 0;
    Style m_style;
    std::FILE* m_out;
    double m_interval;
    std::chrono::steady_clock::time_point m_start, m_last;
    std::string m_metric;
    bool m_maximize = true, m_have_best = false;
    double m_best = 0;
    size_t m_last_width = 0;
    std::function<std::string()> m_note;
};

}  // namespace chipdse::sweep
