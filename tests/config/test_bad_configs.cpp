// Every file in tests/config/ is a bad config with one failure mode; its header says what the
// loader must report:
//   # expect: <substring of the expected message>          (first line)
//   # line: N | none                                        (optional: the line the message points at)
//   # known-bug: <why>                                      (optional: the line check fails today)
// A file that is entirely blank cannot carry a header; it must report "the file is empty".
// Files in tests/config/good/ must load with zero diagnostics. tests/config/include/ holds helpers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "dse/spec/design_loader.h"

namespace {

namespace fs = std::filesystem;
namespace spec = chipdse::spec;

const fs::path kDir = fs::path(CHIPDSE_SOURCE_DIR) / "tests" / "config";

struct Expectation {
    std::string expect;
    std::optional<int> line;  // the line the matching message must point at
    bool no_line = false;     // the matching message must carry no line at all
    std::string known_bug;    // non-empty: the line check is known to fail (checked as [!mayfail])
};

std::vector<fs::path> yaml_files(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && (e.path().extension() == ".yaml" || e.path().extension() == ".yml"))
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

// Reads the header comments; an empty `expect` means the header is missing.
Expectation read_expectation(const fs::path& p) {
    Expectation e;
    std::string text = read_all(p);
    if (blank(text)) {
        e.expect = "the file is empty";
        e.no_line = true;
        return e;
    }
    std::istringstream is(text);
    std::string ln;
    bool first = true;
    while (std::getline(is, ln) && ln.rfind("#", 0) == 0) {
        auto value_of = [&](const std::string& key) -> std::optional<std::string> {
            if (ln.rfind(key, 0) != 0) return std::nullopt;
            return ln.substr(key.size());
        };
        if (auto v = value_of("# expect: "); v && first) e.expect = *v;
        if (auto v = value_of("# line: ")) {
            if (*v == "none") e.no_line = true;
            else e.line = std::stoi(*v);
        }
        if (auto v = value_of("# known-bug: ")) e.known_bug = *v;
        first = false;
    }
    return e;
}

// The file and line a formatted message starts with ("path:12: ..." -> 12; "path: ..." -> 0),
// or nullopt when it does not start with one of the allowed files.
std::optional<int> leading_line(const std::string& msg, const std::vector<std::string>& allowed_files) {
    for (const auto& f : allowed_files) {
        if (msg.rfind(f, 0) != 0) continue;
        size_t i = f.size();
        if (msg.compare(i, 2, ": ") == 0) return 0;
        if (i >= msg.size() || msg[i] != ':') continue;
        size_t j = i + 1;
        while (j < msg.size() && std::isdigit(static_cast<unsigned char>(msg[j]))) ++j;
        if (j == i + 1 || msg.compare(j, 2, ": ") != 0) continue;
        return std::stoi(msg.substr(i + 1, j - i - 1));
    }
    return std::nullopt;
}

// The files a message about `entry` may start with: the entry itself or one of its helpers.
std::vector<std::string> allowed_files(const fs::path& entry) {
    std::vector<std::string> out{entry.string()};
    const fs::path inc = kDir / "include";
    for (const auto& e : fs::directory_iterator(inc))
        if (e.is_regular_file()) out.push_back(e.path().lexically_normal().string());
    return out;
}

struct Outcome {
    std::vector<std::string> messages;
    std::vector<int> lines;  // line of each diagnostic (0: none)
    int match = -1;          // index of the first message containing the expected text
};

Outcome load(const fs::path& p, const Expectation& e) {
    spec::LoadedDesign d = spec::load_design({p.string()}, {});
    Outcome o;
    for (const auto& item : d.diag.items()) {
        o.messages.push_back(item.format());
        o.lines.push_back(item.loc.line);
    }
    for (size_t i = 0; i < o.messages.size() && o.match < 0; ++i)
        if (!e.expect.empty() && o.messages[i].find(e.expect) != std::string::npos) o.match = static_cast<int>(i);
    return o;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& m : v) s += "  " + m + "\n";
    return s;
}

}  // namespace

using chipdse::spec::LoadedDesign;

TEST_CASE("bad configs: every file reports its one expected, located error", "[config][bad]") {
    const auto files = yaml_files(kDir);
    REQUIRE(files.size() >= 35);
    for (const auto& p : files) {
        const Expectation e = read_expectation(p);
        const Outcome o = load(p, e);
        INFO("file: " << p.filename().string() << "\nexpect: " << e.expect << "\ngot:\n" << joined(o.messages));
        REQUIRE_FALSE(e.expect.empty());  // the header is there
        CHECK_FALSE(o.messages.empty());
        CHECK(o.match >= 0);
        const auto allowed = allowed_files(p);
        for (size_t i = 0; i < o.messages.size(); ++i) {
            const std::string& m = o.messages[i];
            CHECK(m.find("line 0") == std::string::npos);
            CHECK(m.find(":0:") == std::string::npos);
            auto lead = leading_line(m, allowed);
            CHECK(lead.has_value());  // starts with the file (or a helper it includes)
            if (lead) CHECK(*lead == o.lines[i]);
        }
        if (o.match < 0) continue;
        const int got_line = o.lines[static_cast<size_t>(o.match)];
        if (e.no_line) {
            CHECK(got_line == 0);
        } else {
            CHECK(got_line > 0);  // located: "file:N: ..."
            if (e.line && e.known_bug.empty()) CHECK(got_line == *e.line);
        }
    }
}

TEST_CASE("bad configs: the headers are well formed", "[config][bad]") {
    for (const auto& p : yaml_files(kDir)) {
        INFO("file: " << p.filename().string());
        const std::string text = read_all(p);
        const Expectation e = read_expectation(p);
        CHECK_FALSE(e.expect.empty());
        if (!blank(text)) CHECK(text.rfind("# expect: ", 0) == 0);  // the FIRST line
        if (e.line) CHECK(*e.line > 0);
    }
}

TEST_CASE("good configs load with zero diagnostics", "[config][good]") {
    const auto files = yaml_files(kDir / "good");
    REQUIRE(files.size() >= 3);
    for (const auto& p : files) {
        LoadedDesign d = spec::load_design({p.string()}, {});
        INFO("file: " << p.filename().string() << "\n" << d.diag.format());
        CHECK(d.diag.empty());
        CHECK(d.ok());
    }
}
