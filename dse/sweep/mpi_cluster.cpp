// MPI transport of the sweep (see cluster.h). Built with CHIPDSE_HAVE_MPI; without it the
// functions below report that MPI is not available.
#include "dse/sweep/cluster.h"

#include <cstdlib>
#include <string>

#if CHIPDSE_HAVE_MPI
#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <cstring>
#include <thread>
#include <vector>

#include "dse/sweep/point_evaluator.h"
#endif

namespace chipdse::sweep {

bool mpi_built() { return CHIPDSE_HAVE_MPI != 0; }

bool mpi_launched() {
    for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS", "SLURM_NTASKS"}) {
        const char* v = std::getenv(var);
        if (v && std::atoi(v) > 1) {
            // SLURM_NTASKS alone is set for any multi-task job; count it only under srun (a step)
            if (std::string(var) == "SLURM_NTASKS" && !std::getenv("SLURM_STEP_ID")) continue;
            return true;
        }
    }
    return false;
}

#if !CHIPDSE_HAVE_MPI

std::unique_ptr<Cluster> start_mpi_cluster() { return nullptr; }

#else

namespace {

enum Tag : int { kRequest = 1, kChunk = 2, kFinish = 3, kKeys = 4, kExists = 5, kResults = 6 };

void put_u64(std::string& o, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) o.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint64_t get_u64(const std::string& in, size_t& p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[p + static_cast<size_t>(i)]);
    p += 8;
    return v;
}

void send(const std::string& data, int dest, int tag) {
    MPI_Send(data.data(), static_cast<int>(data.size()), MPI_BYTE, dest, tag, MPI_COMM_WORLD);
}

// Receives a message probed with `st`.
std::string receive(const MPI_Status& st) {
    int n = 0;
    MPI_Get_count(&st, MPI_BYTE, &n);
    std::string buf(static_cast<size_t>(n), '\0');
    MPI_Recv(buf.data(), n, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return buf;
}

// Waits for a message from `source` without spinning a core (MPI's blocking calls busy-poll,
// which on a small machine steals the evaluators' CPU).
MPI_Status wait_message(int source) {
    MPI_Status st;
    int flag = 0;
    auto sleep = std::chrono::microseconds(20);
    while (true) {
        MPI_Iprobe(source, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (flag) return st;
        std::this_thread::sleep_for(sleep);
        sleep = std::min(sleep * 2, std::chrono::microseconds(2000));
    }
}

template <class F>
void parallel_for(size_t n, unsigned jobs, F&& fn) {
    if (jobs <= 1 || n <= 1) {
        for (size_t i = 0; i < n; ++i) fn(i);
        return;
    }
    std::atomic<size_t> next{0};
    std::vector<std::thread> ts;
    for (unsigned t = 0; t < std::min<size_t>(jobs, n); ++t)
        ts.emplace_back([&] {
            for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
        });
    for (auto& t : ts) t.join();
}

class MpiCluster : public Cluster {
public:
    MpiCluster() {
        int provided = 0;
        MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
        MPI_Comm_rank(MPI_COMM_WORLD, &m_rank);
        MPI_Comm_size(MPI_COMM_WORLD, &m_size);
        m_parked.assign(static_cast<size_t>(m_size), false);
        m_outstanding.assign(static_cast<size_t>(m_size), false);
        m_finished.assign(static_cast<size_t>(m_size), false);
    }
    ~MpiCluster() override { MPI_Finalize(); }

    int rank() const override { return m_rank; }
    int size() const override { return m_size; }

    bool same_everywhere(const std::string& fingerprint) override {
        char buf[64] = {};
        std::strncpy(buf, fingerprint.c_str(), sizeof buf - 1);
        MPI_Bcast(buf, sizeof buf, MPI_CHAR, 0, MPI_COMM_WORLD);
        int mine = fingerprint == std::string(buf) ? 1 : 0, all = 0;
        MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
        return all == 1;
    }

    void serve(WorkFeed& feed, const std::function<int(const std::string&)>& exists,
               const std::function<void(PointResult&&)>& sink) override {
        // requests parked while the previous feed was empty get work from this one
        for (int r = 1; r < m_size; ++r)
            if (m_parked[static_cast<size_t>(r)]) hand_out(feed, r);
        auto sleep = std::chrono::microseconds(20);
        while (true) {
            MPI_Status st;
            int flag = 0;
            MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
            if (flag) {
                sleep = std::chrono::microseconds(20);
                handle(st, &feed, exists, sink);
                continue;
            }
            bool busy = false;
            for (int r = 1; r < m_size; ++r) busy = busy || m_outstanding[static_cast<size_t>(r)];
            if (!busy && feed.exhausted()) return;
            std::this_thread::sleep_for(sleep);
            sleep = std::min(sleep * 2, std::chrono::microseconds(1000));
        }
    }

    void finish() override {
        auto none_exists = [](const std::string&) { return 0; };
        auto drop = [](PointResult&&) {};
        while (true) {
            bool all = true;
            for (int r = 1; r < m_size; ++r) {
                auto i = static_cast<size_t>(r);
                if (!m_finished[i] && m_parked[i] && !m_outstanding[i]) {
                    send("", r, kFinish);
                    m_finished[i] = true;
                    m_parked[i] = false;
                }
                all = all && m_finished[i];
            }
            if (all) return;
            MPI_Status st = wait_message(MPI_ANY_SOURCE);
            handle(st, nullptr, none_exists, drop);
        }
    }

    void work(const PointEvaluator& eval, unsigned jobs) override {
        while (true) {
            send("", 0, kRequest);
            MPI_Status st = wait_message(0);
            std::string msg = receive(st);
            if (st.MPI_TAG == kFinish) return;
            if (st.MPI_TAG != kChunk) continue;
            // chunk: count, dims, then (index, levels...) per point
            size_t p = 0;
            const std::uint64_t n = get_u64(msg, p), dims = get_u64(msg, p);
            std::vector<WorkItem> items(n);
            for (auto& it : items) {
                it.index = get_u64(msg, p);
                it.levels.resize(dims);
                for (auto& l : it.levels) l = static_cast<std::uint32_t>(get_u64(msg, p));
            }
            std::vector<PreparedPoint> prepared(n);
            parallel_for(n, jobs, [&](size_t i) { eval.prepare(items[i].levels, prepared[i]); });
            std::string keys;
            for (const auto& pp : prepared) keys += pp.key;
            send(keys, 0, kKeys);
            MPI_Status est = wait_message(0);
            std::string exists = receive(est);
            std::vector<PointResult> results(n);
            parallel_for(n, jobs, [&](size_t i) {
                results[i].index = items[i].index;
                results[i].key = prepared[i].key;
                results[i].found = i < exists.size() && exists[i] != '0';
                results[i].other_sweep = i < exists.size() && exists[i] == '2';
                if (!results[i].found) results[i].row = eval.evaluate(prepared[i]);
            });
            std::string out;
            put_u64(out, n);
            for (const auto& r : results) encode(r, out);
            send(out, 0, kResults);
        }
    }

private:
    void hand_out(WorkFeed& feed, int r) {
        auto i = static_cast<size_t>(r);
        // chunks shrink towards the end so that the last ranks finish together
        std::uint64_t left = feed.remaining();
        size_t max = static_cast<size_t>(std::clamp<std::uint64_t>(left / (4 * static_cast<std::uint64_t>(m_size)), 1, 128));
        if (!feed.next(m_items, max)) {
            m_parked[i] = true;
            return;
        }
        std::string msg;
        put_u64(msg, m_items.size());
        put_u64(msg, m_items.front().levels.size());
        for (const auto& it : m_items) {
            put_u64(msg, it.index);
            for (auto l : it.levels) put_u64(msg, l);
        }
        send(msg, r, kChunk);
        m_parked[i] = false;
        m_outstanding[i] = true;
    }

    void handle(const MPI_Status& st, WorkFeed* feed, const std::function<int(const std::string&)>& exists,
                const std::function<void(PointResult&&)>& sink) {
        const int r = st.MPI_SOURCE;
        const auto i = static_cast<size_t>(r);
        std::string msg = receive(st);
        switch (st.MPI_TAG) {
            case kRequest:
                if (feed) hand_out(*feed, r);
                else m_parked[i] = true;
                break;
            case kKeys: {
                std::string bits;
                for (size_t k = 0; k + 32 <= msg.size(); k += 32)
                    bits += static_cast<char>('0' + exists(msg.substr(k, 32)));
                send(bits, r, kExists);
                break;
            }
            case kResults: {
                size_t p = 0;
                const std::uint64_t n = get_u64(msg, p);
                for (std::uint64_t k = 0; k < n; ++k) {
                    PointResult res;
                    if (!decode(msg, p, res)) throw std::runtime_error("MPI: malformed results from rank " + std::to_string(r));
                    sink(std::move(res));
                }
                m_outstanding[i] = false;
                break;
            }
            default: break;
        }
    }

    int m_rank = 0, m_size = 1;
    std::vector<bool> m_parked, m_outstanding, m_finished;
    std::vector<WorkItem> m_items;
};

}  // namespace

std::unique_ptr<Cluster> start_mpi_cluster() { return std::make_unique<MpiCluster>(); }

#endif

}  // namespace chipdse::sweep
