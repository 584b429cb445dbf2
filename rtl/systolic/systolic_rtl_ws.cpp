// The Verilator co-simulation bench of the weight-stationary systolic array: one driver per
// verilated shape, each with its own gated clock so that only the array in use is evaluated.
// The only file that includes the verilated weight-stationary headers (they pull in <systemc.h>).
#include "rtl/systolic/systolic_rtl_ws.h"

#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <systemc>
#include <type_traits>
#include <utility>

#include "rtl/systolic/systolic_rtl.h"
#include "sysc/kernel/gated_clock.h"
#include "sysc/kernel/sim_session.h"
#include "systolic_rtl_ws_variants.h"

namespace chipdse::rtl {
namespace {

using sysc::GemmJob;
using sysc::GemmRun;
using sysc::SystolicConfig;
using sysc::Tile;

constexpr const char* kBenchName = "systolic_rtl_ws";
const sc_core::sc_time kPeriod(1, sc_core::SC_NS);

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

std::int64_t ceil_log2(std::int64_t x) {
    std::int64_t bits = 0;
    while ((std::int64_t{1} << bits) < x) ++bits;
    return bits;
}

SystolicConfig ws_array(std::int64_t rows, std::int64_t cols) {
    return {rows, cols, CHIPDSE_SYSTOLIC_RTL_WS_MMAX, sysc::Dataflow::kWeightStationary};
}

// Drives one verilated array from the host side of its ports, on falling clock edges: inputs set
// at a falling edge are sampled by the next rising edge, and outputs read at a falling edge show
// the state after the rising edge before it. Shape-independent; WsDriver<V> binds a model.
class WsDriverBase : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(WsDriverBase);
    WsDriverBase(const sc_core::sc_module_name& name, const SystolicConfig& array)
        : sc_core::sc_module(name), m_array(array), m_clock("clock", kPeriod) {
        const std::int64_t pairs = ceil_div(array.cols, 2);
        m_pair_bits = pairs > 2 ? ceil_log2(pairs) : 1;
        SC_THREAD(drive);
    }

    const SystolicConfig& array() const { return m_array; }
    void submit(const GemmJob& job, GemmRun& out) {
        m_queue.emplace_back(&job, &out);
        m_kick.notify(sc_core::SC_ZERO_TIME);
    }
    bool idle() const { return m_queue.empty(); }
    // Empty unless a pass did not finish in time.
    const std::string& failure() const { return m_failure; }

protected:
    SystolicConfig m_array;
    sysc::GatedClock m_clock;
    sc_core::sc_signal<bool> m_rst_n{"rst_n", false}, m_ld_en{"ld_en"}, m_start{"start"}, m_accumulate{"accumulate"},
        m_busy{"busy"}, m_done{"done"}, m_rd_en{"rd_en"};
    sc_core::sc_signal<std::uint32_t> m_ld_addr{"ld_addr"}, m_m_len{"m_len"}, m_k_len{"k_len"}, m_rd_addr{"rd_addr"};
    sc_core::sc_signal<std::uint64_t> m_ld_data{"ld_data"}, m_rd_data{"rd_data"};

private:
    void falling_edge() { wait(m_clock.signal().negedge_event()); }

    void drive() {
        m_clock.enable();  // two cycles of reset
        m_rst_n.write(false);
        falling_edge();
        falling_edge();
        m_rst_n.write(true);
        falling_edge();
        while (true) {
            if (m_queue.empty()) {
                m_clock.disable();  // we are at a falling edge: no rising edge follows
                wait(m_kick);
                m_clock.enable();
                falling_edge();
                continue;
            }
            auto [job, out] = m_queue.front();
            m_queue.pop_front();
            run_job(*job, *out);
        }
    }

    void run_job(const GemmJob& job, GemmRun& out) {
        out = GemmRun{};
        out.c.assign(static_cast<std::size_t>(job.shape.m * job.shape.n), 0);
        std::vector<std::int32_t> tile_c;
        for (const Tile& tile : sysc::plan_tiles(m_array, job.shape)) {
            ++out.cycles.tiles;
            out.activity += sysc::tile_activity(m_array, job.shape, tile);
            const std::uint64_t c0 = m_clock.posedges();
            load(job, tile);
            const std::uint64_t c1 = m_clock.posedges();
            compute(tile);
            const std::uint64_t c2 = m_clock.posedges();
            const bool last = sysc::last_pass(job.shape, tile);
            if (last) read(tile, tile_c);
            const std::uint64_t c3 = m_clock.posedges();
            out.cycles.load += static_cast<std::int64_t>(c1 - c0);
            out.cycles.compute += static_cast<std::int64_t>(c2 - c1);
            out.cycles.readout += static_cast<std::int64_t>(c3 - c2);
            if (last) sysc::store_tile(job.shape, tile, tile_c, out.c);
        }
    }

    void write_word(std::int64_t lane, std::int64_t word, std::uint64_t data) {
        m_ld_en.write(true);
        m_ld_addr.write(static_cast<std::uint32_t>(lane * (m_array.k_max / 8) + word));
        m_ld_data.write(data);
        falling_edge();
    }

    // Activation lane i: A[m0 + m][k0 + i] over m; weight lane j: B[k0 + i][n0 + j] over i.
    void load(const GemmJob& job, const Tile& tile) {
        m_rd_en.write(false);
        const std::int64_t k = job.shape.k, n = job.shape.n;
        auto byte = [](std::int8_t x) { return std::uint64_t{static_cast<std::uint8_t>(x)}; };
        for (std::int64_t i = 0; i < tile.k; ++i)
            for (std::int64_t w = 0; w < ceil_div(tile.m, 8); ++w) {
                std::uint64_t data = 0;
                for (std::int64_t e = 0; e < 8 && 8 * w + e < tile.m; ++e)
                    data |= byte(job.a[static_cast<std::size_t>((tile.m0 + 8 * w + e) * k + tile.k0 + i)]) << (8 * e);
                write_word(i, w, data);
            }
        for (std::int64_t j = 0; j < tile.n; ++j)
            for (std::int64_t w = 0; w < ceil_div(tile.k, 8); ++w) {
                std::uint64_t data = 0;
                for (std::int64_t e = 0; e < 8 && 8 * w + e < tile.k; ++e)
                    data |= byte(job.b[static_cast<std::size_t>((tile.k0 + 8 * w + e) * n + tile.n0 + j)]) << (8 * e);
                write_word(m_array.rows + j, w, data);
            }
    }

    // start is sampled by the next rising edge; done rises with the last stream edge.
    void compute(const Tile& tile) {
        m_ld_en.write(false);
        m_m_len.write(static_cast<std::uint32_t>(tile.m));
        m_k_len.write(static_cast<std::uint32_t>(tile.k));
        m_accumulate.write(!sysc::first_pass(tile));
        m_start.write(true);
        falling_edge();
        m_start.write(false);
        // A pass takes M + 2R + C - 1 cycles; allow far more before calling the RTL stuck.
        const sc_core::sc_time limit =
            kPeriod * static_cast<double>(4 * (2 * m_array.rows + m_array.cols + tile.m) + 64);
        if (!m_done.read()) wait(limit, m_done.posedge_event());
        if (!m_done.read() && m_failure.empty())
            m_failure = std::string(name()) + ": done did not rise within " + limit.to_string() + " of start";
        falling_edge();
    }

    void read(const Tile& tile, std::vector<std::int32_t>& tile_c) {
        tile_c.assign(static_cast<std::size_t>(tile.m * tile.n), 0);
        for (std::int64_t r = 0; r < tile.m; ++r)
            for (std::int64_t p = 0; 2 * p < tile.n; ++p) {
                m_rd_en.write(true);
                m_rd_addr.write(static_cast<std::uint32_t>((r << m_pair_bits) + p));
                falling_edge();
                const std::uint64_t word = m_rd_data.read();
                tile_c[static_cast<std::size_t>(r * tile.n + 2 * p)] = static_cast<std::int32_t>(word & 0xffffffffu);
                if (2 * p + 1 < tile.n)
                    tile_c[static_cast<std::size_t>(r * tile.n + 2 * p + 1)] = static_cast<std::int32_t>(word >> 32);
            }
        m_rd_en.write(false);
    }

    std::int64_t m_pair_bits = 1;
    std::deque<std::pair<const GemmJob*, GemmRun*>> m_queue;
    sc_core::sc_event m_kick;
    std::string m_failure;
};

template <class Port, class T>
constexpr bool kPortIs = std::is_same_v<typename std::remove_reference_t<Port>::data_type, T>;

template <class VModel>
class WsDriver : public WsDriverBase {
public:
    WsDriver(const sc_core::sc_module_name& name, const SystolicConfig& array) : WsDriverBase(name, array), m_dut("dut") {
        static_assert(kPortIs<decltype(m_dut.ld_addr), std::uint32_t> && kPortIs<decltype(m_dut.rd_addr), std::uint32_t> &&
                          kPortIs<decltype(m_dut.m_len), std::uint32_t> && kPortIs<decltype(m_dut.k_len), std::uint32_t> &&
                          kPortIs<decltype(m_dut.ld_data), std::uint64_t> && kPortIs<decltype(m_dut.rd_data), std::uint64_t>,
                      "systolic_array_ws ports changed width: update the driver's signals");
        m_dut.clk(m_clock.signal());
        m_dut.rst_n(m_rst_n);
        m_dut.ld_en(m_ld_en);
        m_dut.ld_addr(m_ld_addr);
        m_dut.ld_data(m_ld_data);
        m_dut.start(m_start);
        m_dut.m_len(m_m_len);
        m_dut.k_len(m_k_len);
        m_dut.accumulate(m_accumulate);
        m_dut.busy(m_busy);
        m_dut.done(m_done);
        m_dut.rd_en(m_rd_en);
        m_dut.rd_addr(m_rd_addr);
        m_dut.rd_data(m_rd_data);
    }

private:
    VModel m_dut;
};

struct WsBench : sc_core::sc_module {
    std::vector<std::unique_ptr<WsDriverBase>> drivers;

    explicit WsBench(const sc_core::sc_module_name& name) : sc_core::sc_module(name) {
#define CHIPDSE_ADD_DRIVER(R, C, V) drivers.push_back(std::make_unique<WsDriver<V>>("ws" #R "x" #C, ws_array(R, C)));
        CHIPDSE_SYSTOLIC_RTL_WS_VARIANTS(CHIPDSE_ADD_DRIVER)
#undef CHIPDSE_ADD_DRIVER
    }

    WsDriverBase* find(std::int64_t rows, std::int64_t cols) const {
        for (const auto& d : drivers)
            if (d->array().rows == rows && d->array().cols == cols) return d.get();
        return nullptr;
    }
};

// Built once, never destroyed: SystemC modules live as long as the simulation, i.e. the process.
WsBench* g_bench = nullptr;

std::string shapes_built() {
    std::string s;
    for (const auto& a : systolic_rtl_ws_arrays())
        s += (s.empty() ? "" : ", ") + std::to_string(a.rows) + "x" + std::to_string(a.cols);
    return s;
}

}  // namespace

std::vector<SystolicConfig> systolic_rtl_ws_arrays() {
    std::vector<SystolicConfig> arrays;
#define CHIPDSE_LIST_ARRAY(R, C, V) arrays.push_back(ws_array(R, C));
    CHIPDSE_SYSTOLIC_RTL_WS_VARIANTS(CHIPDSE_LIST_ARRAY)
#undef CHIPDSE_LIST_ARRAY
    return arrays;
}

void prepare_systolic_rtl_ws() {
    auto& session = sysc::SimSession::instance();
    auto lock = session.lock();
    session.require(kBenchName, [] { g_bench = new WsBench(kBenchName); });
    prepare_systolic_rtl();
}

std::vector<GemmRun> run_gemm_rtl_ws(std::span<const GemmJob> jobs) {
    std::vector<GemmJob> fitted;
    fitted.reserve(jobs.size());
    for (const GemmJob& job : jobs) {
        sysc::validate(job);
        if (job.timing_only) throw std::invalid_argument("timing_only: the RTL always simulates its data");
        const SystolicConfig a = ws_array(job.array.rows, job.array.cols);
        bool found = false;
        for (const auto& built : systolic_rtl_ws_arrays()) found = found || built == a;
        if (!found)
            throw std::invalid_argument("array: no verilated weight-stationary systolic array of " +
                                        std::to_string(job.array.rows) + "x" + std::to_string(job.array.cols) +
                                        "; built: " + shapes_built() + " (CMake CHIPDSE_SYSTOLIC_RTL_WS_SHAPES)");
        fitted.push_back(GemmJob{a, job.shape, job.a, job.b});
    }
    auto& session = sysc::SimSession::instance();
    auto lock = session.lock();
    prepare_systolic_rtl_ws();
    std::vector<GemmRun> runs(fitted.size());
    for (std::size_t i = 0; i < fitted.size(); ++i)
        g_bench->find(fitted[i].array.rows, fitted[i].array.cols)->submit(fitted[i], runs[i]);
    session.run();
    for (const auto& d : g_bench->drivers) {
        if (!d->failure().empty()) throw std::runtime_error(d->failure());
        if (!d->idle()) throw std::logic_error(std::string(d->name()) + ": simulation stopped with jobs queued");
    }
    return runs;
}

GemmRun run_gemm_rtl_ws(const GemmJob& job) { return std::move(run_gemm_rtl_ws(std::span(&job, 1)).front()); }

}  // namespace chipdse::rtl
