#include "dse/sweep/progress.h"

#include <algorithm>
#include <cmath>

namespace chipdse::sweep {
namespace {

std::string duration_text(double s) {
    if (!std::isfinite(s) || s < 0) return "?";
    char buf[32];
    auto t = static_cast<long long>(s + 0.5);
    if (t >= 86400) std::snprintf(buf, sizeof buf, "%lldd%02lldh", t / 86400, t % 86400 / 3600);
    else if (t >= 3600) std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", t / 3600, t % 3600 / 60, t % 60);
    else std::snprintf(buf, sizeof buf, "%lld:%02lld", t / 60, t % 60);
    return buf;
}

}  // namespace

Progress::Progress(std::string name, std::uint64_t planned, Style style, std::FILE* out, double line_interval_s)
    : m_name(std::move(name)), m_planned(planned), m_style(style), m_out(out), m_interval(line_interval_s) {
    m_start = m_last = std::chrono::steady_clock::now();
}

void Progress::set_objective(std::string metric, bool maximize) {
    m_metric = std::move(metric);
    m_maximize = maximize;
}

void Progress::offer_best(double v) {
    if (std::isnan(v)) return;
    if (!m_have_best || (m_maximize ? v > m_best : v < m_best)) {
        m_best = v;
        m_have_best = true;
    }
}

double Progress::elapsed_s() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
}

std::string Progress::line() const {
    const double t = elapsed_s();
    const double rate = t > 0 ? static_cast<double>(m_done) / t : 0;
    const double frac = m_planned ? static_cast<double>(m_done) / static_cast<double>(m_planned) : 1.0;
    const double eta = rate > 0 ? static_cast<double>(m_planned > m_done ? m_planned - m_done : 0) / rate : NAN;
    char buf[256];
    std::string s;
    if (m_style == Style::kBar) {
        const int width = 24;
        int filled = static_cast<int>(frac * width);
        s = m_name + " [" + std::string(static_cast<size_t>(std::min(filled, width)), '#') +
            std::string(static_cast<size_t>(width - std::min(filled, width)), '.') + "] ";
        std::snprintf(buf, sizeof buf, "%llu/%llu %5.1f%%  %.0f pt/s  ETA %s", static_cast<unsigned long long>(m_done),
                      static_cast<unsigned long long>(m_planned), 100 * frac, rate, duration_text(eta).c_str());
    } else {
        s = "sweep " + m_name + ": ";
        std::snprintf(buf, sizeof buf, "%llu/%llu points (%.1f%%), %.0f points/s, elapsed %s, ETA %s",
                      static_cast<unsigned long long>(m_done), static_cast<unsigned long long>(m_planned), 100 * frac,
                      rate, duration_text(t).c_str(), duration_text(eta).c_str());
    }
    s += buf;
    if (m_have_best) {
        std::snprintf(buf, sizeof buf, "%.4g", m_best);
        s += (m_style == Style::kBar ? "  best " : ", best ") + m_metric + " " + buf;
    }
    if (m_note) s += (m_style == Style::kBar ? "  " : ", ") + m_note();
    return s;
}

void Progress::print(bool final) {
    if (m_style == Style::kNone) return;
    std::string l = line();
    if (m_style == Style::kBar) {
        std::string pad = l.size() < m_last_width ? std::string(m_last_width - l.size(), ' ') : "";
        m_last_width = l.size();
        std::fprintf(m_out, "\r%s%s%s", l.c_str(), pad.c_str(), final ? "\n" : "");
    } else {
        std::fprintf(m_out, "%s\n", l.c_str());
    }
    std::fflush(m_out);
}

void Progress::tick() {
    if (m_style == Style::kNone) return;
    auto now = std::chrono::steady_clock::now();
    double since = std::chrono::duration<double>(now - m_last).count();
    if (since < (m_style == Style::kBar ? 0.2 : m_interval)) return;
    m_last = now;
    print(false);
}

void Progress::finish() {
    if (m_style == Style::kBar) print(true);
}

}  // namespace chipdse::sweep
