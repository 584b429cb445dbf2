#include "sysc/collective/allreduce.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace chipdse::sysc {
namespace {

// Size of chunk i when `bytes` are cut into k chunks (the first bytes % k are one byte larger).
std::int64_t chunk_of(std::int64_t bytes, std::int64_t k, std::int64_t i) {
    return bytes / k + (i < bytes % k ? 1 : 0);
}

// ---------------------------------------------------------------- ring
class RingAllReduce final : public AllReduce {
public:
    RingAllReduce(EventQueue& q, const AllReduceJob& job) : AllReduce(q, job) {
        const auto& topo = m_fabric.topology();
        const std::int32_t n = m_fabric.chips();
        if (topo.kind == Topology::Kind::kSwitch) {
            m_pipelines.push_back({{-1}, +1, 0});
        } else {
            std::vector<int> dims;
            for (std::size_t d = 0; d < topo.dims.size(); ++d)
                if (topo.dims[d] > 1) dims.push_back(static_cast<int>(d));
            for (std::size_t r = 0; r < dims.size(); ++r) {
                std::vector<int> order;
                for (std::size_t i = 0; i < dims.size(); ++i) order.push_back(dims[(r + i) % dims.size()]);
                for (int dir : {+1, -1}) m_pipelines.push_back({order, dir, 0});
            }
        }
        const auto p = static_cast<std::int64_t>(m_pipelines.size());
        for (std::int64_t i = 0; i < p; ++i) m_pipelines[static_cast<std::size_t>(i)].bytes = chunk_of(job.bytes, p, i);
        m_phases = 2 * static_cast<std::int32_t>(m_pipelines.front().order.size());
        m_state.assign(static_cast<std::size_t>(n) * m_pipelines.size(), State{});
        m_recv.assign(static_cast<std::size_t>(n) * m_pipelines.size() * static_cast<std::size_t>(m_phases), 0);
        m_pipelines_done.assign(static_cast<std::size_t>(n), 0);
        for (std::int32_t c = 0; c < n; ++c)
            for (std::size_t pi = 0; pi < m_pipelines.size(); ++pi) {
                State& s = state(c, pi);
                s.data.assign(static_cast<std::size_t>(m_phases / 2), 0);
                s.data[0] = m_pipelines[pi].bytes;
            }
    }

    void start() override {
        for (std::int32_t c = 0; c < m_fabric.chips(); ++c)
            for (std::size_t p = 0; p < m_pipelines.size(); ++p) progress(c, p);
    }

    void delivered(Message& m) override {
        const std::size_t p = m.tag / static_cast<std::uint64_t>(m_phases);
        const auto f = static_cast<std::int32_t>(m.tag % static_cast<std::uint64_t>(m_phases));
        ++recv(m.dst, p, f);
        progress(m.dst, p);
    }

private:
    struct Pipeline {
        std::vector<int> order;  // dimensions reduced in turn; {-1}: the switch's one ring
        int dir;
        std::int64_t bytes;
    };
    struct State {
        std::int32_t phase = 0;
        std::int64_t sent = 0;
        std::vector<std::int64_t> data;  // buffer at the start of each reduce-scatter phase
    };
    // Where chip c sits in the ring of phase f: ring size, position along the direction, successor, port.
    struct Ring {
        std::int64_t k, pos;
        std::int32_t next, port;
    };

    State& state(std::int32_t c, std::size_t p) { return m_state[static_cast<std::size_t>(c) * m_pipelines.size() + p]; }
    std::int64_t& recv(std::int32_t c, std::size_t p, std::int32_t f) {
        return m_recv[(static_cast<std::size_t>(c) * m_pipelines.size() + p) * static_cast<std::size_t>(m_phases) +
                      static_cast<std::size_t>(f)];
    }

    Ring ring(std::int32_t c, const Pipeline& pl, std::int32_t f) const {
        const auto half = static_cast<std::int32_t>(pl.order.size());
        const int dim = pl.order[static_cast<std::size_t>(f < half ? f : 2 * half - 1 - f)];
        if (dim < 0) {
            const std::int32_t n = m_fabric.chips();
            return {n, c, (c + 1) % n, 0};
        }
        const auto d = static_cast<std::size_t>(dim);
        const std::int64_t k = m_fabric.topology().dims[d];
        const std::int64_t x = m_fabric.coord(c, d);
        return {k, pl.dir > 0 ? x : (k - x) % k, m_fabric.neighbour(c, d, pl.dir), Fabric::torus_port(d, pl.dir)};
    }

    void progress(std::int32_t c, std::size_t p) {
        const Pipeline& pl = m_pipelines[p];
        State& s = state(c, p);
        const std::int32_t half = m_phases / 2;
        while (s.phase < m_phases) {
            const std::int32_t f = s.phase;
            const Ring r = ring(c, pl, f);
            const bool reduce_scatter = f < half;
            const std::int64_t data = s.data[static_cast<std::size_t>(reduce_scatter ? f : m_phases - 1 - f)];
            const std::int64_t have = recv(c, p, f);
            while (s.sent < r.k - 1 && (s.sent == 0 || have >= s.sent)) {
                // reduce-scatter step t sends chunk pos - t; all-gather step t sends chunk pos + 1 - t
                const std::int64_t idx = ((r.pos - s.sent + (reduce_scatter ? 0 : 1)) % r.k + r.k) % r.k;
                m_fabric.send(c, r.next, chunk_of(data, r.k, idx), p, this,
                              static_cast<std::uint64_t>(p) * static_cast<std::uint64_t>(m_phases) +
                                  static_cast<std::uint64_t>(f),
                              r.port);
                ++s.sent;
            }
            if (have < r.k - 1) return;
            // phase complete: after a reduce-scatter this chip owns chunk pos + 1 of the buffer
            if (reduce_scatter && f + 1 < half)
                s.data[static_cast<std::size_t>(f + 1)] = chunk_of(data, r.k, (r.pos + 1) % r.k);
            ++s.phase;
            s.sent = 0;
        }
        if (s.phase == m_phases) {
            ++s.phase;  // counted once
            if (++m_pipelines_done[static_cast<std::size_t>(c)] == static_cast<std::int32_t>(m_pipelines.size()))
                chip_done();
        }
    }

    std::vector<Pipeline> m_pipelines;
    std::int32_t m_phases = 2;
    std::vector<State> m_state;
    std::vector<std::int64_t> m_recv;
    std::vector<std::int32_t> m_pipelines_done;
};

// ---------------------------------------------------------------- double binary tree
class TreeAllReduce final : public AllReduce {
public:
    TreeAllReduce(EventQueue& q, const AllReduceJob& job) : AllReduce(q, job) {
        const std::int32_t n = m_fabric.chips();
        const std::int64_t halves[2] = {job.bytes - job.bytes / 2, job.bytes / 2};
        const std::int64_t per_port_packet = job.link.max_payload_bytes * m_fabric.links_per_port();
        std::int64_t chunk = job.chunk_bytes;
        if (chunk <= 0) {
            chunk = std::max(per_port_packet, (halves[0] + 63) / 64);
            chunk = (chunk + job.link.max_payload_bytes - 1) / job.link.max_payload_bytes * job.link.max_payload_bytes;
        }
        m_chunk = chunk;
        for (int t = 0; t < 2; ++t) {
            Tree& tr = m_trees[t];
            tr.bytes = halves[t];
            tr.chunks = tr.bytes == 0 ? 0 : (tr.bytes + chunk - 1) / chunk;
            if (tr.chunks > 0) ++m_active_trees;
            build(tr, t, n);
            tr.up.assign(static_cast<std::size_t>(n * tr.chunks), 0);
            tr.done.assign(static_cast<std::size_t>(n), 0);
        }
        m_trees_done.assign(static_cast<std::size_t>(n), 0);
    }

    void start() override {
        for (int t = 0; t < 2; ++t) {
            const Tree& tr = m_trees[t];
            for (std::int32_t c = 0; c < m_fabric.chips(); ++c)
                if (tr.children[static_cast<std::size_t>(c)].empty())
                    for (std::int64_t i = 0; i < tr.chunks; ++i) reduced(t, c, i);
        }
    }

    void delivered(Message& m) override {
        const int t = static_cast<int>(m.tag >> 62);
        const bool down = (m.tag >> 61) & 1;
        const auto i = static_cast<std::int64_t>(m.tag & ((std::uint64_t{1} << 61) - 1));
        Tree& tr = m_trees[t];
        const std::int32_t c = m.dst;
        if (down) {
            broadcast(t, c, i);
            return;
        }
        auto& got = tr.up[static_cast<std::size_t>(c * tr.chunks + i)];
        if (++got == static_cast<std::int32_t>(tr.children[static_cast<std::size_t>(c)].size())) reduced(t, c, i);
    }

private:
    struct Tree {
        std::int64_t bytes = 0, chunks = 0;
        std::vector<std::int32_t> parent;
        std::vector<std::vector<std::int32_t>> children;
        std::vector<std::int32_t> up;    // [chip][chunk]: children whose chunk is in
        std::vector<std::int64_t> done;  // [chip]: chunks with the final value
    };

    // In-order binary tree on positions 1..n (position v's lowest set bit b: children v - b/2 and
    // the first of v + b/2, v + b/4, ... that exists; root the largest power of two <= n). Tree 0
    // puts rank r at position r + 1, tree 1 at position (r + 1) mod n + 1.
    static void build(Tree& tr, int t, std::int32_t n) {
        tr.parent.assign(static_cast<std::size_t>(n), -1);
        tr.children.assign(static_cast<std::size_t>(n), {});
        auto rank = [&](std::int64_t v) { return static_cast<std::int32_t>(t == 0 ? v - 1 : (v - 2 + n) % n); };
        std::int64_t root = 1;
        while (root * 2 <= n) root *= 2;
        std::vector<std::int64_t> todo{root};
        std::int64_t visited = 0;
        while (!todo.empty()) {
            const std::int64_t v = todo.back();
            todo.pop_back();
            ++visited;
            const std::int64_t b = v & -v;
            std::vector<std::int64_t> kids;
            if (b > 1) {
                kids.push_back(v - b / 2);
                for (std::int64_t h = b / 2; h >= 1; h /= 2)
                    if (v + h <= n) {
                        kids.push_back(v + h);
                        break;
                    }
            }
            for (auto u : kids) {
                tr.parent[static_cast<std::size_t>(rank(u))] = rank(v);
                tr.children[static_cast<std::size_t>(rank(v))].push_back(rank(u));
                todo.push_back(u);
            }
        }
        if (visited != n) throw std::logic_error("tree all-reduce: the binary tree misses ranks");
    }

    std::uint64_t tag(int t, bool down, std::int64_t i) const {
        return (static_cast<std::uint64_t>(t) << 62) | (static_cast<std::uint64_t>(down) << 61) |
               static_cast<std::uint64_t>(i);
    }
    std::int64_t chunk_bytes(const Tree& tr, std::int64_t i) const { return std::min(m_chunk, tr.bytes - i * m_chunk); }

    // Chunk i of tree t is reduced over c's subtree: pass it up, or at the root turn it around.
    void reduced(int t, std::int32_t c, std::int64_t i) {
        const Tree& tr = m_trees[t];
        const std::int32_t up = tr.parent[static_cast<std::size_t>(c)];
        if (up >= 0) {
            m_fabric.send(c, up, chunk_bytes(tr, i), static_cast<std::uint64_t>(2 * t), this, tag(t, false, i));
            return;
        }
        broadcast(t, c, i);
    }

    // Chunk i of tree t has its final value at c: pass it down.
    void broadcast(int t, std::int32_t c, std::int64_t i) {
        Tree& tr = m_trees[t];
        for (std::int32_t child : tr.children[static_cast<std::size_t>(c)])
            m_fabric.send(c, child, chunk_bytes(tr, i), static_cast<std::uint64_t>(2 * t + 1), this, tag(t, true, i));
        if (++tr.done[static_cast<std::size_t>(c)] == tr.chunks)
            if (++m_trees_done[static_cast<std::size_t>(c)] == m_active_trees) chip_done();
    }

    Tree m_trees[2];
    std::int32_t m_active_trees = 0;
    std::vector<std::int32_t> m_trees_done;
};

}  // namespace

const char* algorithm_name(AllReduceAlgorithm a) { return a == AllReduceAlgorithm::kTree ? "tree" : "ring"; }

void AllReduceJob::validate() const {
    link.validate();
    const std::int64_t n = topology.chips();
    if (n < 2) throw std::invalid_argument("an all-reduce needs at least 2 chips; got " + std::to_string(n));
    if (n > 65536) throw std::invalid_argument("at most 65536 chips; got " + std::to_string(n));
    if (topology.kind == Topology::Kind::kTorus && topology.dims.size() > 3)
        throw std::invalid_argument("tori of 1 to 3 dimensions are modelled; got " + topology.name());
    Fabric::port_links(topology, links_per_chip);
    if (bytes < 1) throw std::invalid_argument("bytes must be at least 1; got " + std::to_string(bytes));
    if (chunk_bytes < 0) throw std::invalid_argument("chunk bytes must not be negative");
}

AllReduce::AllReduce(EventQueue& queue, const AllReduceJob& job)
    : m_queue(queue), m_job(job), m_fabric(queue, job.topology, job.link, job.links_per_chip, job.seed),
      m_start(queue.now()), m_finish(queue.now()) {}

std::unique_ptr<AllReduce> AllReduce::make(EventQueue& queue, const AllReduceJob& job) {
    job.validate();
    if (job.algorithm == AllReduceAlgorithm::kTree) return std::make_unique<TreeAllReduce>(queue, job);
    return std::make_unique<RingAllReduce>(queue, job);
}

void AllReduce::chip_done() {
    ++m_chips_done;
    m_finish = std::max(m_finish, m_queue.now());
}

AllReduceRun AllReduce::result() const {
    AllReduceRun r;
    r.chips = m_fabric.chips();
    r.time_ps = m_finish - m_start;
    r.time_s = ps_to_seconds(r.time_ps);
    const double n = static_cast<double>(r.chips);
    r.algorithm_bandwidth = r.time_s > 0 ? static_cast<double>(m_job.bytes) / r.time_s : 0;
    r.bus_bandwidth = r.algorithm_bandwidth * 2 * (n - 1) / n;
    r.messages = m_fabric.messages();
    r.tree_chunk_bytes = m_job.algorithm == AllReduceAlgorithm::kTree ? m_chunk : 0;
    r.links = m_fabric.link_stats();
    r.events = m_queue.events_run();
    return r;
}

AllReduceRun run_allreduce_model(const AllReduceJob& job) {
    EventQueue queue;
    auto ar = AllReduce::make(queue, job);
    ar->start();
    queue.run();
    if (!ar->done())
        throw std::runtime_error("all-reduce stopped with " + std::to_string(ar->chips_done()) + " of " +
                                 std::to_string(ar->fabric().chips()) +
                                 " chips done: the network deadlocked (full buffers waiting on each other "
                                 "around a ring; no virtual channels are modelled)");
    return ar->result();
}

}  // namespace chipdse::sysc
