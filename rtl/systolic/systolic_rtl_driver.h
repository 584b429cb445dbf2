#pragma once
// Internal to the RTL co-simulation benches (systolic_rtl.cpp, systolic_rtl_ws.cpp), the only files
// that include it: the part their drivers share. Pulls in <systemc>.
//
// DriverBase drives one verilated array from the host side of its ports, on falling clock edges:
// inputs set at a falling edge are sampled by the next rising edge, and outputs read at a falling
// edge show the state after the rising edge before it. It owns the gated clock, the reset, the job
// queue and the pass loop (load, compute, readout after a tile's last pass, each phase's cycles the
// clock's rising edges; for a double-buffered array every pass's load, one compute for the whole
// GEMM, then every tile's readout); a dataflow's driver supplies load() and compute() (or
// compute_gemm()), and a template per verilated model binds the ports (bind_common for the ports
// every array has).
#include <algorithm>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <systemc>
#include <type_traits>
#include <utility>
#include <vector>

#include "sysc/kernel/gated_clock.h"
#include "sysc/kernel/sim_session.h"
#include "sysc/systolic/systolic_model.h"

namespace chipdse::rtl::detail {

inline const sc_core::sc_time kPeriod(1, sc_core::SC_NS);

inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

template <class Port, class T>
constexpr bool kPortIs = std::is_same_v<typename std::remove_reference_t<Port>::data_type, T>;

class DriverBase : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(DriverBase);
    DriverBase(const sc_core::sc_module_name& name, const sysc::SystolicConfig& array)
        : sc_core::sc_module(name), m_array(array), m_clock("clock", kPeriod) {
        SC_THREAD(drive);
    }

    const sysc::SystolicConfig& array() const { return m_array; }
    void submit(const sysc::GemmJob& job, sysc::GemmRun& out) {
        m_queue.emplace_back(&job, &out);
        m_kick.notify(sc_core::SC_ZERO_TIME);
    }
    bool idle() const { return m_queue.empty(); }
    // Empty unless a pass did not finish in time.
    const std::string& failure() const { return m_failure; }

protected:
    // The ports every array has (int8 or bf16, output- or weight-stationary, single- or
    // double-buffered); the address and length ports are 32 bits, the data ports 64 bits in every
    // verilated shape.
    template <class VModel>
    void bind_io(VModel& dut) {
        static_assert(kPortIs<decltype(dut.ld_addr), std::uint32_t> && kPortIs<decltype(dut.rd_addr), std::uint32_t> &&
                          kPortIs<decltype(dut.k_len), std::uint32_t> && kPortIs<decltype(dut.ld_data), std::uint64_t> &&
                          kPortIs<decltype(dut.rd_data), std::uint64_t>,
                      "systolic array ports changed width: update the driver's signals");
        dut.clk(m_clock.signal());
        dut.rst_n(m_rst_n);
        dut.ld_en(m_ld_en);
        dut.ld_addr(m_ld_addr);
        dut.ld_data(m_ld_data);
        dut.start(m_start);
        dut.k_len(m_k_len);
        dut.busy(m_busy);
        dut.done(m_done);
        dut.rd_en(m_rd_en);
        dut.rd_addr(m_rd_addr);
        dut.rd_data(m_rd_data);
    }
    // bind_io and the single-buffered arrays' accumulate input.
    template <class VModel>
    void bind_common(VModel& dut) {
        bind_io(dut);
        dut.accumulate(m_accumulate);
    }

    // One pass's operands into the buffers, and its start (set the pass's inputs, then start_pass).
    // A double-buffered array starts the whole GEMM in compute_gemm() instead; each driver
    // overrides the one its array has (the other records a failure).
    virtual void load(const sysc::GemmJob& job, const sysc::Tile& tile) = 0;
    virtual void compute(const sysc::GemmJob&, const sysc::Tile&) { fail("no single-buffered pass on this array"); }
    virtual void compute_gemm(const sysc::GemmJob&) { fail("no double-buffered GEMM on this array"); }
    // Result words per row of C in the read port's address space, and the read port's row of the
    // tile's row 0 (0: the result buffer holds one tile).
    virtual std::int64_t read_row_stride() const = 0;
    virtual std::int64_t read_row_base(const sysc::GemmShape&, const sysc::Tile&) const { return 0; }

    void fail(const std::string& what) {
        if (m_failure.empty()) m_failure = std::string(name()) + ": " + what;
    }

    void falling_edge() { wait(m_clock.signal().negedge_event()); }

    // Element `index` of A or B as the bits a load word carries (8 for int8, 16 for bf16).
    std::uint64_t a_bits(const sysc::GemmJob& job, std::int64_t index) const {
        const auto i = static_cast<std::size_t>(index);
        return bf16() ? std::uint64_t{job.a_bf16[i]} : std::uint64_t{static_cast<std::uint8_t>(job.a[i])};
    }
    std::uint64_t b_bits(const sysc::GemmJob& job, std::int64_t index) const {
        const auto i = static_cast<std::size_t>(index);
        return bf16() ? std::uint64_t{job.b_bf16[i]} : std::uint64_t{static_cast<std::uint8_t>(job.b[i])};
    }

    // `count` elements into one lane, E per word (operands_per_word), element e in bits
    // [64/E (e mod E) +: 64/E] of word e / E, at ld_addr = lane * (k_max / E) + e / E.
    template <class Element>
    void load_lane(std::int64_t lane, std::int64_t count, Element element) {
        const std::int64_t per_word = sysc::operands_per_word(m_array), width = 64 / per_word;
        for (std::int64_t w = 0; w < ceil_div(count, per_word); ++w) {
            std::uint64_t data = 0;
            for (std::int64_t e = 0; e < per_word && per_word * w + e < count; ++e)
                data |= element(per_word * w + e) << (width * e);
            m_ld_en.write(true);
            m_ld_addr.write(static_cast<std::uint32_t>(lane * (m_array.k_max / per_word) + w));
            m_ld_data.write(data);
            falling_edge();
        }
    }

    // start is sampled by the next rising edge; waits for done, allowing far more than the pass's
    // `cycles` before calling the RTL stuck.
    void start_pass(std::int64_t cycles) {
        m_ld_en.write(false);
        m_start.write(true);
        falling_edge();
        m_start.write(false);
        const sc_core::sc_time limit = kPeriod * static_cast<double>(4 * cycles + 64);
        if (!m_done.read()) wait(limit, m_done.posedge_event());
        if (!m_done.read()) fail("done did not rise within " + limit.to_string() + " of start");
        falling_edge();
    }

    bool bf16() const { return m_array.precision == spec::Precision::kBf16; }

    sysc::SystolicConfig m_array;
    sysc::GatedClock m_clock;
    sc_core::sc_signal<bool> m_rst_n{"rst_n", false}, m_ld_en{"ld_en"}, m_start{"start"}, m_accumulate{"accumulate"},
        m_busy{"busy"}, m_done{"done"}, m_rd_en{"rd_en"};
    sc_core::sc_signal<std::uint32_t> m_ld_addr{"ld_addr"}, m_k_len{"k_len"}, m_rd_addr{"rd_addr"};
    sc_core::sc_signal<std::uint64_t> m_ld_data{"ld_data"}, m_rd_data{"rd_data"};

private:
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

    void run_job(const sysc::GemmJob& job, sysc::GemmRun& out) {
        if (m_array.double_buffered) return run_job_pipelined(job, out);
        out = sysc::GemmRun{};
        out.c.assign(static_cast<std::size_t>(job.shape.m * job.shape.n), 0);
        std::vector<std::int32_t> tile_c;
        for (const sysc::Tile& tile : sysc::plan_tiles(m_array, job.shape)) {
            ++out.cycles.tiles;
            out.activity += sysc::tile_activity(m_array, job.shape, tile);
            const std::uint64_t c0 = m_clock.posedges();
            m_rd_en.write(false);
            load(job, tile);
            const std::uint64_t c1 = m_clock.posedges();
            compute(job, tile);
            const std::uint64_t c2 = m_clock.posedges();
            const bool last = sysc::last_pass(job.shape, tile);
            if (last) read(tile, 0, tile_c);
            const std::uint64_t c3 = m_clock.posedges();
            out.cycles.load += static_cast<std::int64_t>(c1 - c0);
            out.cycles.compute += static_cast<std::int64_t>(c2 - c1);
            out.cycles.readout += static_cast<std::int64_t>(c3 - c2);
            if (last) sysc::store_tile(job.shape, tile, tile_c, out.c);
        }
    }

    // Double-buffered: every pass's operands, one start for the whole GEMM, then every tile's
    // results (the phases' totals are the single-buffered array's load and readout).
    void run_job_pipelined(const sysc::GemmJob& job, sysc::GemmRun& out) {
        out = sysc::GemmRun{};
        out.c.assign(static_cast<std::size_t>(job.shape.m * job.shape.n), 0);
        const std::vector<sysc::Tile> tiles = sysc::plan_tiles(m_array, job.shape);
        const std::uint64_t c0 = m_clock.posedges();
        m_rd_en.write(false);
        for (const sysc::Tile& tile : tiles) {
            ++out.cycles.tiles;
            out.activity += sysc::tile_activity(m_array, job.shape, tile);
            load(job, tile);
        }
        const std::uint64_t c1 = m_clock.posedges();
        compute_gemm(job);
        const std::uint64_t c2 = m_clock.posedges();
        std::vector<std::int32_t> tile_c;
        for (const sysc::Tile& tile : tiles) {
            if (!sysc::last_pass(job.shape, tile)) continue;
            read(tile, read_row_base(job.shape, tile), tile_c);
            sysc::store_tile(job.shape, tile, tile_c, out.c);
        }
        const std::uint64_t c3 = m_clock.posedges();
        out.cycles.load = static_cast<std::int64_t>(c1 - c0);
        out.cycles.compute = static_cast<std::int64_t>(c2 - c1);
        out.cycles.readout = static_cast<std::int64_t>(c3 - c2);
    }

    // rd_data = {C[r][2p+1], C[r][2p]} one edge after rd_addr = (base + r) * stride + p (int32 or
    // fp32 bits).
    void read(const sysc::Tile& tile, std::int64_t base, std::vector<std::int32_t>& tile_c) {
        tile_c.assign(static_cast<std::size_t>(tile.m * tile.n), 0);
        const std::int64_t stride = read_row_stride();
        for (std::int64_t r = 0; r < tile.m; ++r)
            for (std::int64_t p = 0; 2 * p < tile.n; ++p) {
                m_rd_en.write(true);
                m_rd_addr.write(static_cast<std::uint32_t>((base + r) * stride + p));
                falling_edge();
                const std::uint64_t word = m_rd_data.read();
                tile_c[static_cast<std::size_t>(r * tile.n + 2 * p)] = static_cast<std::int32_t>(word & 0xffffffffu);
                if (2 * p + 1 < tile.n)
                    tile_c[static_cast<std::size_t>(r * tile.n + 2 * p + 1)] = static_cast<std::int32_t>(word >> 32);
            }
        m_rd_en.write(false);
    }

    std::deque<std::pair<const sysc::GemmJob*, sysc::GemmRun*>> m_queue;
    sc_core::sc_event m_kick;
    std::string m_failure;
};

// A dataflow's driver (Base: load, compute, its own signals and bind_extra for its own ports) on
// one verilated model; `args` go to Base after the name and array.
template <class Base, class VModel>
class ModelDriver : public Base {
public:
    template <class... Args>
    ModelDriver(const sc_core::sc_module_name& name, const sysc::SystolicConfig& array, Args... args)
        : Base(name, array, args...), m_dut("dut") {
        this->bind_common(m_dut);
        this->bind_extra(m_dut);
    }

private:
    VModel m_dut;
};

// One verilated model: its array (shape, precision, buffer depth, dataflow) and its driver's maker.
struct Variant {
    std::string name;
    sysc::SystolicConfig array;
    std::unique_ptr<DriverBase> (*make)(const std::string& name, const sysc::SystolicConfig& array);
    // A double-buffered array holds a whole GEMM: at most max_passes passes (operand slots) and
    // max_result_rows rows of results (0: no limit, the single-buffered arrays).
    std::int64_t max_passes = 0, max_result_rows = 0;
};

template <class Driver>
std::unique_ptr<DriverBase> make_driver(const std::string& name, const sysc::SystolicConfig& array) {
    return std::make_unique<Driver>(name.c_str(), array);
}

inline std::vector<sysc::SystolicConfig> arrays_of(std::span<const Variant> variants) {
    std::vector<sysc::SystolicConfig> arrays;
    for (const auto& v : variants) arrays.push_back(v.array);
    return arrays;
}

// What a bench's errors name: the arrays' kind ("" or "weight-stationary ") and the CMake lists of
// their shapes, int8 and bf16, single- and double-buffered ("" where the bench has none).
struct BenchNames {
    std::string kind, int8_shapes, bf16_shapes, db_int8_shapes, db_bf16_shapes;
};

// The job on the built array of its shape, precision and buffering (that array's buffer depth and
// dataflow). Throws std::invalid_argument for a bad or timing-only job, a double-buffered job on a
// bench without double-buffered arrays, one larger than a double-buffered array holds, or when no
// such array was built: "array: no verilated [bf16 ][double-buffered ]<kind>systolic array of RxC;
// built: ... (CMake ...)".
inline sysc::GemmJob fit_job(const sysc::GemmJob& job, std::span<const Variant> variants, const BenchNames& names) {
    sysc::validate(job);
    if (job.timing_only) throw std::invalid_argument("timing_only: the RTL always simulates its data");
    const bool db = job.array.double_buffered;
    bool any_db = false;
    for (const auto& v : variants) any_db = any_db || v.array.double_buffered;
    if (db && !any_db)
        throw std::invalid_argument("array.double_buffered: the " + names.kind +
                                    "RTL arrays are single-buffered (one pass after another); the double-buffered "
                                    "RTL array is weight-stationary");
    std::string shapes;
    for (const auto& v : variants) {
        const sysc::SystolicConfig& a = v.array;
        if (a.precision != job.array.precision || a.double_buffered != db) continue;
        if (a.rows == job.array.rows && a.cols == job.array.cols) {
            sysc::GemmJob fitted = job;
            fitted.array = a;
            sysc::validate(fitted);
            const std::int64_t passes = static_cast<std::int64_t>(sysc::plan_tiles(a, job.shape).size());
            const std::int64_t rows = ceil_div(job.shape.n, a.cols) * job.shape.m;
            const bool wide = std::max({job.shape.m, job.shape.n, job.shape.k}) >= 65536;  // 16-bit length ports
            if ((v.max_passes > 0 && (passes > v.max_passes || wide)) ||
                (v.max_result_rows > 0 && rows > v.max_result_rows))
                throw std::invalid_argument(
                    "shape: the double-buffered " + v.name + " array holds " + std::to_string(v.max_passes) +
                    " passes and " + std::to_string(v.max_result_rows) + " result rows; " + std::to_string(job.shape.m) +
                    "x" + std::to_string(job.shape.n) + "x" + std::to_string(job.shape.k) + " needs " +
                    std::to_string(passes) + " and " + std::to_string(rows));
            return fitted;
        }
        shapes += (shapes.empty() ? "" : ", ") + std::to_string(a.rows) + "x" + std::to_string(a.cols);
    }
    const bool bf16 = job.array.precision == spec::Precision::kBf16;
    throw std::invalid_argument("array: no verilated " + std::string(bf16 ? "bf16 " : "") +
                                (db ? "double-buffered " : "") + names.kind +
                                "systolic array of " + std::to_string(job.array.rows) + "x" +
                                std::to_string(job.array.cols) + "; built: " + shapes + " (CMake " +
                                (db ? (bf16 ? names.db_bf16_shapes : names.db_int8_shapes)
                                    : (bf16 ? names.bf16_shapes : names.int8_shapes)) +
                                ")");
}

// A driver per verilated model, built once and never destroyed: SystemC modules live as long as
// the simulation, i.e. the process.
class Bench : public sc_core::sc_module {
public:
    Bench(const sc_core::sc_module_name& name, std::span<const Variant> variants) : sc_core::sc_module(name) {
        for (const auto& v : variants) m_drivers.push_back(v.make(v.name, v.array));
    }

    // Runs fitted jobs in order; the caller holds the session's lock. Throws std::runtime_error if
    // a pass did not finish in time.
    std::vector<sysc::GemmRun> run(sysc::SimSession& session, std::span<const sysc::GemmJob> jobs) {
        std::vector<sysc::GemmRun> runs(jobs.size());
        for (std::size_t i = 0; i < jobs.size(); ++i) find(jobs[i].array)->submit(jobs[i], runs[i]);
        session.run();
        for (const auto& d : m_drivers) {
            if (!d->failure().empty()) throw std::runtime_error(d->failure());
            if (!d->idle()) throw std::logic_error(std::string(d->name()) + ": simulation stopped with jobs queued");
        }
        return runs;
    }

private:
    DriverBase* find(const sysc::SystolicConfig& array) const {
        for (const auto& d : m_drivers)
            if (d->array() == array) return d.get();
        throw std::logic_error("systolic RTL bench: a job was not fitted to a built array");
    }

    std::vector<std::unique_ptr<DriverBase>> m_drivers;
};

// Builds the bench of `variants` into the session as `name` unless it is there (the caller holds
// the session's lock). Throws std::logic_error if the simulation has started without it.
inline void require_bench(const char* name, Bench*& bench, std::vector<Variant> (*variants)()) {
    sysc::SimSession::instance().require(name, [&] { bench = new Bench(name, variants()); });
}

// The body of run_gemm_rtl*: fits every job to the verilated arrays (in their dataflow) before
// anything runs, then under the session's lock calls `prepare` (which builds the benches and sets
// `bench`) and runs the jobs on `bench`, in order.
template <class Prepare>
std::vector<sysc::GemmRun> run_jobs(std::span<const sysc::GemmJob> jobs, std::span<const Variant> variants,
                                    const BenchNames& names, Bench*& bench, Prepare prepare) {
    std::vector<sysc::GemmJob> fitted;
    fitted.reserve(jobs.size());
    for (const sysc::GemmJob& job : jobs) {
        sysc::GemmJob j = job;
        if (!variants.empty()) j.array.dataflow = variants.front().array.dataflow;
        fitted.push_back(fit_job(j, variants, names));
    }
    auto& session = sysc::SimSession::instance();
    auto lock = session.lock();
    prepare();
    return bench->run(session, fitted);
}

}  // namespace chipdse::rtl::detail
