#include "dse/config/diagnostics.h"

#include <algorithm>
#include <cctype>

namespace chipdse::config {

std::string SourceLoc::text() const {
    if (!file) return "<unknown>";
    if (line <= 0) return *file;
    return *file + ":" + std::to_string(line);
}

std::string Diagnostic::format() const {
    std::string s = loc.text() + ": ";
    if (!path.empty()) s += path + ": ";
    s += problem;
    if (!got.empty()) s += "; got " + got;
    if (!expected.empty()) s += "; expected " + expected;
    if (!hint.empty()) s += " (" + hint + ")";
    return s;
}

void Diagnostics::error(const SourceLoc& loc, std::string path, std::string problem, std::string got,
                        std::string expected, std::string hint) {
    m_items.push_back(Diagnostic{loc, std::move(path), std::move(problem), std::move(got), std::move(expected),
                                 std::move(hint)});
}

std::string Diagnostics::format() const {
    std::string s;
    for (const auto& d : m_items) s += d.format() + "\n";
    return s;
}

namespace {
size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t sub = prev[j - 1] + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
            // transposition counts as one edit
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                cur[j] = std::min(cur[j], prev[j - 1]);
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}
}  // namespace

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
    std::string best;
    size_t best_d = SIZE_MAX;
    for (const auto& c : candidates) {
        size_t d = edit_distance(word, c);
        // a word contained in a candidate ("bandwidth" in "bandwidth_per_stack") is a good hint too
        if (c.find(word) != std::string::npos || word.find(c) != std::string::npos) d = std::min<size_t>(d, 2);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    size_t limit = std::max<size_t>(2, word.size() / 3);
    return best_d <= limit ? best : std::string{};
}

}  // namespace chipdse::config
