// Toggle counting on the verilated systolic array (plain C++ model, no SystemC): the harness
// drives the array's ports directly and reads each PE's registers through VPI after every rising
// edge of the compute phase. The only file that includes the verilated headers of this model.
#include "rtl/activity/systolic_activity.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <verilated.h>
#include <verilated_vpi.h>

#include "Vsystolic_activity_array.h"
#if CHIPDSE_ACTIVITY_BF16
#include "Vsystolic_activity_array_bf16.h"
#endif

namespace chipdse::rtl {
namespace {

constexpr int kRows = CHIPDSE_ACTIVITY_ROWS;
constexpr int kCols = CHIPDSE_ACTIVITY_COLS;
constexpr int kKmax = CHIPDSE_ACTIVITY_KMAX;

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

// Drives one verilated array whose operands are kBits wide (8: int8, 16: bf16) and whose PE
// product is visible under one of `product_names`.
template <class Model, int kBits>
class Harness {
public:
    static constexpr int kPerWord = 64 / kBits;  // operands per load word
    static constexpr int kWordsPerLane = kKmax / kPerWord;

    explicit Harness(const std::vector<std::string>& product_names) : m_ctx(std::make_unique<VerilatedContext>()) {
        m_top = std::make_unique<Model>(m_ctx.get());
        m_top->clk = 0;
        m_top->rst_n = 0;
        m_top->ld_en = 0;
        m_top->start = 0;
        m_top->rd_en = 0;
        m_top->accumulate = 0;  // every tile starts from cleared accumulators and drains
        m_top->keep = 0;
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
                p.prod.handle = find_signal(i, j, product_names);
                if (!p.a.handle || !p.b.handle || !p.acc.handle)
                    throw std::logic_error("systolic activity: PE(" + std::to_string(i) + ", " + std::to_string(j) +
                                           ") registers not visible through VPI (verilate with --vpi --public-flat-rw)");
                m_pes.push_back(p);
            }
        m_product_observed = m_pes.front().prod.handle != nullptr;
    }
    ~Harness() { m_top->final(); }

    bool product_observed() const { return m_product_observed; }

    // One tile: A rows [r0, r0+R) and B columns [c0, c0+C) of the job's matrices (operand bit
    // patterns); adds its toggles and cycles to out and writes the tile of C (32-bit patterns).
    void run_tile(const std::vector<std::uint16_t>& a, const std::vector<std::uint16_t>& b, std::int64_t n,
                  std::int64_t k, std::int64_t r0, std::int64_t c0, std::vector<std::uint32_t>& c, ActivityResult& out) {
        const std::int64_t words = (k + kPerWord - 1) / kPerWord;
        auto load = [&](int lane, auto element) {
            for (std::int64_t w = 0; w < words; ++w) {
                std::uint64_t word = 0;
                for (int e = 0; e < kPerWord && kPerWord * w + e < k; ++e)
                    word |= static_cast<std::uint64_t>(element(kPerWord * w + e)) << (kBits * e);
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
                c[(r0 + r) * n + c0 + 2 * p] = static_cast<std::uint32_t>(word);
                if (2 * p + 1 < kCols) c[(r0 + r) * n + c0 + 2 * p + 1] = static_cast<std::uint32_t>(word >> 32);
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
    std::unique_ptr<Model> m_top;
    std::vector<PeProbes> m_pes;
    bool m_product_observed = false;
};

// Round-to-nearest-even bf16 of a float (finite inputs only).
std::uint16_t to_bf16(float x) {
    std::uint32_t u;
    std::memcpy(&u, &x, sizeof u);
    u += 0x7fffu + ((u >> 16) & 1u);
    return static_cast<std::uint16_t>(u >> 16);
}

double bf16_value(std::uint16_t x) {
    const std::uint32_t u = static_cast<std::uint32_t>(x) << 16;
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

double fp32_value(std::uint32_t u) {
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

// The job's operands as bit patterns (int8 in the low byte).
void draw_operands(const ActivityJob& job, std::vector<std::uint16_t>& a, std::vector<std::uint16_t>& b) {
    std::mt19937_64 rng(job.seed);
    std::uniform_int_distribution<int> any(-128, 127), nonzero(-128, 126);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::bernoulli_distribution zero(job.data.zero_fraction);
    const bool bf16 = job.precision == ActivityPrecision::kBf16;
    auto one = [&]() -> std::uint16_t {
        if (bf16) return to_bf16(normal(rng));
        return static_cast<std::uint8_t>(static_cast<std::int8_t>(any(rng)));
    };
    auto draw = [&]() -> std::uint16_t {
        switch (job.data.kind) {
            case OperandData::Kind::kRandom: return one();
            case OperandData::Kind::kSparse: {
                if (zero(rng)) return 0;
                if (bf16) {
                    std::uint16_t x;
                    do x = one();
                    while ((x & 0x7f80u) == 0);  // zero or subnormal: redraw
                    return x;
                }
                const int v = nonzero(rng);
                return static_cast<std::uint8_t>(static_cast<std::int8_t>(v >= 0 ? v + 1 : v));  // -128..-1, 1..127
            }
            case OperandData::Kind::kConstant: return bf16 ? kConstantBf16 : kConstantInt8;
        }
        return 0;
    };
    a.resize(static_cast<size_t>(job.m * job.k));
    b.resize(static_cast<size_t>(job.k * job.n));
    for (auto& x : a) x = draw();
    for (auto& x : b) x = draw();
}

bool check_result(const ActivityJob& job, const std::vector<std::uint16_t>& a, const std::vector<std::uint16_t>& b,
                  const std::vector<std::uint32_t>& c) {
    for (std::int64_t i = 0; i < job.m; ++i)
        for (std::int64_t j = 0; j < job.n; ++j) {
            if (job.precision == ActivityPrecision::kInt8) {
                std::uint32_t ref = 0;  // int32 accumulation wraps mod 2^32
                for (std::int64_t kk = 0; kk < job.k; ++kk)
                    ref += static_cast<std::uint32_t>(static_cast<std::int8_t>(a[i * job.k + kk]) *
                                                      static_cast<std::int8_t>(b[kk * job.n + j]));
                if (c[i * job.n + j] != ref) return false;
            } else {
                // fp32 accumulation, rounded at every add: within K ulps of the magnitudes' sum.
                double ref = 0, mag = 0;
                for (std::int64_t kk = 0; kk < job.k; ++kk) {
                    const double p = bf16_value(a[i * job.k + kk]) * bf16_value(b[kk * job.n + j]);
                    ref += p;
                    mag += std::fabs(p);
                }
                const double tol = static_cast<double>(job.k) * std::ldexp(mag, -23) + 1e-30;
                if (!(std::fabs(fp32_value(c[i * job.n + j]) - ref) <= tol)) return false;
            }
        }
    return true;
}

template <class Model, int kBits>
ActivityResult run(const ActivityJob& job, const std::vector<std::string>& product_names) {
    std::vector<std::uint16_t> a, b;
    draw_operands(job, a, b);
    ActivityResult out;
    out.macs = job.m * job.n * job.k;
    std::vector<std::uint32_t> c(static_cast<size_t>(job.m * job.n), 0);
    Harness<Model, kBits> h(product_names);
    out.product_observed = h.product_observed();
    for (std::int64_t r0 = 0; r0 < job.m; r0 += kRows)
        for (std::int64_t c0 = 0; c0 < job.n; c0 += kCols) {
            h.run_tile(a, b, job.n, job.k, r0, c0, c, out);
            ++out.tiles;
        }
    out.verified = check_result(job, a, b, c);
    return out;
}

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
bool activity_has_bf16() { return CHIPDSE_ACTIVITY_BF16 != 0; }

ActivityResult measure_activity(const ActivityJob& job) {
    if (job.m <= 0 || job.m % kRows != 0)
        throw std::invalid_argument("m: must be a positive multiple of the array's " + std::to_string(kRows) +
                                    " rows; got " + std::to_string(job.m));
    if (job.n <= 0 || job.n % kCols != 0)
        throw std::invalid_argument("n: must be a positive multiple of the array's " + std::to_string(kCols) +
                                    " columns; got " + std::to_string(job.n));
    if (job.k < 1 || job.k > kKmax)
        throw std::invalid_argument("k: must be in 1.." + std::to_string(kKmax) + "; got " + std::to_string(job.k));

    if (job.precision == ActivityPrecision::kInt8) return run<Vsystolic_activity_array, 8>(job, {"prod", "g_int8.prod"});
#if CHIPDSE_ACTIVITY_BF16
    return run<Vsystolic_activity_array_bf16, 16>(job, {"g_bf16.u_mac.p_sig"});
#else
    throw std::invalid_argument("precision bf16: the RTL has no bf16 PE (rtl/systolic/mac_bf16.sv)");
#endif
}

}  // namespace chipdse::rtl
