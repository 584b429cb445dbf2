// The Verilator co-simulation bench of the weight-stationary systolic arrays, single- and
// double-buffered: one driver per verilated shape, precision and buffering, each with its own gated
// clock so that only the array in use is evaluated. The only file that includes the verilated
// weight-stationary headers (they pull in <systemc.h>); the driver's shared part is
// systolic_rtl_driver.h, the double-buffered array's driver systolic_rtl_db_driver.h.
#include "rtl/systolic/systolic_rtl_ws.h"

#include <systemc>
#include <utility>
#include <vector>

#include "rtl/systolic/systolic_rtl.h"
#include "rtl/systolic/systolic_rtl_driver.h"
#include "rtl/systolic/systolic_rtl_db_driver.h"
#include "sysc/kernel/sim_session.h"
#include "systolic_rtl_ws_variants.h"

namespace chipdse::rtl {
namespace {

using detail::ceil_div;
using sysc::GemmJob;
using sysc::GemmRun;
using sysc::SystolicConfig;
using sysc::Tile;

constexpr const char* kBenchName = "systolic_rtl_ws";

SystolicConfig ws_array(std::int64_t rows, std::int64_t cols, spec::Precision precision) {
    return {rows, cols, CHIPDSE_SYSTOLIC_RTL_WS_MMAX, sysc::Dataflow::kWeightStationary, precision};
}

SystolicConfig ws_db_array(std::int64_t rows, std::int64_t cols, spec::Precision precision) {
    return {rows, cols, CHIPDSE_SYSTOLIC_RTL_DB_DEPTH, sysc::Dataflow::kWeightStationary, precision, true};
}

// A pass is one K fold of one M chunk of a column fold; every fold after the first accumulates.
class WsDriverBase : public detail::DriverBase {
public:
    WsDriverBase(const sc_core::sc_module_name& name, const SystolicConfig& array) : DriverBase(name, array) {
        const std::int64_t pairs = ceil_div(array.cols, 2);
        while ((std::int64_t{1} << m_pair_bits) < pairs) ++m_pair_bits;
    }

    template <class VModel>
    void bind_extra(VModel& dut) {
        static_assert(detail::kPortIs<decltype(dut.m_len), std::uint32_t>,
                      "systolic_array_ws ports changed width: update the driver's signals");
        dut.m_len(m_m_len);
    }

protected:
    sc_core::sc_signal<std::uint32_t> m_m_len{"m_len"};

private:
    // Activation lane i: A[m0 + m][k0 + i] over m; weight lane j: B[k0 + i][n0 + j] over i.
    void load(const GemmJob& job, const Tile& tile) override {
        const std::int64_t k = job.shape.k, n = job.shape.n;
        for (std::int64_t i = 0; i < tile.k; ++i)
            load_lane(i, tile.m, [&](std::int64_t e) { return a_bits(job, (tile.m0 + e) * k + tile.k0 + i); });
        for (std::int64_t j = 0; j < tile.n; ++j)
            load_lane(m_array.rows + j, tile.k, [&](std::int64_t e) { return b_bits(job, (tile.k0 + e) * n + tile.n0 + j); });
    }

    // done rises with the last stream edge. A pass takes M + 2R + C - 1 cycles.
    void compute(const GemmJob&, const Tile& tile) override {
        m_m_len.write(static_cast<std::uint32_t>(tile.m));
        m_k_len.write(static_cast<std::uint32_t>(tile.k));
        m_accumulate.write(!sysc::first_pass(tile));
        start_pass(2 * m_array.rows + m_array.cols + tile.m);
    }

    // rd_addr = m * 2^PW + p, PW = max(1, ceil(log2(ceil(C/2)))).
    std::int64_t read_row_stride() const override { return std::int64_t{1} << m_pair_bits; }

    std::int64_t m_pair_bits = 1;
};

template <class VModel>
using WsDriver = detail::ModelDriver<WsDriverBase, VModel>;

// The verilated models of this build (systolic_rtl_ws_variants.h, from CMake's shape lists).
std::vector<detail::Variant> variants() {
    std::vector<detail::Variant> v;
#define CHIPDSE_INT8(R, C, V) \
    v.push_back({"ws" #R "x" #C, ws_array(R, C, spec::Precision::kInt8), detail::make_driver<WsDriver<V>>});
#define CHIPDSE_BF16(R, C, V) \
    v.push_back({"bf16_ws" #R "x" #C, ws_array(R, C, spec::Precision::kBf16), detail::make_driver<WsDriver<V>>});
    CHIPDSE_SYSTOLIC_RTL_WS_VARIANTS(CHIPDSE_INT8)
    CHIPDSE_SYSTOLIC_RTL_WS_BF16_VARIANTS(CHIPDSE_BF16)
#undef CHIPDSE_INT8
#undef CHIPDSE_BF16
    constexpr std::int64_t slots = CHIPDSE_SYSTOLIC_RTL_DB_PMAX, rows = CHIPDSE_SYSTOLIC_RTL_DB_RMAX;
#define CHIPDSE_DB_INT8(R, C, V)                                                                                 \
    v.push_back({"ws_db" #R "x" #C, ws_db_array(R, C, spec::Precision::kInt8),                                \
                 detail::make_driver<detail::DbDriver<detail::WsDbDriverBase, V, slots>>, slots, rows});
#define CHIPDSE_DB_BF16(R, C, V)                                                                                 \
    v.push_back({"bf16_ws_db" #R "x" #C, ws_db_array(R, C, spec::Precision::kBf16),                           \
                 detail::make_driver<detail::DbDriver<detail::WsDbDriverBase, V, slots>>, slots, rows});
    CHIPDSE_SYSTOLIC_RTL_WS_DB_VARIANTS(CHIPDSE_DB_INT8)
    CHIPDSE_SYSTOLIC_RTL_WS_DB_BF16_VARIANTS(CHIPDSE_DB_BF16)
#undef CHIPDSE_DB_INT8
#undef CHIPDSE_DB_BF16
    return v;
}

detail::Bench* g_bench = nullptr;

}  // namespace

std::vector<SystolicConfig> systolic_rtl_ws_arrays() {
    std::vector<SystolicConfig> arrays;
    for (const SystolicConfig& a : detail::arrays_of(variants()))
        if (!a.double_buffered) arrays.push_back(a);
    return arrays;
}

std::vector<SystolicConfig> systolic_rtl_ws_db_arrays() {
    std::vector<SystolicConfig> arrays;
    for (const SystolicConfig& a : detail::arrays_of(variants()))
        if (a.double_buffered) arrays.push_back(a);
    return arrays;
}

// Builds this bench, then the output-stationary RTL's and the SystemC one.
void prepare_systolic_rtl_ws() {
    auto& session = sysc::SimSession::instance();
    auto lock = session.lock();
    detail::require_bench(kBenchName, g_bench, variants);
    prepare_systolic_rtl();
}

// Any dataflow's job runs weight-stationary; bf16 jobs on the bf16 arrays, double-buffered ones on
// the double-buffered arrays.
std::vector<GemmRun> run_gemm_rtl_ws(std::span<const GemmJob> jobs) {
    return detail::run_jobs(jobs, variants(),
                            {"weight-stationary ", "CHIPDSE_SYSTOLIC_RTL_WS_SHAPES", "CHIPDSE_SYSTOLIC_RTL_WS_BF16_SHAPES",
                             "CHIPDSE_SYSTOLIC_RTL_WS_DB_SHAPES", "CHIPDSE_SYSTOLIC_RTL_WS_DB_BF16_SHAPES"},
                            g_bench, prepare_systolic_rtl_ws);
}

GemmRun run_gemm_rtl_ws(const GemmJob& job) { return std::move(run_gemm_rtl_ws(std::span(&job, 1)).front()); }

}  // namespace chipdse::rtl
