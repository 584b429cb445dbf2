// Config loading: YAML text and files into located trees, includes with overrides, --set
// assignments, deep merge, unknown keys, collected errors, the resolved-config round trip.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "dse/config/config_loader.h"
#include "dse/config/config_node.h"
#include "dse/config/diagnostics.h"
#include "dse/spec/design_loader.h"
#include "dse/spec/spec_schemas.h"

namespace cfg = chipdse::config;
namespace spec = chipdse::spec;
namespace fs = std::filesystem;

namespace {

// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        m_path = fs::temp_directory_path() /
                 ("chipdse_test_config_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        fs::remove_all(m_path);
        fs::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    // Writes `text` to `name` (relative, may contain folders) and returns the full path.
    std::string write(const std::string& name, const std::string& text) const {
        fs::path p = m_path / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p.string();
    }
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

const char* const kChip = R"(chip:
  name: tiny
  process_node: 5 nm
  clock: 1 GHz
  matrix:
    count: 4
    macs_per_cycle:
      bf16: 1024
  vector:
    flops_per_cycle: 256
  hbm:
    stacks: 2
    capacity_per_stack: 16 GiB
    bandwidth_per_stack: 800 GB/s
  power:
    tdp: 300 W
)";

const char* const kSystem = R"(system:
  name: tiny-cluster
  chips: 16
  chips_per_node: 8
  scale_up:
    bandwidth: 450 GB/s
  scale_out:
    bandwidth: 50 GB/s
)";

const char* const kWorkload = R"(model:
  name: tiny-lm
  layers: 2
  hidden: 256
  heads: 4
  vocab: 1000
  seq_len: 128
training:
  tokens: 1e9
  global_batch: 64
)";

std::string messages(const cfg::Diagnostics& d) { return d.format(); }

bool any_contains(const cfg::Diagnostics& d, const std::string& text) {
    for (const auto& item : d.items())
        if (item.format().find(text) != std::string::npos) return true;
    return false;
}

const cfg::Diagnostic* find_diag(const cfg::Diagnostics& d, const std::string& path) {
    for (const auto& item : d.items())
        if (item.path == path) return &item;
    return nullptr;
}

spec::DesignSpec bind_ok(const cfg::ConfigNode& tree) {
    spec::DesignSpec s;
    cfg::Diagnostics d;
    spec::bind_design(tree, s, d);
    INFO(messages(d));
    CHECK(d.empty());
    return s;
}

}  // namespace

TEST_CASE("load_config_text builds a located tree", "[config][loader]") {
    cfg::Diagnostics d;
    cfg::ConfigNode root = cfg::load_config_text(kChip, "mem/chip.yaml", d);
    INFO(messages(d));
    REQUIRE(d.empty());
    REQUIRE(root.is_map());
    const cfg::ConfigNode* stacks = root.at_path("chip.hbm.stacks");
    REQUIRE(stacks);
    CHECK(stacks->is_scalar());
    CHECK(stacks->text() == "2");
    CHECK(stacks->loc().line == 12);
    REQUIRE(stacks->loc().file);
    CHECK(*stacks->loc().file == "mem/chip.yaml");
    CHECK(stacks->loc().text() == "mem/chip.yaml:12");
    CHECK(root.at_path("chip.clock")->text() == "1 GHz");
    CHECK(root.at_path("chip.clock")->loc().line == 4);
    CHECK(root.at_path("chip.nothing") == nullptr);
    CHECK(root.at_path("chip.clock.deeper") == nullptr);
    // entries keep file order
    std::vector<std::string> keys;
    for (const auto& [k, v] : root.find("chip")->entries()) keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"name", "process_node", "clock", "matrix", "vector", "hbm", "power"});

    cfg::Diagnostics d2;
    cfg::ConfigNode lists = cfg::load_config_text("a:\n  - x\n  - {k: 1}\n  - [1, 2]\n", "l.yaml", d2);
    REQUIRE(d2.empty());
    const cfg::ConfigNode* a = lists.find("a");
    REQUIRE(a);
    REQUIRE(a->is_list());
    REQUIRE(a->items().size() == 3);
    CHECK(a->items()[0].text() == "x");
    CHECK(a->items()[1].is_map());
    CHECK(a->items()[2].is_list());
    CHECK(a->items()[2].items()[1].loc().line == 4);
    CHECK(a->describe() == "a list");
    CHECK(a->items()[0].describe() == "\"x\"");
}

TEST_CASE("empty, comment-only and non-map texts are reported", "[config][loader]") {
    for (const char* text : {"", "\n\n", "# only a comment\n", "---\n"}) {
        cfg::Diagnostics d;
        cfg::ConfigNode n = cfg::load_config_text(text, "e.yaml", d);
        INFO("text: \"" << text << "\"\n" << messages(d));
        REQUIRE(d.size() == 1);
        CHECK(d.items()[0].problem == "the file is empty");
        CHECK(d.items()[0].loc.line == 0);
        CHECK(d.items()[0].format().rfind("e.yaml: ", 0) == 0);
        CHECK(n.is_map());
    }
    cfg::Diagnostics d;
    cfg::load_config_text("\n- a\n- b\n", "l.yaml", d);
    REQUIRE(d.size() == 1);
    CHECK(d.items()[0].format().rfind("l.yaml:2: the top level of a config must be a map", 0) == 0);
}

TEST_CASE("load_config_file reads files and reports missing ones", "[config][loader]") {
    TempDir dir;
    const std::string path = dir.write("chip.yaml", kChip);
    cfg::Diagnostics d;
    cfg::ConfigNode root = cfg::load_config_file(path, d);
    INFO(messages(d));
    REQUIRE(d.empty());
    REQUIRE(root.at_path("chip.power.tdp"));
    CHECK(root.at_path("chip.power.tdp")->loc().text() == path + ":16");

    cfg::Diagnostics missing;
    cfg::load_config_file((dir.path() / "nope.yaml").string(), missing);
    REQUIRE(missing.size() == 1);
    CHECK(missing.items()[0].problem == "no such file");

    cfg::Diagnostics directory;
    cfg::load_config_file(dir.path().string(), directory);
    REQUIRE(directory.size() == 1);
    CHECK(directory.items()[0].problem.find("directory") != std::string::npos);
}

TEST_CASE("an included base is overridden by the including file", "[config][include]") {
    TempDir dir;
    dir.write("chips/base.yaml", kChip);
    const std::string top = dir.write("top.yaml",
                                      "include: chips/base.yaml\n"
                                      "chip:\n"
                                      "  name: faster\n"
                                      "  clock: 2 GHz\n"
                                      "  vendor: Acme\n");
    cfg::Diagnostics d;
    cfg::ConfigNode root = cfg::load_config_file(top, d);
    INFO(messages(d));
    REQUIRE(d.empty());
    CHECK(root.find("include") == nullptr);  // consumed
    CHECK(root.at_path("chip.name")->text() == "faster");
    CHECK(root.at_path("chip.clock")->text() == "2 GHz");
    CHECK(root.at_path("chip.vendor")->text() == "Acme");
    CHECK(root.at_path("chip.hbm.stacks")->text() == "2");  // from the base
    // each value stays located where it was written
    CHECK(root.at_path("chip.clock")->loc().text() == top + ":4");
    const std::string base = (dir.path() / "chips/base.yaml").string();
    CHECK(root.at_path("chip.hbm.stacks")->loc().text() == base + ":12");

    spec::DesignSpec s = bind_ok(root);
    REQUIRE(s.chip);
    CHECK(s.chip->clock.si() == Approx(2e9));
    CHECK(s.chip->name == "faster");
    CHECK(s.chip->hbm.stacks == 2);
}

TEST_CASE("a list of includes: later ones override earlier ones, the includer wins", "[config][include]") {
    TempDir dir;
    dir.write("a.yaml", kChip);
    dir.write("b.yaml", "chip:\n  clock: 2 GHz\n  power: {tdp: 400 W}\n  vendor: from-b\n");
    dir.write("c.yaml", "chip:\n  vendor: from-c\n");
    const std::string top = dir.write("top.yaml",
                                      "include:\n  - a.yaml\n  - b.yaml\n  - c.yaml\n"
                                      "chip:\n  power:\n    tdp: 500 W\n");
    spec::LoadedDesign d = spec::load_design({top}, {});
    INFO(messages(d.diag));
    REQUIRE(d.ok());
    REQUIRE(d.spec.chip);
    CHECK(d.spec.chip->name == "tiny");                   // only in a
    CHECK(d.spec.chip->clock.si() == Approx(2e9));       // b over a
    CHECK(d.spec.chip->vendor == "from-c");              // c over b
    CHECK(d.spec.chip->power.tdp.si() == Approx(500.0));  // the includer over all

    // the order of the list matters
    const std::string swapped = dir.write("swapped.yaml", "include: [c.yaml, b.yaml, a.yaml]\n");
    spec::LoadedDesign s = spec::load_design({swapped}, {});
    REQUIRE(s.ok());
    CHECK(s.spec.chip->vendor == "from-b");
    CHECK(s.spec.chip->clock.si() == Approx(1e9));
    CHECK(s.spec.chip->power.tdp.si() == Approx(300.0));
}

TEST_CASE("includes resolve relative to the including file, also nested", "[config][include]") {
    TempDir dir;
    dir.write("common/chip.yaml", kChip);
    dir.write("systems/base_system.yaml", std::string("include: ../common/chip.yaml\n") + kSystem);
    const std::string top = dir.write("runs/deep/run.yaml", "include: ../../systems/base_system.yaml\n"
                                                            "system:\n  chips: 32\n");
    spec::LoadedDesign d = spec::load_design({top}, {});
    INFO(messages(d.diag));
    REQUIRE(d.ok());
    REQUIRE(d.spec.chip);
    REQUIRE(d.spec.system);
    CHECK(d.spec.system->chips == 32);
    CHECK(d.spec.system->chips_per_node == 8);
    CHECK(d.spec.chip->name == "tiny");

    // load_config_text resolves includes against the label's folder
    cfg::Diagnostics td;
    cfg::ConfigNode t = cfg::load_config_text("include: common/chip.yaml\nchip: {name: text}\n",
                                              (dir.path() / "virtual.yaml").string(), td);
    INFO(messages(td));
    REQUIRE(td.empty());
    CHECK(t.at_path("chip.name")->text() == "text");
    CHECK(t.at_path("chip.clock")->text() == "1 GHz");
}

TEST_CASE("include cycles are detected, not followed", "[config][include]") {
    TempDir dir;
    dir.write("a.yaml", "include: b.yaml\nchip: {name: a}\n");
    dir.write("b.yaml", "chip: {vendor: b}\ninclude: a.yaml\n");
    const std::string top = dir.write("top.yaml", "include: a.yaml\n");
    cfg::Diagnostics d;
    cfg::load_config_file(top, d);
    INFO(messages(d));
    REQUIRE(d.size() == 1);
    const cfg::Diagnostic& e = d.items()[0];
    CHECK(e.problem == "include cycle");
    CHECK(e.got == "top.yaml -> a.yaml -> b.yaml -> a.yaml");
    CHECK(e.format().rfind((dir.path() / "b.yaml").string() + ":2: include: include cycle", 0) == 0);

    // a file that includes itself
    const std::string self = dir.write("self.yaml", "chip: {name: s}\ninclude: ./self.yaml\n");
    cfg::Diagnostics ds;
    cfg::load_config_file(self, ds);
    REQUIRE(ds.size() == 1);
    CHECK(ds.items()[0].problem == "include cycle");
    CHECK(ds.items()[0].loc.line == 2);

    // including the same base twice along different branches is not a cycle
    dir.write("base.yaml", kChip);
    dir.write("left.yaml", "include: base.yaml\n");
    dir.write("right.yaml", "include: base.yaml\n");
    const std::string diamond = dir.write("diamond.yaml", "include: [left.yaml, right.yaml]\n");
    spec::LoadedDesign dd = spec::load_design({diamond}, {});
    INFO(messages(dd.diag));
    CHECK(dd.ok());
}

TEST_CASE("a missing or malformed include is reported at its line", "[config][include]") {
    TempDir dir;
    dir.write("base.yaml", kChip);
    const std::string top = dir.write("top.yaml", "chip:\n  name: x\ninclude:\n  - base.yaml\n  - gone.yaml\n");
    cfg::Diagnostics d;
    cfg::ConfigNode root = cfg::load_config_file(top, d);
    INFO(messages(d));
    REQUIRE(d.size() == 1);
    CHECK(d.items()[0].format().rfind(top + ":5: include: included file not found; got \"gone.yaml\"", 0) == 0);
    CHECK(root.at_path("chip.clock"));  // the includes that exist are still merged

    cfg::Diagnostics dm;
    cfg::load_config_file(dir.write("m.yaml", "include: {a: 1}\n"), dm);
    REQUIRE(dm.size() == 1);
    CHECK(dm.items()[0].problem.find("include must be a file path") != std::string::npos);

    cfg::Diagnostics de;
    cfg::load_config_file(dir.write("e.yaml", "include:\n  - [base.yaml]\n"), de);
    REQUIRE(de.size() == 1);
    CHECK(de.items()[0].problem == "an include entry must be a file path");
    CHECK(de.items()[0].loc.line == 2);
}

TEST_CASE("set assignments (--set): values with units, new paths, lists", "[config][assign]") {
    TempDir dir;
    const std::string chip = dir.write("chip.yaml", kChip);
    const std::string system = dir.write("system.yaml", kSystem);
    spec::LoadedDesign d = spec::load_design(
        {chip, system},
        {"chip.clock=2.5 GHz", "system.chips=16384", "chip.vendor=Acme", "parallelism.tp=8",
         "chip.hbm.bandwidth_per_stack=32 GT/s x16", "chip.name=a=b"});
    INFO(messages(d.diag));
    REQUIRE(d.ok());
    CHECK(d.spec.chip->clock.si() == Approx(2.5e9));
    CHECK(d.spec.system->chips == 16384);
    CHECK(d.spec.chip->vendor == "Acme");                     // a new key in an existing map
    REQUIRE(d.spec.parallelism);                              // a new section
    CHECK(d.spec.parallelism->tp == 8);
    CHECK(d.spec.chip->hbm.bandwidth_per_stack.si() == Approx(64e9 * 8));
    CHECK(d.spec.chip->name == "a=b");                        // only the first '=' splits
    // the assigned value is located at its origin
    const cfg::ConfigNode* clock = d.tree.at_path("chip.clock");
    REQUIRE(clock);
    REQUIRE(clock->loc().file);
    CHECK(*clock->loc().file == "--set chip.clock=2.5 GHz");

    cfg::ConfigNode root = cfg::ConfigNode::map({});
    cfg::Diagnostics ad;
    CHECK(cfg::apply_assignment(root, "a.b.c=[1, 2, 3]", "--set", ad));
    CHECK(cfg::apply_assignment(root, "a.m={x: 1, y: two}", "--set", ad));
    CHECK(cfg::apply_assignment(root, "a.b.d=plain", "--set", ad));
    INFO(messages(ad));
    CHECK(ad.empty());
    REQUIRE(root.at_path("a.b.c"));
    CHECK(root.at_path("a.b.c")->is_list());
    CHECK(root.at_path("a.b.c")->items().size() == 3);
    CHECK(root.at_path("a.m.y")->text() == "two");
    CHECK(root.at_path("a.b.d")->text() == "plain");
}

TEST_CASE("set assignments (--set): malformed assignments and bad values are diagnosed", "[config][assign]") {
    for (const char* bad : {"noequals", "=5", "a..b=1", ".a=1", "a.=1", "a b=1"}) {
        cfg::ConfigNode root = cfg::ConfigNode::map({});
        cfg::Diagnostics d;
        INFO(bad);
        CHECK_FALSE(cfg::apply_assignment(root, bad, "--set", d));
        REQUIRE(d.size() == 1);
        CHECK(d.items()[0].problem == "malformed assignment");
        CHECK(root.entries().empty());
    }
    cfg::ConfigNode root = cfg::ConfigNode::map({});
    cfg::Diagnostics d;
    CHECK_FALSE(cfg::apply_assignment(root, "a.b=[1, 2", "--set", d));
    REQUIRE(d.size() == 1);
    CHECK(d.items()[0].problem == "malformed value");

    TempDir dir;
    const std::string chip = dir.write("chip.yaml", kChip);
    spec::LoadedDesign bad = spec::load_design({chip}, {"chip.clock=2 GB", "chip.hbm.stack=4"});
    INFO(messages(bad.diag));
    REQUIRE(bad.diag.size() == 2);
    const cfg::Diagnostic* clock = find_diag(bad.diag, "chip.clock");
    REQUIRE(clock);
    CHECK(clock->format() == "--set chip.clock=2 GB: chip.clock: wrong dimension: data size where frequency is "
                             "expected; got \"2 GB\"; expected e.g. \"1.83 GHz\"");
    const cfg::Diagnostic* typo = find_diag(bad.diag, "chip.hbm.stack");
    REQUIRE(typo);
    CHECK(typo->hint == "did you mean 'stacks'?");
    for (const auto& item : bad.diag.items()) CHECK(item.format().find(":0:") == std::string::npos);
}

TEST_CASE("deep merge: maps merge key by key, everything else is replaced", "[config][merge]") {
    cfg::Diagnostics d;
    cfg::ConfigNode base = cfg::load_config_text(
        "chip:\n  name: a\n  hbm: {stacks: 2, capacity_per_stack: 16 GiB}\n  list: [1, 2]\n  s: scalar\n"
        "  m: {k: v}\nother: {x: 1}\n",
        "base.yaml", d);
    cfg::ConfigNode overlay = cfg::load_config_text(
        "chip:\n  hbm: {stacks: 4}\n  list: [3]\n  s: {now: map}\n  m: now-scalar\nnew: {y: 2}\n", "over.yaml", d);
    INFO(messages(d));
    REQUIRE(d.empty());
    cfg::merge_into(base, overlay);
    CHECK(base.at_path("chip.name")->text() == "a");
    CHECK(base.at_path("chip.hbm.stacks")->text() == "4");
    CHECK(base.at_path("chip.hbm.capacity_per_stack")->text() == "16 GiB");
    REQUIRE(base.at_path("chip.list")->is_list());
    CHECK(base.at_path("chip.list")->items().size() == 1);  // lists are replaced, not appended
    CHECK(base.at_path("chip.list")->items()[0].text() == "3");
    CHECK(base.at_path("chip.s.now")->text() == "map");
    CHECK(base.at_path("chip.m")->text() == "now-scalar");
    CHECK(base.at_path("other.x")->text() == "1");
    CHECK(base.at_path("new.y")->text() == "2");
    CHECK(*base.at_path("chip.hbm.stacks")->loc().file == "over.yaml");
    CHECK(*base.at_path("chip.hbm.capacity_per_stack")->loc().file == "base.yaml");

    // several files given to load_design merge in order, later ones winning
    TempDir dir;
    const std::string chip = dir.write("chip.yaml", kChip);
    const std::string faster = dir.write("faster.yaml", "chip:\n  clock: 3 GHz\n");
    const std::string work = dir.write("work.yaml", kWorkload);
    spec::LoadedDesign all = spec::load_design({chip, work, faster}, {});
    INFO(messages(all.diag));
    REQUIRE(all.ok());
    CHECK(all.spec.chip->clock.si() == Approx(3e9));
    CHECK(all.spec.model->layers == 2);
    CHECK(all.spec.training->global_batch == 64);
}

TEST_CASE("unknown keys are errors with a did-you-mean", "[config][unknown]") {
    TempDir dir;
    const std::string path = dir.write("typos.yaml",
                                       "chip:\n"                        // 1
                                       "  name: tiny\n"                 // 2
                                       "  process_node: 5 nm\n"         // 3
                                       "  clok: 1 GHz\n"                // 4
                                       "  matrix: {count: 4, macs_per_cycle: {bf16: 1024}}\n"
                                       "  vector: {flops_per_cycle: 256}\n"
                                       "  hbm:\n"                       // 7
                                       "    stacks: 2\n"
                                       "    capacity_per_stack: 16 GiB\n"
                                       "    bandwith_per_stack: 800 GB/s\n"  // 10
                                       "  power: {tdp: 300 W}\n"
                                       "  zzzzzzzz: 1\n");              // 12
    spec::LoadedDesign d = spec::load_design({path}, {});
    INFO(messages(d.diag));
    const cfg::Diagnostic* clok = find_diag(d.diag, "chip.clok");
    REQUIRE(clok);
    CHECK(clok->problem == "unknown key");
    CHECK(clok->hint == "did you mean 'clock'?");
    CHECK(clok->loc.line == 4);
    const cfg::Diagnostic* bw = find_diag(d.diag, "chip.hbm.bandwith_per_stack");
    REQUIRE(bw);
    CHECK(bw->hint == "did you mean 'bandwidth_per_stack'?");
    CHECK(bw->format().rfind(path + ":10: chip.hbm.bandwith_per_stack: unknown key; got 'bandwith_per_stack'; "
                                    "expected one of ",
                             0) == 0);
    CHECK(bw->format().find("(did you mean 'bandwidth_per_stack'?)") != std::string::npos);
    const cfg::Diagnostic* z = find_diag(d.diag, "chip.zzzzzzzz");
    REQUIRE(z);
    CHECK(z->hint.empty());  // nothing close: no suggestion
    CHECK(z->loc.line == 12);
    // the misspelt keys' required twins are missing too
    CHECK(find_diag(d.diag, "chip.clock"));
    CHECK(find_diag(d.diag, "chip.hbm.bandwidth_per_stack"));

    CHECK(cfg::closest_match("stack", {"generation", "stacks", "timing"}) == "stacks");
    CHECK(cfg::closest_match("sytem", {"chip", "system", "model"}) == "system");
    CHECK(cfg::closest_match("gloabl_batch", {"tokens", "global_batch"}) == "global_batch");
    CHECK(cfg::closest_match("xyz", {"chip", "system", "model"}).empty());
}

TEST_CASE("every error is collected, each at its line", "[config][collect]") {
    TempDir dir;
    const std::string path = dir.write("five.yaml",
                                       "chip:\n"                                                 // 1
                                       "  name: tiny\n"                                          // 2
                                       "  process_node: 5 nm\n"                                  // 3
                                       "  clock: 1000000000\n"                                   // 4 missing unit
                                       "  matrix:\n"                                             // 5
                                       "    count: 4\n"                                          // 6
                                       "    dataflow: weight_stationery\n"                       // 7 bad choice
                                       "    macs_per_cycle: {bf16: 1024}\n"                      // 8
                                       "  vector: {flops_per_cycle: 256}\n"                      // 9
                                       "  hbm:\n"                                                // 10
                                       "    stacks: 0\n"                                         // 11 out of range
                                       "    capacity_per_stack: 16 GiB\n"                        // 12
                                       "    bandwidth_per_stack: 800 GB/s\n"                     // 13
                                       "  power:\n"                                              // 14
                                       "    tdp: 300 J\n"                                        // 15 wrong dimension
                                       "  colour: green\n");                                     // 16 unknown key
    spec::LoadedDesign d = spec::load_design({path}, {});
    INFO(messages(d.diag));
    REQUIRE(d.diag.size() == 5);
    std::set<std::pair<int, std::string>> got;
    for (const auto& item : d.diag.items()) {
        got.insert({item.loc.line, item.path});
        CHECK(item.format().rfind(path + ":" + std::to_string(item.loc.line) + ": " + item.path + ": ", 0) == 0);
    }
    const std::set<std::pair<int, std::string>> want{{4, "chip.clock"},
                                                     {7, "chip.matrix.dataflow"},
                                                     {11, "chip.hbm.stacks"},
                                                     {15, "chip.power.tdp"},
                                                     {16, "chip.colour"}};
    CHECK(got == want);
    CHECK(find_diag(d.diag, "chip.matrix.dataflow")->hint == "did you mean 'weight_stationary'?");
    CHECK_FALSE(d.ok());
}

TEST_CASE("duplicate keys and keys without values are errors", "[config][loader]") {
    cfg::Diagnostics d;
    cfg::ConfigNode root = cfg::load_config_text("chip:\n  name: a\n  name: b\n", "dup.yaml", d);
    REQUIRE(d.size() == 1);
    CHECK(d.items()[0].format() ==
          "dup.yaml:3: chip.name: duplicate key; got 'name' a second time; expected each key once per map");
    CHECK(root.at_path("chip.name")->text() == "a");  // the first one stays

    cfg::Diagnostics nd;
    cfg::ConfigNode tree = cfg::load_config_text(std::string(kChip) + "  vendor:\n", "null.yaml", nd);
    REQUIRE(nd.empty());
    spec::DesignSpec s;
    spec::bind_design(tree, s, nd);
    REQUIRE(nd.size() == 1);
    CHECK(nd.items()[0].format().rfind("null.yaml:17: chip.vendor: no value given", 0) == 0);
}

TEST_CASE("cycles convert with the clock that applies", "[config][cycles]") {
    TempDir dir;
    const std::string path = dir.write("cycles.yaml", std::string(kChip) +
                                                          "  links:\n"
                                                          "    latency: 500 cycles\n"
                                                          "  kernel_overhead: 2 kcycles\n");
    const std::string hbm = dir.write("hbm.yaml",
                                      "chip:\n  hbm:\n    timing:\n      tck: 0.5 ns\n      cl: 14 cycles\n"
                                      "      cwl: 4 cycles\n      trcd_rd: 14 cycles\n      trcd_wr: 10 cycles\n"
                                      "      trp: 14 cycles\n      tras: 32 cycles\n      trc: 46 cycles\n"
                                      "      twr: 16 cycles\n      trtp: 5 cycles\n      tccd_s: 2 cycles\n"
                                      "      tccd_l: 4 cycles\n      trrd_s: 4 cycles\n      trrd_l: 6 cycles\n"
                                      "      tfaw: 16 cycles\n      twtr_s: 4 cycles\n      twtr_l: 10 cycles\n"
                                      "      trtw: 18 cycles\n      trfc: 350 ns\n      trefi: 3.9 us\n");
    spec::LoadedDesign d = spec::load_design({path, hbm}, {});
    INFO(messages(d.diag));
    REQUIRE(d.ok());
    CHECK(d.spec.chip->links.latency.si() == Approx(500e-9));   // 500 cycles of the 1 GHz chip clock
    CHECK(d.spec.chip->kernel_overhead.si() == Approx(2e-6));
    REQUIRE(d.spec.chip->hbm.timing);
    CHECK(d.spec.chip->hbm.timing->cl.si() == Approx(7e-9));     // 14 cycles of the 2 GHz HBM clock
    CHECK(d.spec.chip->hbm.timing->trc.si() == Approx(23e-9));

    // a system has no clock
    const std::string sys = dir.write("sys.yaml", std::string(kSystem) + "  facility: {pue: 1.2}\n");
    spec::LoadedDesign s = spec::load_design({sys}, {"system.scale_up.latency=100 cycles"});
    REQUIRE(s.diag.size() == 1);
    CHECK(s.diag.items()[0].problem.find("cycles need a known clock") != std::string::npos);
}

TEST_CASE("parallelism: auto is shorthand for a searched mapping", "[config][parallelism]") {
    cfg::Diagnostics d;
    cfg::ConfigNode t = cfg::load_config_text(std::string(kWorkload) + "parallelism: auto\n", "w.yaml", d);
    spec::DesignSpec s = bind_ok(t);
    REQUIRE(s.parallelism);
    CHECK(s.parallelism->search == spec::MappingSearch::kAuto);
    const spec::ParallelismSpec defaults{};
    CHECK(s.parallelism->tp == 1);
    CHECK(s.parallelism->pp == 1);
    CHECK(s.parallelism->zero == defaults.zero);
    CHECK(s.parallelism->sequence_parallel == defaults.sequence_parallel);

    cfg::ConfigNode m = cfg::load_config_text("parallelism: {search: auto, tp: 8}\n", "m.yaml", d);
    spec::DesignSpec sm = bind_ok(m);
    CHECK(sm.parallelism->search == spec::MappingSearch::kAuto);
    CHECK(sm.parallelism->tp == 8);

    cfg::ConfigNode f = cfg::load_config_text("parallelism: {tp: 4}\n", "f.yaml", d);
    CHECK(bind_ok(f).parallelism->search == spec::MappingSearch::kFixed);

    cfg::Diagnostics bd;
    cfg::ConfigNode bad = cfg::load_config_text("parallelism: manual\n", "b.yaml", bd);
    spec::DesignSpec sb;
    spec::bind_design(bad, sb, bd);
    REQUIRE(bd.size() == 1);
    CHECK(bd.items()[0].format() == "b.yaml:1: parallelism: wrong type; got \"manual\"; expected a map of degrees, "
                                    "or 'auto'");

    // the shorthand also works from the command line
    TempDir dir;
    spec::LoadedDesign cli = spec::load_design({dir.write("w.yaml", kWorkload)}, {"parallelism=auto"});
    INFO(messages(cli.diag));
    REQUIRE(cli.ok());
    CHECK(cli.spec.parallelism->search == spec::MappingSearch::kAuto);
}

TEST_CASE("resolved_yaml round trip: dump then re-load gives the same config", "[config][resolved]") {
    TempDir dir;
    const std::string full = (fs::path(CHIPDSE_SOURCE_DIR) / "tests/config/good/full_design.yaml").string();
    const std::string minimal = dir.write("minimal.yaml", std::string(kChip) + kSystem + kWorkload);
    for (const std::string& path : {full, minimal}) {
        spec::LoadedDesign first = spec::load_design({path}, {});
        INFO(path << "\n" << messages(first.diag));
        REQUIRE(first.ok());
        const std::string y1 = spec::resolved_yaml(first.spec);
        const std::string again = dir.write("resolved.yaml", y1);
        spec::LoadedDesign second = spec::load_design({again}, {});
        INFO("resolved:\n" << y1 << "\n" << messages(second.diag));
        REQUIRE(second.ok());
        const std::string y2 = spec::resolved_yaml(second.spec);
        CHECK(y1 == y2);
        // the values themselves survive
        REQUIRE(second.spec.chip);
        CHECK(second.spec.chip->clock.si() == Approx(first.spec.chip->clock.si()).epsilon(1e-12));
        CHECK(second.spec.chip->hbm.capacity_per_stack.si() ==
              Approx(first.spec.chip->hbm.capacity_per_stack.si()).epsilon(1e-12));
        CHECK(second.spec.system->prices.electricity.si() ==
              Approx(first.spec.system->prices.electricity.si()).epsilon(1e-12));
        CHECK(second.spec.model->seq_len == first.spec.model->seq_len);
        CHECK(second.spec.chip->sram.size() == first.spec.chip->sram.size());
        CHECK(second.spec.chip->hbm.timing.has_value() == first.spec.chip->hbm.timing.has_value());
    }
}

TEST_CASE("resolved_yaml round trip keeps names with quotes and backslashes", "[config][resolved]") {
    // to_yaml wraps such text in double quotes without escaping what is inside
    TempDir dir;
    for (const std::string name : {"Chip \\\"X\\\" v2", "C:\\\\chips\\\\x"}) {
        // the YAML escapes above give the texts: Chip "X" v2   and   C:\chips\x
        const std::string path = dir.write("named.yaml", std::string(kChip) + "  vendor: \"" + name + "\"\n");
        spec::LoadedDesign first = spec::load_design({path}, {});
        INFO(messages(first.diag));
        REQUIRE(first.ok());
        const std::string y1 = spec::resolved_yaml(first.spec);
        spec::LoadedDesign second = spec::load_design({dir.write("again.yaml", y1)}, {});
        INFO("vendor: " << first.spec.chip->vendor << "\nresolved:\n" << y1 << "\n" << messages(second.diag));
        CHECK(second.ok());
        if (second.ok() && second.spec.chip) CHECK(second.spec.chip->vendor == first.spec.chip->vendor);
    }
}

TEST_CASE("the design needs every section for evaluation", "[config][sections]") {
    TempDir dir;
    spec::LoadedDesign d = spec::load_design({dir.write("chip.yaml", kChip)}, {});
    REQUIRE(d.ok());
    cfg::Diagnostics need;
    spec::require_sections_for_evaluation(d, need);
    CHECK(need.size() == 3);
    CHECK(any_contains(need, "system: section missing for evaluation"));
    CHECK(any_contains(need, "model: section missing"));
    CHECK(any_contains(need, "training: section missing"));

    spec::LoadedDesign all = spec::load_design(
        {dir.write("sys.yaml", std::string(kChip) + kSystem), dir.write("w.yaml", kWorkload)}, {});
    REQUIRE(all.ok());
    cfg::Diagnostics none;
    spec::require_sections_for_evaluation(all, none);
    CHECK(none.empty());
}

TEST_CASE("diagnostics format as file:line: path: problem; got; expected (hint)", "[config][diagnostics]") {
    cfg::Diagnostic d;
    d.loc = cfg::SourceLoc{std::make_shared<const std::string>("arch_configs/x.yaml"), 14};
    d.path = "chip.hbm.bandwidth";
    d.problem = "missing unit";
    d.got = "\"3350\"";
    d.expected = "e.g. \"3.35 TB/s\"";
    CHECK(d.format() == "arch_configs/x.yaml:14: chip.hbm.bandwidth: missing unit; got \"3350\"; expected e.g. "
                        "\"3.35 TB/s\"");
    d.hint = "did you mean 'z'?";
    CHECK(d.format().size() > 0);
    CHECK(d.format().substr(d.format().size() - 20) == " (did you mean 'z'?)");
    d.loc.line = 0;
    CHECK(d.format().rfind("arch_configs/x.yaml: chip.hbm.bandwidth: ", 0) == 0);
    d.loc.file = nullptr;
    CHECK(d.format().rfind("<unknown>: ", 0) == 0);

    cfg::Diagnostics all;
    CHECK(all.empty());
    all.error(cfg::SourceLoc{}, "a", "p1");
    all.error(cfg::SourceLoc{}, "", "p2", "g", "e");
    CHECK(all.size() == 2);
    CHECK(all.format() == "<unknown>: a: p1\n<unknown>: p2; got g; expected e\n");
    cfg::InputError err(all);
    CHECK(std::string(err.what()) == all.format());
    CHECK(err.diagnostics().size() == 2);
}
