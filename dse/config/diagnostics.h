#pragma once
// Located, collected errors about user input. Nothing here throws or exits: callers collect
// every problem of a file, then report them together (exit code 2 at the CLI).
#include <memory>
#include <string>
#include <vector>

namespace chipdse::config {

// Where a value came from: a file and a 1-based line, or an origin like "--set".
struct SourceLoc {
    std::shared_ptr<const std::string> file;  // null when unknown
    int line = 0;                             // 0 when the origin has no lines

    std::string text() const;  // "file:line", "file" or "<unknown>"
};

struct Diagnostic {
    SourceLoc loc;
    std::string path;      // dotted key path, e.g. "chip.hbm.bandwidth_per_stack"
    std::string problem;   // what is wrong
    std::string got;       // the offending value as written (may be empty)
    std::string expected;  // the rule or an example (may be empty)
    std::string hint;      // e.g. "did you mean 'stacks'?" (may be empty)

    // "file:line: path: problem; got X; expected Y (did you mean 'z'?)"
    std::string format() const;
};

class Diagnostics {
public:
    void add(Diagnostic d) { m_items.push_back(std::move(d)); }
    void error(const SourceLoc& loc, std::string path, std::string problem, std::string got = {},
               std::string expected = {}, std::string hint = {});

    bool empty() const { return m_items.empty(); }
    size_t size() const { return m_items.size(); }
    const std::vector<Diagnostic>& items() const { return m_items; }
    // All diagnostics, one per line.
    std::string format() const;

private:
    std::vector<Diagnostic> m_items;
};

// Thrown only at API boundaries (Python, CLI helpers) to carry collected input errors.
class InputError : public std::exception {
public:
    explicit InputError(Diagnostics d) : m_diag(std::move(d)), m_text(m_diag.format()) {}
    const char* what() const noexcept override { return m_text.c_str(); }
    const Diagnostics& diagnostics() const { return m_diag; }

private:
    Diagnostics m_diag;
    std::string m_text;
};

// Closest candidate by edit distance, or empty when none is close enough to suggest.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace chipdse::config
