#pragma once
// All-reduce of a buffer over K chips connected by links (plain C++ core; the SystemC shell is
// collective_sc.h, the no-SystemC-headers API allreduce_run.h). docs/links.md has the schedules.
//
// Ring: reduce-scatter then all-gather, step by step: in each of the n - 1 steps of a phase a chip
// sends one 1/n chunk to its successor, and sends step s + 1 once step s's chunk from its
// predecessor is in (and its own step s was queued). On a switch: one ring over the chips in
// order, using all links. On a ring of chips: two rings, one each way, each on half the buffer.
// On a 2D/3D torus: the ring runs per dimension on shrinking shards (reduce-scatter X, then Y on a
// 1/kx shard, ..., all-gather in reverse), 2 x dims concurrent pipelines (each dimension order
// rotated, each direction) on 1/(2 x dims) of the buffer, so every link direction carries data.
// Tree: NCCL-style double binary tree, each tree on half the buffer, pipelined in chunks: a chip
// sends chunk i up once all its children's chunk i is in, the root turns it around, chips pass
// it down. Tree 2 is tree 1 shifted by one rank, so (for even K) no chip is inner in both.
// Reduction arithmetic is taken as free (a chip reduces at line rate).
#include <cstdint>
#include <memory>
#include <string>

#include "sysc/collective/fabric.h"

namespace chipdse::sysc {

enum class AllReduceAlgorithm { kRing, kTree };
const char* algorithm_name(AllReduceAlgorithm a);

struct AllReduceJob {
    Topology topology = Topology::switched(8);
    LinkParams link;
    std::int64_t links_per_chip = 1;
    std::int64_t bytes = 0;  // the buffer each chip contributes (and ends up with, reduced)
    AllReduceAlgorithm algorithm = AllReduceAlgorithm::kRing;
    std::int64_t chunk_bytes = 0;  // tree pipeline chunk; 0: 1/64 of a tree's half, at least one packet per link
    std::uint64_t seed = 1;        // of the links' bit-error draws

    // Throws std::invalid_argument with what is wrong.
    void validate() const;
};

struct AllReduceRun {
    Ps time_ps = 0;
    double time_s = 0;
    double algorithm_bandwidth = 0;  // bytes / time (bytes/s)
    double bus_bandwidth = 0;        // algorithm bandwidth x 2(n-1)/n (NCCL's busbw)
    std::int64_t chips = 0;
    std::int64_t messages = 0;
    std::int64_t tree_chunk_bytes = 0;  // tree: the pipeline chunk used
    LinkStats links;                    // summed over every link direction
    std::uint64_t events = 0;
};

// An all-reduce in progress on its own fabric; time flows on the given queue.
class AllReduce : public MessageSink {
public:
    static std::unique_ptr<AllReduce> make(EventQueue& queue, const AllReduceJob& job);
    virtual ~AllReduce() = default;

    // Queues the first messages at queue.now().
    virtual void start() = 0;
    bool done() const { return m_chips_done == m_fabric.chips(); }
    std::int32_t chips_done() const { return m_chips_done; }
    // The result; requires done().
    AllReduceRun result() const;
    const Fabric& fabric() const { return m_fabric; }

protected:
    AllReduce(EventQueue& queue, const AllReduceJob& job);
    void chip_done();

    EventQueue& m_queue;
    AllReduceJob m_job;
    Fabric m_fabric;
    Ps m_start = 0, m_finish = 0;
    std::int32_t m_chips_done = 0;
    std::int64_t m_chunk = 0;
};

// Runs a job on the plain C++ event queue (no SystemC). Throws std::invalid_argument for a bad job
// and std::runtime_error if the network deadlocks (credit loops around a torus ring).
AllReduceRun run_allreduce_model(const AllReduceJob& job);

}  // namespace chipdse::sysc
