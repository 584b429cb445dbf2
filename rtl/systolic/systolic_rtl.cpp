// The Verilator co-simulation bench of the systolic array: one driver per verilated shape, each
// with its own gated clock so that only the array in use is evaluated.
// This is the only file that includes the verilated headers (they pull in <systemc.h>).
#include "rtl/systolic/systolic_rtl.h"

#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <systemc>
#include <type_traits>
#include <utility>

#include "sysc/kernel/gated_clock.h"
#include "sysc/kernel/sim_session.h"
#include "sysc/systolic/systolic_run.h"
#include "systolic_rtl_variants.h"

namespace chipdse::rtl {
namespace {

using sysc::GemmJob;
using sysc::GemmRun;
using sysc::SystolicConfig;
using sysc::Tile;

constexpr const char* kBenchName = "systolic_rtl";
const sc_core::sc_time kPeriod(1, sc_core::SC_NS);

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// Drives one verilated array from the host side of its ports, on falling clock edges: inputs set
// at a falling edge are sampled by the next rising edge, and outputs read at a falling edge show
// the state after the rising edge before it. Shape-independent; ArrayDriver<V> binds a model.
class ArrayDriverBase : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(ArrayDriverBase);
    ArrayDriverBase(const sc_core::sc_module_name& name, const SystolicConfig& array)
        : sc_core::sc_module(name), m_array(array), m_clock("clock", kPeriod) {
        SC_THREAD(drive);
    }

    const SystolicConfig& array() const { return m_array; }
    void submit(const GemmJob& job, GemmRun& out) {
        m_queue.emplace_back(&job, &out);
        m_kick.notify(sc_core::SC_ZERO_TIME);
    }
    bool idle() const { return m_queue.empty(); }
    // Empty unless a tile did not finish in time.
    const std::string& failure() const { return m_failure; }

protected:
    SystolicConfig m_array;
    sysc::GatedClock m_clock;
    sc_core::sc_signal<bool> m_rst_n{"rst_n", false}, m_ld_en{"ld_en"}, m_start{"start"}, m_accumulate{"accumulate"},
        m_keep{"keep"}, m_busy{"busy"},
        m_done{"done"}, m_rd_en{"rd_en"};
    sc_core::sc_signal<std::uint32_t> m_ld_addr{"ld_addr"}, m_k_len{"k_len"}, m_rd_addr{"rd_addr"};
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
            const std::uint64_t c0 = m_clock.posedges();
            load(job, tile);
            const std::uint64_t c1 = m_clock.posedges();
            // K chunks: the first clears the accumulators, the last drains them
            const bool last = sysc::last_pass(job.shape, tile);
            compute(tile.k, !sysc::first_pass(tile), !last);
            const std::uint64_t c2 = m_clock.posedges();
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
        m_ld_addr.write(static_cast<std::uint32_t>(lane * (m_array.k_max / sysc::operands_per_word(m_array)) + word));
        m_ld_data.write(data);
        falling_edge();
    }

    // A rows of the tile into lanes 0.., B columns into lanes rows..; 8 K elements per word, the
    // pass's K chunk (k0 .. k0 + k - 1) from element 0 of each lane.
    void load(const GemmJob& job, const Tile& tile) {
        m_rd_en.write(false);
        if (m_array.precision == spec::Precision::kBf16) return load_bf16(job, tile);
        const std::int64_t k = job.shape.k, n = job.shape.n, kc = tile.k;
        for (std::int64_t i = 0; i < tile.m; ++i)
            for (std::int64_t w = 0; w < ceil_div(kc, 8); ++w) {
                std::uint64_t data = 0;
                for (std::int64_t e = 0; e < 8 && 8 * w + e < kc; ++e)
                    data |= std::uint64_t{static_cast<std::uint8_t>(
                                job.a[static_cast<std::size_t>((tile.m0 + i) * k + tile.k0 + 8 * w + e)])}
                            << (8 * e);
                write_word(i, w, data);
            }
        for (std::int64_t j = 0; j < tile.n; ++j)
            for (std::int64_t w = 0; w < ceil_div(kc, 8); ++w) {
                std::uint64_t data = 0;
                for (std::int64_t e = 0; e < 8 && 8 * w + e < kc; ++e)
                    data |= std::uint64_t{static_cast<std::uint8_t>(
                                job.b[static_cast<std::size_t>((tile.k0 + 8 * w + e) * n + tile.n0 + j)])}
                            << (8 * e);
                write_word(m_array.rows + j, w, data);
            }
    }

    // The same for a bf16 array: 4 K elements per word, element k in bits [16 (k mod 4) +: 16].
    void load_bf16(const GemmJob& job, const Tile& tile) {
        const std::int64_t k = job.shape.k, n = job.shape.n, kc = tile.k;
        for (std::int64_t lane = 0; lane < tile.m + tile.n; ++lane)
            for (std::int64_t w = 0; w < ceil_div(kc, 4); ++w) {
                std::uint64_t data = 0;
                for (std::int64_t e = 0; e < 4 && 4 * w + e < kc; ++e) {
                    const std::int64_t kk = tile.k0 + 4 * w + e;
                    const std::size_t at = static_cast<std::size_t>(
                        lane < tile.m ? (tile.m0 + lane) * k + kk : kk * n + tile.n0 + (lane - tile.m));
                    data |= std::uint64_t{lane < tile.m ? job.a_bf16[at] : job.b_bf16[at]} << (16 * e);
                }
                write_word(lane < tile.m ? lane : m_array.rows + (lane - tile.m), w, data);
            }
    }

    // start is sampled by the next rising edge; done rises with the last drain edge (the last
    // stream edge when `keep` leaves the sums in the accumulators for the next K chunk).
    void compute(std::int64_t k, bool accumulate, bool keep) {
        m_ld_en.write(false);
        m_k_len.write(static_cast<std::uint32_t>(k));
        m_accumulate.write(accumulate);
        m_keep.write(keep);
        m_start.write(true);
        falling_edge();
        m_start.write(false);
        // A tile takes 2R + C + K - 1 cycles; allow far more before calling the RTL stuck.
        const sc_core::sc_time limit = kPeriod * static_cast<double>(4 * (2 * m_array.rows + m_array.cols + k) + 64);
        if (!m_done.read()) wait(limit, m_done.posedge_event());
        if (!m_done.read() && m_failure.empty())
            m_failure = std::string(name()) + ": done did not rise within " + limit.to_string() + " of start";
        falling_edge();
    }

    void read(const Tile& tile, std::vector<std::int32_t>& tile_c) {
        tile_c.assign(static_cast<std::size_t>(tile.m * tile.n), 0);
        const std::int64_t pairs = ceil_div(m_array.cols, 2);
        for (std::int64_t r = 0; r < tile.m; ++r)
            for (std::int64_t p = 0; 2 * p < tile.n; ++p) {
                m_rd_en.write(true);
                m_rd_addr.write(static_cast<std::uint32_t>(r * pairs + p));
                falling_edge();
                const std::uint64_t word = m_rd_data.read();
                tile_c[static_cast<std::size_t>(r * tile.n + 2 * p)] = static_cast<std::int32_t>(word & 0xffffffffu);
                if (2 * p + 1 < tile.n)
                    tile_c[static_cast<std::size_t>(r * tile.n + 2 * p + 1)] = static_cast<std::int32_t>(word >> 32);
            }
        m_rd_en.write(false);
    }

    std::deque<std::pair<const GemmJob*, GemmRun*>> m_queue;
    sc_core::sc_event m_kick;
    std::string m_failure;
};

template <class Port, class T>
constexpr bool kPortIs = std::is_same_v<typename std::remove_reference_t<Port>::data_type, T>;

template <class VModel>
class ArrayDriver : public ArrayDriverBase {
public:
    ArrayDriver(const sc_core::sc_module_name& name, const SystolicConfig& array)
        : ArrayDriverBase(name, array), m_dut("dut") {
        static_assert(kPortIs<decltype(m_dut.ld_addr), std::uint32_t> && kPortIs<decltype(m_dut.rd_addr), std::uint32_t> &&
                          kPortIs<decltype(m_dut.k_len), std::uint32_t> && kPortIs<decltype(m_dut.ld_data), std::uint64_t> &&
                          kPortIs<decltype(m_dut.rd_data), std::uint64_t>,
                      "systolic_array ports changed width: update the driver's signals");
        m_dut.clk(m_clock.signal());
        m_dut.rst_n(m_rst_n);
        m_dut.ld_en(m_ld_en);
        m_dut.ld_addr(m_ld_addr);
        m_dut.ld_data(m_ld_data);
        m_dut.start(m_start);
        m_dut.k_len(m_k_len);
        m_dut.accumulate(m_accumulate);
        m_dut.keep(m_keep);
        m_dut.busy(m_busy);
        m_dut.done(m_done);
        m_dut.rd_en(m_rd_en);
        m_dut.rd_addr(m_rd_addr);
        m_dut.rd_data(m_rd_data);
    }

private:
    VModel m_dut;
};

struct RtlBench : sc_core::sc_module {
    std::vector<std::unique_ptr<ArrayDriverBase>> drivers;

    explicit RtlBench(const sc_core::sc_module_name& name) : sc_core::sc_module(name) {
#define CHIPDSE_ADD_DRIVER(R, C, V) \
    drivers.push_back(std::make_unique<ArrayDriver<V>>("a" #R "x" #C, SystolicConfig{R, C, CHIPDSE_SYSTOLIC_RTL_KMAX}));
        CHIPDSE_SYSTOLIC_RTL_VARIANTS(CHIPDSE_ADD_DRIVER)
#undef CHIPDSE_ADD_DRIVER
#define CHIPDSE_ADD_BF16_DRIVER(R, C, V)                                                                 \
    drivers.push_back(std::make_unique<ArrayDriver<V>>("bf16_a" #R "x" #C, SystolicConfig{R, C, CHIPDSE_SYSTOLIC_RTL_KMAX, \
                                                                                         sysc::Dataflow::kOutputStationary, \
                                                                                         spec::Precision::kBf16}));
        CHIPDSE_SYSTOLIC_RTL_BF16_VARIANTS(CHIPDSE_ADD_BF16_DRIVER)
#undef CHIPDSE_ADD_BF16_DRIVER
    }

    ArrayDriverBase* find(const SystolicConfig& array) const {
        for (const auto& d : drivers)
            if (d->array().rows == array.rows && d->array().cols == array.cols &&
                d->array().precision == array.precision)
                return d.get();
        return nullptr;
    }
};

// Built once, never destroyed: SystemC modules live as long as the simulation, i.e. the process.
RtlBench* g_bench = nullptr;

std::string shapes_built(spec::Precision precision) {
    std::string s;
    for (const auto& a : systolic_rtl_arrays())
        if (a.precision == precision) s += (s.empty() ? "" : ", ") + std::to_string(a.rows) + "x" + std::to_string(a.cols);
    return s;
}

}  // namespace

std::vector<SystolicConfig> systolic_rtl_arrays() {
    std::vector<SystolicConfig> arrays;
#define CHIPDSE_LIST_ARRAY(R, C, V) arrays.push_back(SystolicConfig{R, C, CHIPDSE_SYSTOLIC_RTL_KMAX});
    CHIPDSE_SYSTOLIC_RTL_VARIANTS(CHIPDSE_LIST_ARRAY)
#undef CHIPDSE_LIST_ARRAY
#define CHIPDSE_LIST_BF16_ARRAY(R, C, V)                                                                      \
    arrays.push_back(SystolicConfig{R, C, CHIPDSE_SYSTOLIC_RTL_KMAX, sysc::Dataflow::kOutputStationary, \
                                    spec::Precision::kBf16});
    CHIPDSE_SYSTOLIC_RTL_BF16_VARIANTS(CHIPDSE_LIST_BF16_ARRAY)
#undef CHIPDSE_LIST_BF16_ARRAY
    return arrays;
}

void prepare_systolic_rtl() {
    auto& session = sysc::SimSession::instance();
    auto lock = session.lock();
    session.require(kBenchName, [] { g_bench = new RtlBench(kBenchName); });
    sysc::prepare_systolic_sc();
}

std::vector<GemmRun> run_gemm_rtl(std::span<const GemmJob> jobs) {
    // Each job on the verilated array of its shape, whose KMAX bounds K.
    std::vector<GemmJob> fitted;
    fitted.reserve(jobs.size());
    for (const GemmJob& job : jobs) {
        sysc::validate(job);
        bool found = false;
        for (const auto& a : systolic_rtl_arrays())
            if (a.rows == job.array.rows && a.cols == job.array.cols && a.precision == job.array.precision) {
                GemmJob j{a, job.shape, job.a, job.b};
                j.a_bf16 = job.a_bf16;
                j.b_bf16 = job.b_bf16;
                sysc::validate(j);  // K > KMAX folds into chunks (accumulate / keep)
                fitted.push_back(std::move(j));
                found = true;
            }
        if (!found && job.array.precision == spec::Precision::kBf16)
            throw std::invalid_argument("array: no verilated bf16 systolic array of " + std::to_string(job.array.rows) +
                                        "x" + std::to_string(job.array.cols) + "; built: " +
                                        shapes_built(spec::Precision::kBf16) +
                                        " (CMake CHIPDSE_SYSTOLIC_RTL_BF16_SHAPES)");
        if (!found)
            throw std::invalid_argument("array: no verilated systolic array of " + std::to_string(job.array.rows) + "x" +
                                        std::to_string(job.array.cols) + "; built: " +
                                        shapes_built(spec::Precision::kInt8) + " (CMake CHIPDSE_SYSTOLIC_RTL_SHAPES)");
    }
    auto& session = sysc::SimSession::instance();
    auto lock = session.lock();
    prepare_systolic_rtl();
    std::vector<GemmRun> runs(fitted.size());
    for (std::size_t i = 0; i < fitted.size(); ++i)
        g_bench->find(fitted[i].array)->submit(fitted[i], runs[i]);
    session.run();
    for (const auto& d : g_bench->drivers) {
        if (!d->failure().empty()) throw std::runtime_error(d->failure());
        if (!d->idle()) throw std::logic_error(std::string(d->name()) + ": simulation stopped with jobs queued");
    }
    return runs;
}

GemmRun run_gemm_rtl(const GemmJob& job) { return std::move(run_gemm_rtl(std::span(&job, 1)).front()); }

GemmRun run_gemm_rtl(std::int64_t rows, std::int64_t cols, const sysc::GemmShape& shape, const std::int8_t* a,
                     const std::int8_t* b) {
    return run_gemm_rtl(sysc::make_job({rows, cols, 0}, shape, a, b));
}

}  // namespace chipdse::rtl
