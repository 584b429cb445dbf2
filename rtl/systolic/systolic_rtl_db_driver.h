#pragma once
// Internal to the RTL benches (systolic_rtl.cpp, systolic_rtl_ws.cpp): the drivers of the
// double-buffered arrays rtl/systolic/systolic_array_os_db.sv and systolic_array_ws_db.sv. Pulls in
// <systemc>.
//
// A GEMM runs as these arrays expect it: every pass of sysc::plan_tiles loaded into its own operand
// slot (the pass's index in the plan), one start for the whole GEMM (m_len, n_len, k_len), then
// every tile's results read from the GEMM-wide result buffer. The load words and read words are
// the single-buffered arrays', so load and readout equal their closed form; compute is the
// pipelined timeline (docs/systolic.md, "Double-buffered array").
#include <cstdint>
#include <systemc>

#include "rtl/systolic/systolic_rtl_driver.h"
#include "sysc/systolic/systolic_model.h"

namespace chipdse::rtl::detail {

// What both double-buffered arrays share: ports, start, read addressing. A dataflow's class adds
// load() into slot(shape, tile).
class DbDriverBase : public DriverBase {
public:
    // `slots`: the array's PMAX, operand slots per lane.
    DbDriverBase(const sc_core::sc_module_name& name, const sysc::SystolicConfig& array, std::int64_t slots)
        : DriverBase(name, array), m_slots(slots) {
        const std::int64_t pairs = ceil_div(array.cols, 2);
        while ((std::int64_t{1} << m_pair_bits) < pairs) ++m_pair_bits;
    }

    // The double-buffered arrays have no accumulate input (the controller knows each pass's fold).
    template <class VModel>
    void bind_common(VModel& dut) {
        bind_io(dut);
    }
    template <class VModel>
    void bind_extra(VModel& dut) {
        static_assert(kPortIs<decltype(dut.m_len), std::uint32_t> && kPortIs<decltype(dut.n_len), std::uint32_t>,
                      "double-buffered systolic array ports changed width: update the driver's signals");
        dut.m_len(m_m_len);
        dut.n_len(m_n_len);
    }

protected:
    // The pass's index in plan_tiles.
    std::int64_t slot(const sysc::GemmShape& s, const sysc::Tile& t) const {
        const std::int64_t r = m_array.rows, c = m_array.cols, d = m_array.k_max;
        if (m_array.dataflow == sysc::Dataflow::kOutputStationary)  // row folds, column folds, K chunks
            return ((t.m0 / r) * ceil_div(s.n, c) + t.n0 / c) * ceil_div(s.k, d) + t.k0 / d;
        return ((t.n0 / c) * ceil_div(s.m, d) + t.m0 / d) * ceil_div(s.k, r) + t.k0 / r;  // WS
    }
    // load_lane's lane for `lane` of slot p: ld_addr = (lane * PMAX + p) * (depth / E) + e / E.
    std::int64_t slot_lane(std::int64_t lane, std::int64_t p) const { return lane * m_slots + p; }

private:
    // done rises with the edge that writes the GEMM's last result.
    void compute_gemm(const sysc::GemmJob& job) override {
        m_m_len.write(static_cast<std::uint32_t>(job.shape.m));
        m_n_len.write(static_cast<std::uint32_t>(job.shape.n));
        m_k_len.write(static_cast<std::uint32_t>(job.shape.k));
        start_pass(sysc::gemm_cycles(m_array, job.shape).compute);
    }

    // rd_addr = (f * M + m) * 2^PW + p for column fold f, PW = max(1, ceil(log2(ceil(C/2)))).
    std::int64_t read_row_stride() const override { return std::int64_t{1} << m_pair_bits; }
    std::int64_t read_row_base(const sysc::GemmShape& s, const sysc::Tile& t) const override {
        return (t.n0 / m_array.cols) * s.m + t.m0;
    }

    sc_core::sc_signal<std::uint32_t> m_m_len{"m_len"}, m_n_len{"n_len"};
    std::int64_t m_slots;
    std::int64_t m_pair_bits = 1;
};

// Weight-stationary: activation lane i of slot p: A[m0 + m][k0 + i] over m; weight lane j:
// B[k0 + i][n0 + j] over i.
class WsDbDriverBase : public DbDriverBase {
public:
    using DbDriverBase::DbDriverBase;

private:
    void load(const sysc::GemmJob& job, const sysc::Tile& tile) override {
        const std::int64_t k = job.shape.k, n = job.shape.n, p = slot(job.shape, tile);
        for (std::int64_t i = 0; i < tile.k; ++i)
            load_lane(slot_lane(i, p), tile.m, [&](std::int64_t e) { return a_bits(job, (tile.m0 + e) * k + tile.k0 + i); });
        for (std::int64_t j = 0; j < tile.n; ++j)
            load_lane(slot_lane(m_array.rows + j, p), tile.k,
                      [&](std::int64_t e) { return b_bits(job, (tile.k0 + e) * n + tile.n0 + j); });
    }
};

// Output-stationary: lane i of slot p: A[m0 + i][k0 + e] over the chunk's e; lane rows + j:
// B[k0 + e][n0 + j].
class OsDbDriverBase : public DbDriverBase {
public:
    using DbDriverBase::DbDriverBase;

private:
    void load(const sysc::GemmJob& job, const sysc::Tile& tile) override {
        const std::int64_t k = job.shape.k, n = job.shape.n, p = slot(job.shape, tile);
        for (std::int64_t i = 0; i < tile.m; ++i)
            load_lane(slot_lane(i, p), tile.k, [&](std::int64_t e) { return a_bits(job, (tile.m0 + i) * k + tile.k0 + e); });
        for (std::int64_t j = 0; j < tile.n; ++j)
            load_lane(slot_lane(m_array.rows + j, p), tile.k,
                      [&](std::int64_t e) { return b_bits(job, (tile.k0 + e) * n + tile.n0 + j); });
    }
};

// The driver of one verilated double-buffered model (Base: WsDbDriverBase or OsDbDriverBase);
// `Slots` is its PMAX.
template <class Base, class VModel, std::int64_t Slots>
class DbDriver : public ModelDriver<Base, VModel> {
public:
    DbDriver(const sc_core::sc_module_name& name, const sysc::SystolicConfig& array)
        : ModelDriver<Base, VModel>(name, array, Slots) {}
};

}  // namespace chipdse::rtl::detail
