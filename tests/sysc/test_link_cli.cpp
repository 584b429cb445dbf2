// `chipdse sim link` and `chipdse sim allreduce` end to end: the stable JSON fields, and exit code 2
// with a clear message for bad input. Runs the chipdse binary of the same build tree.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace {

struct Result {
    int rc = -1;
    std::string out;  // stdout and stderr
};

Result chipdse(const std::string& args) {
    namespace fs = std::filesystem;
    const fs::path exe = fs::canonical("/proc/self/exe").parent_path().parent_path() / "bin" / "chipdse";
    const std::string cmd = "cd '" CHIPDSE_SOURCE_DIR "' && '" + exe.string() + "' " + args + " 2>&1";
    Result r;
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), buf.size(), p)) r.out += buf.data();
    const int status = pclose(p);
    r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

}  // namespace

TEST_CASE("link cli: sim link prints the stable JSON fields", "[link_cli]") {
    const auto r = chipdse("sim link --link arch_configs/links/nvlink4.yaml --bytes '1 MiB' --json");
    INFO(r.out);
    CHECK(r.rc == 0);
    for (const char* f : {"\"time_s\"", "\"effective_bandwidth_bytes_per_s\"", "\"closed_form_time_s\"", "\"packets\"",
                          "\"replays\"", "\"credit_stall_s\""})
        CHECK_THAT(r.out, Catch::Contains(f));
    CHECK_THAT(r.out, Catch::Contains("\"packets\": 4096"));
    // the core engine gives the same time
    const auto c = chipdse("sim link --link arch_configs/links/nvlink4.yaml --bytes 1048576 --json --engine core");
    CHECK(c.rc == 0);
    CHECK(c.out.substr(c.out.find("\"time_s\"")) == r.out.substr(r.out.find("\"time_s\"")));
    // a chip file's links work too, and text output
    const auto t = chipdse("sim link --link arch_configs/chips/h100-sxm.yaml --bytes 4096");
    CHECK(t.rc == 0);
    CHECK_THAT(t.out, Catch::Contains("effective bandwidth"));
}

TEST_CASE("link cli: sim allreduce prints the stable JSON fields", "[link_cli]") {
    const auto r = chipdse(
        "sim allreduce --system arch_configs/systems/dgx-h100-cluster.yaml --link arch_configs/links/nvlink4.yaml "
        "--chips 8 --bytes '1 MiB' --algorithm tree --json");
    INFO(r.out);
    CHECK(r.rc == 0);
    for (const char* f : {"\"time_s\"", "\"algorithm_bandwidth_bytes_per_s\"", "\"bus_bandwidth_bytes_per_s\"",
                          "\"analytical_time_s\"", "\"analytical_algorithm_time_s\"", "\"system_analytical_time_s\""})
        CHECK_THAT(r.out, Catch::Contains(f));
    CHECK_THAT(r.out, Catch::Contains("\"topology\": \"switch\""));
    const auto t = chipdse("sim allreduce --system arch_configs/systems/tpu-v4-pod.yaml --chips 8 --bytes 65536");
    CHECK(t.rc == 0);
    CHECK_THAT(t.out, Catch::Contains("torus 2x2x2"));
}

TEST_CASE("link cli: bad input exits with 2 and says what is wrong", "[link_cli]") {
    struct Case {
        const char* args;
        const char* message;
    };
    const Case cases[] = {
        {"sim link --link arch_configs/links/nvlink4.yaml --bytes '1 GB/s'", "--bytes: not a size"},
        {"sim link --link arch_configs/links/nvlink4.yaml --bytes 1.5", "whole number of bytes"},
        {"sim link --link arch_configs/links/nvlink4.yaml --bytes 10 --set link.bufer_depth=8",
         "did you mean 'buffer_depth'?"},
        {"sim link --link arch_configs/links/nvlink4.yaml --bytes 10 --set link.buffer_depth=8",
         "buffer_depth (8 flits) must hold one full packet"},
        {"sim link --link arch_configs/chips/rtl-16x16.yaml --bytes 10", "chip.links: link bandwidth is 0"},
        {"sim link --link arch_configs/links/no-such.yaml --bytes 10", "no such file"},
        {"sim allreduce --system arch_configs/chips/h100-sxm.yaml --bytes 10",
         "arch_configs/chips/h100-sxm.yaml: system: section missing"},
        {"sim allreduce --system arch_configs/systems/dgx-h100-cluster.yaml --chips 1 --bytes 10", "--chips must be 2"},
        {"sim allreduce --system arch_configs/systems/dgx-h100-cluster.yaml --bytes 0", "--bytes must be at least 1"},
        {"sim allreduce --system arch_configs/systems/dgx-h100-cluster.yaml --bytes 10 --topology torus2d --dims 3x3",
         "a torus2d of 8 chips needs 2 sizes whose product is 8"},
        {"sim allreduce --system arch_configs/systems/dgx-h100-cluster.yaml --bytes 10 --topology torus3d "
         "--set chip.links.count=4",
         "a 3-dimensional torus needs at least 6 links per chip"},
        {"sim allreduce --system arch_configs/systems/dgx-h100-cluster.yaml --bytes 10 "
         "--set system.scale_up.topology=fully_connected",
         "fully_connected is not modelled"},
        {"sim allreduce --system arch_configs/systems/dgx-h100-cluster.yaml --bytes 10 --algorithm butterfly",
         "butterfly"},
        {"sim allreduce --system arch_configs/systems/dgx-h100-cluster.yaml --bytes 10 --link "
         "arch_configs/chips/h100-sxm.yaml",
         "link: section missing"},
    };
    for (const auto& c : cases) {
        const auto r = chipdse(c.args);
        INFO(c.args << "\n" << r.out);
        CHECK(r.rc == 2);
        CHECK_THAT(r.out, Catch::Contains(c.message));
    }
}
