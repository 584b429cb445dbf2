// chipdse_activity: register toggles per MAC of the verilated systolic array (int8 or bf16) for
// several kinds of operand data, and the energy per MAC relative to random data
// (docs/rtl_activity.md).
#include <CLI/CLI.hpp>

#include <bit>
#include <cmath>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "rtl/activity/systolic_activity.h"

namespace {

using chipdse::rtl::ActivityJob;
using chipdse::rtl::ActivityPrecision;
using chipdse::rtl::ActivityResult;
using chipdse::rtl::OperandData;

// Expected operand-register toggles per MAC for independent elements with P(bit = 1) = p: each of a
// PE's two 8-bit registers goes 0 -> x_1 -> ... -> x_K -> 0 in a tile.
double expected_operand_toggles_per_mac(double p, double k) {
    return 2.0 * 8.0 * (2.0 * p + (k - 1.0) * 2.0 * p * (1.0 - p)) / k;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"register toggles per MAC of the verilated systolic array, by operand data"};
    std::int64_t m = 0, n = 0, k = 256;
    std::uint64_t seed = 1;
    std::vector<std::string> data{"random", "sparse50", "sparse90", "constant"};
    bool json = false;
    std::string precision = "int8";
    app.add_option("--m", m, "rows of A and C (default: 2 x array rows)");
    app.add_option("--n", n, "columns of B and C (default: 2 x array columns)");
    app.add_option("--k", k, "inner dimension, 1..KMAX (default 256)");
    app.add_option("--data", data, "random, sparse50, sparse90, constant (default: all four)")->delimiter(',');
    app.add_option("--seed", seed, "seed of the operand generator");
    app.add_option("--precision", precision, "int8 or bf16")->check(CLI::IsMember({"int8", "bf16"}));
    app.add_flag("--json", json, "print JSON");
    CLI11_PARSE(app, argc, argv);
    if (m == 0) m = 2 * chipdse::rtl::activity_rows();
    if (n == 0) n = 2 * chipdse::rtl::activity_cols();

    struct Row {
        OperandData data;
        ActivityResult r;
    };
    std::vector<Row> rows;
    try {
        std::vector<OperandData> kinds;
        for (const auto& d : data) kinds.push_back(OperandData::parse(d));
        // Random data is the reference of the relative energy: measure it even when not asked for.
        bool have_random = false;
        for (const auto& d : kinds) have_random = have_random || d.kind == OperandData::Kind::kRandom;
        if (!have_random) kinds.insert(kinds.begin(), OperandData{});
        const ActivityPrecision p = precision == "bf16" ? ActivityPrecision::kBf16 : ActivityPrecision::kInt8;
        for (const auto& d : kinds)
            rows.push_back({d, chipdse::rtl::measure_activity(ActivityJob{m, n, k, d, seed, p})});
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "chipdse_activity: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "chipdse_activity: %s\n", e.what());
        return 1;
    }
    double random_per_mac = 0;
    for (const auto& row : rows)
        if (row.data.kind == OperandData::Kind::kRandom)
            random_per_mac = static_cast<double>(row.r.total_toggles()) / static_cast<double>(row.r.macs);

    bool all_verified = true;
    if (json) std::printf("{\n  \"array\": \"%dx%d\",\n  \"precision\": \"%s\",\n  \"m\": %lld, \"n\": %lld, \"k\": %lld, \"seed\": %llu,\n  \"data\": [\n",
                          chipdse::rtl::activity_rows(), chipdse::rtl::activity_cols(), precision.c_str(),
                          static_cast<long long>(m), static_cast<long long>(n), static_cast<long long>(k),
                          static_cast<unsigned long long>(seed));
    else
        std::printf("%dx%d %s array, GEMM %lld x %lld x %lld, seed %llu: bit toggles per MAC\n"
                    "%-9s %9s %9s %9s %9s %9s %13s %8s\n",
                    chipdse::rtl::activity_rows(), chipdse::rtl::activity_cols(), precision.c_str(), static_cast<long long>(m),
                    static_cast<long long>(n), static_cast<long long>(k), static_cast<unsigned long long>(seed), "data",
                    "operand", "(expect)", "product", "accum", "total", "energy/random", "verified");
    for (size_t i = 0; i < rows.size(); ++i) {
        const auto& [d, r] = rows[i];
        const double macs = static_cast<double>(r.macs);
        const double op = static_cast<double>(r.operand_toggles) / macs;
        const double pr = static_cast<double>(r.product_toggles) / macs;
        const double ac = static_cast<double>(r.accumulator_toggles) / macs;
        const double total = static_cast<double>(r.total_toggles()) / macs;
        // The closed form holds for int8 (independent bits); bf16 operands have no simple one.
        const double expect = precision != "int8" ? NAN
                              : d.kind == OperandData::Kind::kConstant
                                  ? 2.0 * 2.0 * std::popcount(static_cast<unsigned>(chipdse::rtl::kConstantInt8)) /
                                        static_cast<double>(k)
                                  : expected_operand_toggles_per_mac(d.bit_one_probability(), static_cast<double>(k));
        all_verified = all_verified && r.verified;
        if (json)
            std::printf("    {\"name\": \"%s\", \"macs\": %lld, \"tiles\": %lld, \"compute_cycles\": %lld, "
                        "\"operand_toggles\": %llu, \"product_toggles\": %llu, \"accumulator_toggles\": %llu, "
                        "\"operand_toggles_per_mac\": %.6f, \"expected_operand_toggles_per_mac\": %s, "
                        "\"product_toggles_per_mac\": %.6f, \"accumulator_toggles_per_mac\": %.6f, "
                        "\"toggles_per_mac\": %.6f, \"relative_energy_per_mac\": %.6f, \"product_observed\": %s, "
                        "\"verified\": %s}%s\n",
                        d.name().c_str(), static_cast<long long>(r.macs), static_cast<long long>(r.tiles),
                        static_cast<long long>(r.compute_cycles), static_cast<unsigned long long>(r.operand_toggles),
                        static_cast<unsigned long long>(r.product_toggles),
                        static_cast<unsigned long long>(r.accumulator_toggles), op,
                        std::isnan(expect) ? "null" : std::to_string(expect).c_str(), pr, ac, total,
                        total / random_per_mac, r.product_observed ? "true" : "false", r.verified ? "true" : "false",
                        i + 1 < rows.size() ? "," : "");
        else
        {
            char expect_text[32] = "-";
            if (!std::isnan(expect)) std::snprintf(expect_text, sizeof expect_text, "%.3f", expect);
            std::printf("%-9s %9.3f %9s %9.3f %9.3f %9.3f %13.3f %8s\n", d.name().c_str(), op, expect_text, pr, ac,
                        total, total / random_per_mac, r.verified ? "yes" : "NO");
        }
    }
    if (json) std::printf("  ]\n}\n");
    return all_verified ? 0 : 1;
}
