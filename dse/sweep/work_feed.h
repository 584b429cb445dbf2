#pragma once
// Work handed to evaluators (local threads and MPI ranks) in chunks: a point index and its
// levels. Feeds are thread-safe and can be stopped (Ctrl-C): then they hand out nothing more.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "dse/sweep/point_source.h"

namespace chipdse::sweep {

struct WorkItem {
    std::uint64_t index = 0;
    Levels levels;
};

class WorkFeed {
public:
    virtual ~WorkFeed() = default;
    // Appends up to `max` items to `out` (cleared first); false when none are left.
    virtual bool next(std::vector<WorkItem>& out, size_t max) = 0;
    // Items not yet handed out (an estimate is enough; used to size chunks).
    virtual std::uint64_t remaining() const = 0;
    bool exhausted() const { return m_stopped.load() || remaining() == 0; }
    void stop() { m_stopped.store(true); }
    bool stopped() const { return m_stopped.load(); }

protected:
    std::atomic<bool> m_stopped{false};
};

// Points [0, source.size()) whose index % shard_count == shard_index, in index order.
class SourceFeed : public WorkFeed {
public:
    SourceFeed(const PointSource& source, std::uint64_t shard_index, std::uint64_t shard_count)
        : m_source(source), m_next(shard_index), m_step(shard_count) {}

    bool next(std::vector<WorkItem>& out, size_t max) override {
        out.clear();
        std::lock_guard<std::mutex> lock(m_mu);
        while (out.size() < max && !m_stopped.load() && m_next < m_source.size()) {
            out.emplace_back();
            out.back().index = m_next;
            m_source.levels(m_next, out.back().levels);
            m_next += m_step;
        }
        return !out.empty();
    }
    std::uint64_t remaining() const override {
        std::lock_guard<std::mutex> lock(m_mu);
        return m_next >= m_source.size() ? 0 : (m_source.size() - m_next + m_step - 1) / m_step;
    }
    // Number of points of the shard.
    static std::uint64_t shard_size(std::uint64_t n, std::uint64_t index, std::uint64_t count) {
        return index >= n ? 0 : (n - index + count - 1) / count;
    }

private:
    const PointSource& m_source;
    mutable std::mutex m_mu;
    std::uint64_t m_next, m_step;
};

// An explicit list of genomes (NSGA-II generations), indices first_index, first_index + 1, ...
class ListFeed : public WorkFeed {
public:
    ListFeed(const std::vector<Levels>& genomes, std::uint64_t first_index) : m_genomes(genomes), m_first(first_index) {}

    bool next(std::vector<WorkItem>& out, size_t max) override {
        out.clear();
        std::lock_guard<std::mutex> lock(m_mu);
        while (out.size() < max && !m_stopped.load() && m_next < m_genomes.size()) {
            out.push_back(WorkItem{m_first + m_next, m_genomes[m_next]});
            ++m_next;
        }
        return !out.empty();
    }
    std::uint64_t remaining() const override {
        std::lock_guard<std::mutex> lock(m_mu);
        return m_genomes.size() - m_next;
    }

private:
    const std::vector<Levels>& m_genomes;
    std::uint64_t m_first;
    mutable std::mutex m_mu;
    size_t m_next = 0;
};

}  // namespace chipdse::sweep
