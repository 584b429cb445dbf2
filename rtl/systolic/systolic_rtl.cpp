// The Verilator co-simulation bench of the output-stationary systolic arrays, single- and
// double-buffered: one driver per verilated shape, precision and buffering, each with its own gated
// clock so that only the array in use is evaluated. This is the only file that includes the
// verilated output-stationary headers (they pull in <systemc.h>); the driver's shared part is
// systolic_rtl_driver.h, the double-buffered array's driver systolic_rtl_db_driver.h.
#include "rtl/systolic/systolic_rtl.h"

#include <systemc>
#include <utility>
#include <vector>

#include "rtl/systolic/systolic_rtl_db_driver.h"
#include "rtl/systolic/systolic_rtl_driver.h"
#include "sysc/kernel/sim_session.h"
#include "sysc/systolic/systolic_run.h"
#include "systolic_rtl_variants.h"

namespace chipdse::rtl {
namespace {

using detail::ceil_div;
using sysc::GemmJob;
using sysc::GemmRun;
using sysc::SystolicConfig;
using sysc::Tile;

constexpr const char* kBenchName = "systolic_rtl";

SystolicConfig os_array(std::int64_t rows, std::int64_t cols, spec::Precision precision) {
    return {rows, cols, CHIPDSE_SYSTOLIC_RTL_KMAX, sysc::Dataflow::kOutputStationary, precision};
}

SystolicConfig os_db_array(std::int64_t rows, std::int64_t cols, spec::Precision precision) {
    return {rows, cols, CHIPDSE_SYSTOLIC_RTL_DB_DEPTH, sysc::Dataflow::kOutputStationary, precision, true};
}

// A pass is one K chunk of a tile: the first clears the accumulators, the last drains them.
class OsDriverBase : public detail::DriverBase {
public:
    using DriverBase::DriverBase;

    template <class VModel>
    void bind_extra(VModel& dut) {
        dut.keep(m_keep);
    }

protected:
    sc_core::sc_signal<bool> m_keep{"keep"};

private:
    // A rows of the tile into lanes 0.., B columns into lanes rows..; the pass's K chunk
    // (k0 .. k0 + k - 1) from element 0 of each lane.
    void load(const GemmJob& job, const Tile& tile) override {
        const std::int64_t k = job.shape.k, n = job.shape.n;
        for (std::int64_t i = 0; i < tile.m; ++i)
            load_lane(i, tile.k, [&](std::int64_t e) { return a_bits(job, (tile.m0 + i) * k + tile.k0 + e); });
        for (std::int64_t j = 0; j < tile.n; ++j)
            load_lane(m_array.rows + j, tile.k, [&](std::int64_t e) { return b_bits(job, (tile.k0 + e) * n + tile.n0 + j); });
    }

    // done rises with the last drain edge (the last stream edge when `keep` leaves the sums in the
    // accumulators for the next K chunk). A tile takes 2R + C + K - 1 cycles.
    void compute(const GemmJob& job, const Tile& tile) override {
        m_k_len.write(static_cast<std::uint32_t>(tile.k));
        m_accumulate.write(!sysc::first_pass(tile));
        m_keep.write(!sysc::last_pass(job.shape, tile));
        start_pass(2 * m_array.rows + m_array.cols + tile.k);
    }

    std::int64_t read_row_stride() const override { return ceil_div(m_array.cols, 2); }
};

template <class VModel>
using OsDriver = detail::ModelDriver<OsDriverBase, VModel>;

// The verilated models of this build (systolic_rtl_variants.h, from CMake's shape lists).
std::vector<detail::Variant> variants() {
    std::vector<detail::Variant> v;
#define CHIPDSE_INT8(R, C, V) \
    v.push_back({"a" #R "x" #C, os_array(R, C, spec::Precision::kInt8), detail::make_driver<OsDriver<V>>});
#define CHIPDSE_BF16(R, C, V) \
    v.push_back({"bf16_a" #R "x" #C, os_array(R, C, spec::Precision::kBf16), detail::make_driver<OsDriver<V>>});
    CHIPDSE_SYSTOLIC_RTL_VARIANTS(CHIPDSE_INT8)
    CHIPDSE_SYSTOLIC_RTL_BF16_VARIANTS(CHIPDSE_BF16)
#undef CHIPDSE_INT8
#undef CHIPDSE_BF16
    constexpr std::int64_t slots = CHIPDSE_SYSTOLIC_RTL_DB_PMAX, rows = CHIPDSE_SYSTOLIC_RTL_DB_RMAX;
#define CHIPDSE_DB_INT8(R, C, V)                                                                                 \
    v.push_back({"a_db" #R "x" #C, os_db_array(R, C, spec::Precision::kInt8),                                 \
                 detail::make_driver<detail::DbDriver<detail::OsDbDriverBase, V, slots>>, slots, rows});
#define CHIPDSE_DB_BF16(R, C, V)                                                                                 \
    v.push_back({"bf16_a_db" #R "x" #C, os_db_array(R, C, spec::Precision::kBf16),                            \
                 detail::make_driver<detail::DbDriver<detail::OsDbDriverBase, V, slots>>, slots, rows});
    CHIPDSE_SYSTOLIC_RTL_OS_DB_VARIANTS(CHIPDSE_DB_INT8)
    CHIPDSE_SYSTOLIC_RTL_OS_DB_BF16_VARIANTS(CHIPDSE_DB_BF16)
#undef CHIPDSE_DB_INT8
#undef CHIPDSE_DB_BF16
    return v;
}

detail::Bench* g_bench = nullptr;

}  // namespace

std::vector<SystolicConfig> systolic_rtl_arrays() {
    std::vector<SystolicConfig> arrays;
    for (const SystolicConfig& a : detail::arrays_of(variants()))
        if (!a.double_buffered) arrays.push_back(a);
    return arrays;
}

std::vector<SystolicConfig> systolic_rtl_db_arrays() {
    std::vector<SystolicConfig> arrays;
    for (const SystolicConfig& a : detail::arrays_of(variants()))
        if (a.double_buffered) arrays.push_back(a);
    return arrays;
}

void prepare_systolic_rtl() {
    auto& session = sysc::SimSession::instance();
    auto lock = session.lock();
    detail::require_bench(kBenchName, g_bench, variants);
    sysc::prepare_systolic_sc();
}

// Each job on the verilated array of its shape, whose KMAX bounds K (a longer K folds into
// chunks: accumulate / keep).
std::vector<GemmRun> run_gemm_rtl(std::span<const GemmJob> jobs) {
    return detail::run_jobs(jobs, variants(), {"", "CHIPDSE_SYSTOLIC_RTL_SHAPES", "CHIPDSE_SYSTOLIC_RTL_BF16_SHAPES",
                             "CHIPDSE_SYSTOLIC_RTL_OS_DB_SHAPES", "CHIPDSE_SYSTOLIC_RTL_OS_DB_BF16_SHAPES"},
                            g_bench, prepare_systolic_rtl);
}

GemmRun run_gemm_rtl(const GemmJob& job) { return std::move(run_gemm_rtl(std::span(&job, 1)).front()); }

GemmRun run_gemm_rtl(std::int64_t rows, std::int64_t cols, const sysc::GemmShape& shape, const std::int8_t* a,
                     const std::int8_t* b) {
    return run_gemm_rtl(sysc::make_job({rows, cols, 0}, shape, a, b));
}

}  // namespace chipdse::rtl
