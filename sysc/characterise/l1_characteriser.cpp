#include "sysc/characterise/l1_characteriser.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>

#include "dse/model/compute_model.h"
#include "sysc/collective/allreduce.h"
#include "sysc/collective/allreduce_analytical.h"
#include "sysc/hbm/hbm_characterise.h"
#include "sysc/systolic/systolic_model.h"

namespace chipdse::sysc {
namespace {

std::string num(double x) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}

std::string bytes_text(double b) {
    char buf[40];
    if (b >= 1024.0 * 1024.0) std::snprintf(buf, sizeof buf, "%.4g MiB", b / (1024.0 * 1024.0));
    else if (b >= 1024.0) std::snprintf(buf, sizeof buf, "%.4g KiB", b / 1024.0);
    else std::snprintf(buf, sizeof buf, "%.0f B", b);
    return buf;
}

std::string seconds_text(double s) {
    char buf[40];
    if (s >= 1e-3) std::snprintf(buf, sizeof buf, "%.4g ms", s * 1e3);
    else std::snprintf(buf, sizeof buf, "%.4g us", s * 1e6);
    return buf;
}

// Every field that changes what a model computes, in full: the cache key (no hash collisions).
std::string hbm_key(const spec::HbmSpec& h) {
    const auto& t = *h.timing;
    std::string k = "hbm stacks=" + num(static_cast<double>(h.stacks)) + " cap=" + num(h.capacity_per_stack.si()) +
                    " bw=" + num(h.bandwidth_per_stack.si()) + " tck=" + num(t.tck.si()) +
                    " rate=" + num(t.data_rate ? t.data_rate->si() : 0.0);
    for (std::int64_t v : {t.channels, t.pseudo_channels, t.stack_ids, t.bank_groups, t.banks_per_group, t.dq_width,
                           t.burst_length, t.read_queue, t.write_queue})
        k += " " + num(static_cast<double>(v));
    k += " row=" + num(t.row_size.si()) + " map=" + t.address_mapping + " wm=" + num(t.write_high_watermark) + "/" +
         num(t.write_low_watermark) + " ref=" + num(static_cast<double>(t.refresh));
    for (const auto* s : {&t.cl, &t.cwl, &t.trcd_rd, &t.trcd_wr, &t.trp, &t.tras, &t.trc, &t.twr, &t.trtp, &t.tccd_s,
                          &t.tccd_l, &t.trrd_s, &t.trrd_l, &t.tfaw, &t.twtr_s, &t.twtr_l, &t.trtw, &t.trfc, &t.trefi})
        k += " " + num(s->si());
    return k;
}

std::string link_key(const spec::LinkSpec& l) {
    std::string k = "links count=" + num(static_cast<double>(l.count));
    for (double v : {l.bandwidth.si(), l.latency.si(), static_cast<double>(l.lanes), l.lane_rate.si(),
                     static_cast<double>(l.encoding), l.fec_overhead, l.flit_size.si(), l.flit_overhead.si(),
                     l.max_payload.si(), l.packet_overhead.si(), static_cast<double>(l.buffer_depth), l.bit_error_rate,
                     l.replay_latency.si(), l.switch_latency.si()})
        k += " " + num(v);
    return k;
}

// The simulated network of a scale-up group of `ranks` chips: the system's topology, the group's size.
Topology group_topology(spec::Topology t, std::int64_t ranks) {
    switch (t) {
        case spec::Topology::kRing: return Topology::ring(ranks);
        case spec::Topology::kTorus2d: return Topology::torus(torus_dims(ranks, 2));
        case spec::Topology::kTorus3d: return Topology::torus(torus_dims(ranks, 3));
        default: return Topology::switched(ranks);
    }
}

// A memo of values computed once each: concurrent callers of one key wait for the first.
// Values may also be preloaded (computed by an earlier run): a preloaded key is never computed.
template <class Value>
class Memo {
public:
    template <class Compute>
    Value get(const std::string& key, Compute&& compute) {
        std::shared_ptr<std::promise<Value>> mine;
        std::shared_future<Value> future;
        {
            std::lock_guard lock(m_mutex);
            auto it = m_values.find(key);
            if (it != m_values.end()) {
                future = it->second.future;
                if (it->second.preloaded && !it->second.used) {
                    it->second.used = true;
                    ++m_preloaded_used;
                }
            } else {
                mine = std::make_shared<std::promise<Value>>();
                future = mine->get_future().share();
                m_values.emplace(key, Slot{future});
            }
        }
        if (mine) {
            try {
                mine->set_value(compute());
            } catch (...) {
                mine->set_exception(std::current_exception());
            }
        }
        return future.get();
    }

    // The values asked for so far (computed, or preloaded and used), in key order.
    std::vector<Value> values() const {
        std::vector<Value> out;
        for (const auto& e : ready())
            if (e.asked) out.push_back(e.value);
        return out;
    }

    struct Ready {
        std::string key;
        Value value;
        bool preloaded = false;
        bool asked = true;  // false: preloaded, not asked for yet
    };
    // The values computed or preloaded so far with their keys, in key order.
    std::vector<Ready> ready() const {
        std::lock_guard lock(m_mutex);
        std::vector<Ready> out;
        for (const auto& [key, slot] : m_values)
            if (slot.future.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
                try {
                    out.push_back({key, slot.future.get(), slot.preloaded, !slot.preloaded || slot.used});
                } catch (...) {  // a failed computation is not a value
                }
            }
        return out;
    }

    // Adds a value computed earlier; false when the key is already here (the value there stays).
    bool preload(const std::string& key, Value value) {
        std::promise<Value> p;
        p.set_value(std::move(value));
        std::lock_guard lock(m_mutex);
        Slot slot{p.get_future().share()};
        slot.preloaded = true;
        return m_values.emplace(key, std::move(slot)).second;
    }

    std::int64_t preloaded_used() const {
        std::lock_guard lock(m_mutex);
        return m_preloaded_used;
    }

private:
    struct Slot {
        std::shared_future<Value> future;
        bool preloaded = false, used = false;
    };
    mutable std::mutex m_mutex;
    std::map<std::string, Slot> m_values;
    std::int64_t m_preloaded_used = 0;
};

class L1Characteriser final : public model::Characteriser {
public:
    explicit L1Characteriser(const L1CharacteriserLimits& limits) : m_limits(limits) {}

    std::string fidelity() const override { return "systemc"; }

    std::optional<double> array_utilisation(const spec::MatrixEngineSpec& e, std::int64_t m, std::int64_t n,
                                            std::int64_t k) const override {
        const std::string kernel = "gemm " + std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k);
        const std::string key = "matrix " + std::to_string(e.rows) + "x" + std::to_string(e.cols) + " df=" +
                                std::to_string(static_cast<int>(e.dataflow)) + " db=" +
                                std::to_string(e.double_buffered) + " " + kernel;
        return value_of(m_entries.get(key, [&] { return characterise_gemm(e, m, n, k, kernel); }));
    }

    std::optional<double> hbm_efficiency(const spec::HbmSpec& hbm) const override {
        if (!hbm.timing) {
            model::CharacterisationEntry e;
            e.block = "hbm";
            e.kernel = "copy";
            e.value = e.l0_value = hbm.achievable_fraction;
            e.characterised = false;
            e.note = "chip.hbm has no timing block: L0's achievable_fraction";
            remember_skip("hbm no-timing", e);
            return std::nullopt;
        }
        return value_of(m_entries.get(hbm_key(hbm), [&] { return characterise_hbm(hbm); }));
    }

    std::optional<double> allreduce_time_factor(const spec::LinkSpec& links, const spec::NetworkSpec& network,
                                                std::int64_t ranks, double bytes) const override {
        if (ranks < 2 || bytes <= 0) return std::nullopt;
        const auto s = static_cast<std::int64_t>(std::llround(bytes));
        const Topology topo = group_topology(network.topology, ranks);
        const std::string kernel = "all-reduce " + std::to_string(ranks) + " chips " + topo.name() + " " +
                                   bytes_text(static_cast<double>(s));
        // the kernel text rounds the size: the key carries the exact bytes
        const std::string key = link_key(links) + " " + std::to_string(ranks) + " " + topo.name() + " " + std::to_string(s);
        model::CharacterisationEntry e =
            m_entries.get(key, [&] { return characterise_allreduce(links, topo, s, kernel); });
        if (!e.characterised || e.l0_value <= 0) return std::nullopt;
        return e.value / e.l0_value;
    }

    std::vector<model::CharacterisationEntry> entries() const override {
        std::vector<model::CharacterisationEntry> out = m_entries.values();
        {
            std::lock_guard lock(m_skip_mutex);
            for (const auto& [key, e] : m_skipped) out.push_back(e);
        }
        std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
            return a.block != b.block ? a.block < b.block : a.kernel < b.kernel;
        });
        return out;
    }

    std::int64_t simulations() const override { return m_simulations.load(); }

    // Persistent keys: the memo key behind a prefix naming the model version and the limits
    // (values depend on both), and which memo the entry belongs to.
    std::vector<model::CachedCharacterisation> export_cache() const override {
        std::vector<model::CachedCharacterisation> out;
        for (auto& r : m_entries.ready()) out.push_back({cache_prefix() + "kernel " + r.key, r.value, r.preloaded});
        for (auto& r : m_runs.ready()) {
            model::CharacterisationEntry e;
            e.block = kRunBlock;
            e.kernel = r.key;
            e.value = r.value.sim_s;
            e.l0_value = r.value.l0_s;
            e.unit = "s";
            e.note = r.value.algorithm;
            out.push_back({cache_prefix() + "run " + r.key, e, r.preloaded});
        }
        return out;
    }

    std::size_t preload(const std::vector<model::CachedCharacterisation>& entries) override {
        const std::string prefix = cache_prefix();
        std::size_t taken = 0;
        for (const auto& c : entries) {
            if (c.key.compare(0, prefix.size(), prefix) != 0) continue;  // another version or other limits
            const std::string rest = c.key.substr(prefix.size());
            if (rest.rfind("kernel ", 0) == 0) {
                taken += m_entries.preload(rest.substr(7), c.entry);
            } else if (rest.rfind("run ", 0) == 0 && c.entry.block == kRunBlock) {
                taken += m_runs.preload(rest.substr(4), RunTimes{c.entry.value, c.entry.l0_value, c.entry.note});
            }
        }
        return taken;
    }

    std::int64_t preloaded_used() const override { return m_entries.preloaded_used(); }

private:
    static constexpr const char* kRunBlock = "collective run";  // an all-reduce run kernels derive from

    // Bump the version when a model's timing changes: stored values of the old one are then ignored.
    std::string cache_prefix() const {
        return "l1 v1 limits " + std::to_string(m_limits.max_allreduce_ranks) + " " +
               std::to_string(m_limits.allreduce_traffic_bytes) + " " + std::to_string(m_limits.hbm_requests) + " " +
               std::to_string(m_limits.max_gemm_passes) + ": ";
    }

    static std::optional<double> value_of(const model::CharacterisationEntry& e) {
        if (!e.characterised) return std::nullopt;
        return e.value;
    }

    void remember_skip(const std::string& key, const model::CharacterisationEntry& e) const {
        std::lock_guard lock(m_skip_mutex);
        m_skipped.emplace(key, e);
    }

    // The array's timing core, tile by tile in the order every fidelity runs them (row folds
    // outer, column folds inner): compute cycles of each tile (operands from double-buffered
    // SRAM, so the 64-bit load and read-out ports of the RTL block do not enter the chip's engine);
    // single-buffered or pipelined as the engine's double_buffered says.
    model::CharacterisationEntry characterise_gemm(const spec::MatrixEngineSpec& e, std::int64_t m, std::int64_t n,
                                                   std::int64_t k, const std::string& kernel) const {
        model::CharacterisationEntry out;
        out.block = "matrix";
        out.kernel = std::to_string(e.rows) + "x" + std::to_string(e.cols) + " " + dataflow_name(e.dataflow) + " " + kernel;
        out.l0_value = model::ComputeModel::array_utilisation_l0(e, static_cast<double>(m), static_cast<double>(n),
                                                                  static_cast<double>(k));
        out.value = out.l0_value;
        if (e.rows < 2 || e.cols < 2) {
            out.characterised = false;
            out.note = "not described as an array";
            return out;
        }
        // Unbounded operand buffers: a chip's engine is fed from its SRAM hierarchy, so the stream
        // of a pass is not cut at the RTL block's KMAX. A double-buffered engine runs the pipelined
        // array (fill and drain once per GEMM, a pass no sooner than R after the previous one).
        const SystolicConfig array = systolic_config(e, 0);
        const GemmShape shape{m, n, k};
        std::int64_t cycles = 0;
        const double passes = std::ceil(static_cast<double>(m) / static_cast<double>(array.rows)) *
                              std::ceil(static_cast<double>(n) / static_cast<double>(array.cols)) *
                              std::ceil(static_cast<double>(k) / static_cast<double>(array.rows));
        if (passes <= static_cast<double>(m_limits.max_gemm_passes)) {
            for (const Tile& t : plan_tiles(array, shape)) cycles += tile_cycles(array, shape, t).compute;
            out.note = std::to_string(cycles) + " cycles";
        } else {
            cycles = gemm_cycles(array, shape).compute;  // the same sum in closed form (tests/sysc)
            out.note = std::to_string(cycles) + " cycles (closed form: too many passes to step)";
        }
        if (array.double_buffered) out.note += ", pipelined (double-buffered) array";
        ++m_simulations;
        const double pes = static_cast<double>(array.rows * array.cols);
        out.value = static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k) /
                    (static_cast<double>(cycles) * pes);
        return out;
    }

    // Training's memory-bound ops stream tensors in and out: the copy pattern (sequential reads
    // and writes alternating) with 64-byte requests on one channel of the stack.
    model::CharacterisationEntry characterise_hbm(const spec::HbmSpec& hbm) const {
        model::CharacterisationEntry out;
        out.block = "hbm";
        out.kernel = "copy, 64 B requests";
        out.l0_value = hbm.achievable_fraction;
        try {
            hbm::HbmTraffic t;
            t.pattern = hbm::HbmPattern::kCopy;
            t.request_bytes = 64;
            t.requests = m_limits.hbm_requests;
            out.value = hbm::hbm_bandwidth_efficiency(hbm, t);
            ++m_simulations;
            t.pattern = hbm::HbmPattern::kSequential;
            const double seq = hbm::hbm_bandwidth_efficiency(hbm, t);
            out.note = std::to_string(t.requests) + " requests on one channel; sequential reads alone " + num(seq).substr(0, 6);
        } catch (const std::exception& ex) {
            out.characterised = false;
            out.value = out.l0_value;
            out.note = std::string("not run: ") + ex.what();
        }
        return out;
    }

    // Simulated time of one all-reduce run (ring, or the faster of ring and tree on a switch, as
    // collective libraries choose) and L0's time on the same links.
    struct RunTimes {
        double sim_s = 0, l0_s = 0;
        std::string algorithm;
    };
    RunTimes run_allreduce(const AllReduceJob& base, std::int64_t bytes, const std::string& link_key_text) const {
        return m_runs.get(
            link_key_text + " " + std::to_string(base.topology.chips()) + " chips " + base.topology.name() + " " +
                std::to_string(bytes),
            [&] {
                AllReduceJob job = base;
                job.bytes = bytes;
                RunTimes r;
                job.algorithm = AllReduceAlgorithm::kRing;
                r.sim_s = run_allreduce_model(job).time_s;
                ++m_simulations;
                r.algorithm = "ring";
                r.l0_s = analytical_allreduce(job).model_s;
                if (job.topology.kind == Topology::Kind::kSwitch && job.topology.chips() > 2) {
                    job.algorithm = AllReduceAlgorithm::kTree;
                    const double tree = run_allreduce_model(job).time_s;
                    ++m_simulations;
                    if (tree < r.sim_s) {
                        r.sim_s = tree;
                        r.algorithm = "tree";
                    }
                }
                return r;
            });
    }

    model::CharacterisationEntry characterise_allreduce(const spec::LinkSpec& links, const Topology& topo,
                                                        std::int64_t bytes, const std::string& kernel) const {
        model::CharacterisationEntry out;
        out.block = "collective";
        out.kernel = kernel;
        out.unit = "s";
        const std::string lkey = link_key(links);
        const std::int64_t ranks = topo.chips();
        if (links.count <= 0) {
            out.characterised = false;
            out.note = "chip.links has no links: L0";
            return out;
        }
        if (ranks > m_limits.max_allreduce_ranks) {
            out.characterised = false;
            out.note = "more than " + std::to_string(m_limits.max_allreduce_ranks) + " ranks: L0";
            return out;
        }
        AllReduceJob job;
        try {
            job.topology = topo;
            job.links_per_chip = links.count;
            job.link = LinkParams::from_spec(links);
            job.bytes = bytes;
            job.validate();
        } catch (const std::exception& ex) {
            out.characterised = false;
            out.note = std::string("links cannot drive the L1 model: ") + ex.what();
            return out;
        }
        const std::int64_t cap = std::max<std::int64_t>(64 << 10, m_limits.allreduce_traffic_bytes / ranks);
        try {
            if (bytes <= cap) {
                const RunTimes r = run_allreduce(job, bytes, lkey);
                out.value = r.sim_s;
                out.l0_value = r.l0_s;
                out.note = r.algorithm;
            } else {
                // Beyond the cap the time is linear in the size (pipelined chunks at the links'
                // sustained rate): a line through two runs, cap/2 and cap, extrapolated.
                const std::int64_t s1 = cap / 2, s2 = cap;
                const RunTimes a = run_allreduce(job, s1, lkey), b = run_allreduce(job, s2, lkey);
                const double slope = (b.sim_s - a.sim_s) / static_cast<double>(s2 - s1);
                out.value = b.sim_s + slope * static_cast<double>(bytes - s2);
                AllReduceJob full = job;
                full.bytes = bytes;
                out.l0_value = analytical_allreduce(full).model_s;
                out.note = b.algorithm + ", extrapolated from " + bytes_text(static_cast<double>(s1)) + " (" +
                           seconds_text(a.sim_s) + ") and " + bytes_text(static_cast<double>(s2)) + " (" +
                           seconds_text(b.sim_s) + ")";
            }
        } catch (const std::exception& ex) {
            out.characterised = false;
            out.note = std::string("not run: ") + ex.what();
        }
        return out;
    }

    L1CharacteriserLimits m_limits;
    mutable Memo<model::CharacterisationEntry> m_entries;
    mutable Memo<RunTimes> m_runs;
    mutable std::atomic<std::int64_t> m_simulations{0};
    mutable std::mutex m_skip_mutex;
    mutable std::map<std::string, model::CharacterisationEntry> m_skipped;
};

}  // namespace

std::unique_ptr<model::Characteriser> make_l1_characteriser(const L1CharacteriserLimits& limits) {
    return std::make_unique<L1Characteriser>(limits);
}

void register_l1_characteriser() {
    model::register_characteriser("systemc", [] { return make_l1_characteriser(); });
}

}  // namespace chipdse::sysc
