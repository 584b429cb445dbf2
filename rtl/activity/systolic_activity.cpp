// Toggle counting on the verilated int8 systolic array (plain C++ model, no SystemC): the harness
// drives the array's ports directly and reads each PE's registers through VPI after every rising
// edge of the compute phase. The only file that includes the verilated headers of this model.
#include "rtl/activity/systolic_activity.h"

#include <bit>
#include <cmath>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <verilated.h>
#include <verilated_vpi.h>

#include "Vsystolic_activity_array.h"

namespace chipdse::rtl {
namespace {

constexpr int kRows = CHIPDSE_ACTIVITY_ROWS;
constexpr int kCols = CHIPDSE_ACTIVITY_COLS;
constexpr int kKmax = CHIPDSE_ACTIVITY_KMAX;
constexpr int kWordsPerLane = kKmax / 8;
constexpr std::int8_t kConstantValue = 0x5A;

// One PE register or wire seen through VPI, with its value after the previous sample.
struct Probe {
    vpiHandle handle = nullptr;
    std::uint32_t last = 0;

    std::uint32_t read() const {
        s_vpi_value v;
        v.format = vpiIntVal;
        vpi_get_value(handle, &v);
        return static_cast<std::uint32_t>(v.value.integer);
    }
    // Bits that changed since the last call.
    int toggles() {
        const std::uint32_t now = read();
        const int t = std::popcount(now ^ last);
        last = now;
        return t;
    }
};

// Verilator names generate-block scopes g_row[0] or g_row__BRA__0__KET__ depending on its version.
vpiHandle find_signal(int i, int j, const std::vector<std::string>& names) {
    const std::string is = std::to_string(i), js = std::to_string(j);
    const std::string scopes[] = {
        "TOP.systolic_array.g_row[" + is + "].g_col[" + js + "].u_pe.",
        "TOP.systolic_array.g_row__BRA__" + is + "__KET__.g_col__BRA__" + js + "__KET__.u_pe.",
    };
    for (const auto& scope : scopes)
        for (const auto& name : names) {
            std::string full = scope + name;
            if (vpiHandle h = vpi_handle_by_name(full.data(), nullptr)) return h;
        }
    return nullptr;
}

class Harness {
public:
    Harness() : m_ctx(std::make_unique<VerilatedContext>()) {
        m_top = std::make_unique<Vsystolic_activity_array>(m_ctx.get());
        m_top->clk = 0;
        m_top->rst_n = 0;
        m_top->ld_en = 0;
        m_top->start = 0;
        m_top->rd_en = 0;
        m_top->eval();
        tick();
        tick();
        m_top->rst_n = 1;
        tick();
        for (int i = 0; i < kRows; ++i)
            for (int j = 0; j < kCols; ++j) {
                PeProbes p;
                p.a.handle = find_signal(i, j, {"a_out"});
                p.b.handle = find_signal(i, j, {"b_out"});
                p.acc.handle = find_signal(i, j, {"acc_out"});
                p.prod.handle = find_signal(i, j, {"prod", "g_int8.prod"});
                if (!p.a.handle || !p.b.handle || !p.acc.handle)
                    throw std::logic_error("systolic activity: PE(" + std::to_string(i) + ", " + std::to_string(j) +
                                           ") registers not visible through VPI (verilate with --vpi --public-flat-rw)");
                m_pes.push_back(p);
            }
        m_product_observed = m_pes.front().prod.handle != nullptr;
    }
    ~Harness() { m_top->final(); }

    bool product_observed() const { return m_product_observed; }

    // One tile: A rows [r0, r0+R) and B columns [c0, c0+C) of the job's matrices; adds its
    // toggles and cycles to out and writes the tile of C.
    void run_tile(const std::vector<std::int8_t>& a, const std::vector<std::int8_t>& b, std::int64_t n,
                  std::int64_t k, std::int64_t r0, std::int64_t c0, std::vector<std::int32_t>& c, ActivityResult& out) {
        const std::int64_t words = (k + 7) / 8;
        auto load = [&](int lane, auto element) {
            for (std::int64_t w = 0; w < words; ++w) {
                std::uint64_t word = 0;
                for (int e = 0; e < 8 && 8 * w + e < k; ++e)
                    word |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(element(8 * w + e))) << (8 * e);
                m_top->ld_en = 1;
                m_top->ld_addr = static_cast<std::uint32_t>(lane * kWordsPerLane + w);
                m_top->ld_data = word;
                tick();
            }
        };
        for (int i = 0; i < kRows; ++i) load(i, [&](std::int64_t kk) { return a[(r0 + i) * k + kk]; });
        for (int j = 0; j < kCols; ++j) load(kRows + j, [&](std::int64_t kk) { return b[kk * n + c0 + j]; });
        m_top->ld_en = 0;

        for (auto& p : m_pes) sample(p, nullptr);  // the state before the start edge
        m_top->start = 1;
        m_top->k_len = static_cast<std::uint32_t>(k);
        std::int64_t cycles = 0;
        do {
            tick();
            m_top->start = 0;
            ++cycles;
            for (auto& p : m_pes) sample(p, &out);
            if (cycles > 4 * (kKmax + kRows + kCols)) throw std::logic_error("systolic activity: tile never finished");
        } while (!m_top->done);
        out.compute_cycles += cycles;

        for (int r = 0; r < kRows; ++r)
            for (int p = 0; p < (kCols + 1) / 2; ++p) {
                m_top->rd_en = 1;
                m_top->rd_addr = static_cast<std::uint32_t>(r * ((kCols + 1) / 2) + p);
                tick();
                const std::uint64_t word = m_top->rd_data;
                c[(r0 + r) * n + c0 + 2 * p] = static_cast<std::int32_t>(static_cast<std::uint32_t>(word));
                if (2 * p + 1 < kCols)
                    c[(r0 + r) * n + c0 + 2 * p + 1] = static_cast<std::int32_t>(static_cast<std::uint32_t>(word >> 32));
            }
        m_top->rd_en = 0;
    }

private:
    struct PeProbes {
        Probe a, b, acc, prod;
    };

    void tick() {
        m_top->clk = 0;
        m_top->eval();
        m_top->clk = 1;
        m_top->eval();
    }

    void sample(PeProbes& p, ActivityResult* out) {
        const int ops = p.a.toggles() + p.b.toggles();
        const int acc = p.acc.toggles();
        const int prod = m_product_observed ? p.prod.toggles() : 0;
        if (out) {
            out->operand_toggles += static_cast<std::uint64_t>(ops);
            out->accumulator_toggles += static_cast<std::uint64_t>(acc);
            out->product_toggles += static_cast<std::uint64_t>(prod);
        }
    }

    std::unique_ptr<VerilatedContext> m_ctx;
    std::unique_ptr<Vsystolic_activity_array> m_top;
    std::vector<PeProbes> m_pes;
    bool m_product_observed = false;
};

}  // namespace

OperandData OperandData::parse(const std::string& name) {
    OperandData d;
    if (name == "random") return d;
    if (name == "sparse50" || name == "sparse90") {
        d.kind = Kind::kSparse;
        d.zero_fraction = name == "sparse50" ? 0.5 : 0.9;
        return d;
    }
    if (name == "constant") {
        d.kind = Kind::kConstant;
        d.value = kConstantValue;
        return d;
    }
    throw std::invalid_argument("operand data '" + name + "': expected random, sparse50, sparse90 or constant");
}

std::string OperandData::name() const {
    switch (kind) {
        case Kind::kRandom: return "random";
        case Kind::kSparse: return "sparse" + std::to_string(static_cast<int>(std::lround(zero_fraction * 100)));
        case Kind::kConstant: return "constant";
    }
    return "?";
}

double OperandData::bit_one_probability() const {
    switch (kind) {
        case Kind::kRandom: return 0.5;
        // 128 of the 255 non-zero int8 values have any given bit set.
        case Kind::kSparse: return (1.0 - zero_fraction) * 128.0 / 255.0;
        case Kind::kConstant: return 0;
    }
    return 0;
}

int activity_rows() { return kRows; }
int activity_cols() { return kCols; }
int activity_kmax() { return kKmax; }

ActivityResult measure_activity(const ActivityJob& job) {
    if (job.m <= 0 || job.m % kRows != 0)
        throw std::invalid_argument("m: must be a positive multiple of the array's " + std::to_string(kRows) +
                                    " rows; got " + std::to_string(job.m));
    if (job.n <= 0 || job.n % kCols != 0)
        throw std::invalid_argument("n: must be a positive multiple of the array's " + std::to_string(kCols) +
                                    " columns; got " + std::to_string(job.n));
    if (job.k < 1 || job.k > kKmax)
        throw std::invalid_argument("k: must be in 1.." + std::to_string(kKmax) + "; got " + std::to_string(job.k));

    std::mt19937_64 rng(job.seed);
    std::uniform_int_distribution<int> any(-128, 127), nonzero(-128, 126);
    std::bernoulli_distribution zero(job.data.zero_fraction);
    auto draw = [&]() -> std::int8_t {
        switch (job.data.kind) {
            case OperandData::Kind::kRandom: return static_cast<std::int8_t>(any(rng));
            case OperandData::Kind::kSparse: {
                if (zero(rng)) return 0;
                const int v = nonzero(rng);
                return static_cast<std::int8_t>(v >= 0 ? v + 1 : v);  // -128..-1, 1..127
            }
            case OperandData::Kind::kConstant: return job.data.value;
        }
        return 0;
    };
    std::vector<std::int8_t> a(static_cast<size_t>(job.m * job.k)), b(static_cast<size_t>(job.k * job.n));
    for (auto& x : a) x = draw();
    for (auto& x : b) x = draw();

    ActivityResult out;
    out.macs = job.m * job.n * job.k;
    std::vector<std::int32_t> c(static_cast<size_t>(job.m * job.n), 0);
    Harness h;
    out.product_observed = h.product_observed();
    for (std::int64_t r0 = 0; r0 < job.m; r0 += kRows)
        for (std::int64_t c0 = 0; c0 < job.n; c0 += kCols) {
            h.run_tile(a, b, job.n, job.k, r0, c0, c, out);
            ++out.tiles;
        }

    out.verified = true;
    for (std::int64_t i = 0; i < job.m && out.verified; ++i)
        for (std::int64_t j = 0; j < job.n; ++j) {
            std::uint32_t ref = 0;  // int32 accumulation wraps mod 2^32
            for (std::int64_t kk = 0; kk < job.k; ++kk)
                ref += static_cast<std::uint32_t>(static_cast<std::int32_t>(a[i * job.k + kk]) * b[kk * job.n + j]);
            if (static_cast<std::uint32_t>(c[i * job.n + j]) != ref) {
                out.verified = false;
                break;
            }
        }
    return out;
}

}  // namespace chipdse::rtl
