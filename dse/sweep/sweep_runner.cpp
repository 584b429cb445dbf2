#include "dse/sweep/sweep_runner.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <sqlite3.h>

#include "dse/sweep/characterisation_cache.h"
#include "dse/sweep/cluster.h"
#include "dse/sweep/hooks.h"
#include "dse/sweep/nsga2.h"
#include "dse/sweep/pareto.h"
#include "dse/sweep/point_evaluator.h"
#include "dse/sweep/point_source.h"
#include "dse/sweep/progress.h"
#include "dse/sweep/results_store.h"
#include "dse/sweep/work_feed.h"

namespace chipdse::sweep {
namespace {

using Clock = std::chrono::steady_clock;

// Bounded hand-over from evaluators to the writer: producers wait when it is full.
class ResultQueue {
public:
    enum class Pop { kItem, kTimeout, kClosed };
    explicit ResultQueue(size_t capacity) : m_capacity(capacity) {}

    void push(PointResult&& r) {
        std::unique_lock<std::mutex> lock(m_mu);
        m_not_full.wait(lock, [&] { return m_items.size() < m_capacity; });
        m_items.push_back(std::move(r));
        m_not_empty.notify_one();
    }
    Pop pop(PointResult& out, std::chrono::milliseconds wait) {
        std::unique_lock<std::mutex> lock(m_mu);
        if (!m_not_empty.wait_for(lock, wait, [&] { return !m_items.empty() || m_closed; })) return Pop::kTimeout;
        if (m_items.empty()) return Pop::kClosed;
        out = std::move(m_items.front());
        m_items.pop_front();
        m_not_full.notify_one();
        return Pop::kItem;
    }
    void close() {
        std::lock_guard<std::mutex> lock(m_mu);
        m_closed = true;
        m_not_empty.notify_all();
    }

private:
    size_t m_capacity;
    std::mutex m_mu;
    std::condition_variable m_not_full, m_not_empty;
    std::deque<PointResult> m_items;
    bool m_closed = false;
};

// Relative amount by which a value misses a constraint (0 when it meets it).
double violation_of(const ConstraintSpec& c, double v) {
    if (c.satisfied(v)) return 0;
    if (std::isnan(v)) return 1;
    if (c.truthy) return 1;
    double amount = 0;
    if (v < c.min || (c.min_strict && v == c.min)) amount = (c.min - v) / std::max(std::fabs(c.min), 1e-12);
    if (v > c.max || (c.max_strict && v == c.max)) amount = (v - c.max) / std::max(std::fabs(c.max), 1e-12);
    return std::max(amount, 1e-9);
}

// A stored row as a generator sees it.
void read_outcome(ResultsStore& store, const std::string& key, CandidateOutcome& out) {
    out.key = key;
    store.query("SELECT * FROM points WHERE key = ?", {key}, [&](sqlite3_stmt* st) {
        const int n = sqlite3_column_count(st);
        for (int i = 0; i < n; ++i) {
            const std::string name = sqlite3_column_name(st, i);
            const unsigned char* t = sqlite3_column_text(st, i);
            const bool null = sqlite3_column_type(st, i) == SQLITE_NULL;
            if (name == "valid") out.valid = sqlite3_column_int64(st, i) != 0;
            else if (name == "infeasible_reason") out.reason = t ? reinterpret_cast<const char*>(t) : "";
            else if (name == "axes") out.axes = t ? reinterpret_cast<const char*>(t) : "{}";
            else if (std::find(fixed_columns().begin(), fixed_columns().end(), name) == fixed_columns().end())
                out.metrics.emplace_back(name, null ? NAN : sqlite3_column_double(st, i));
        }
    });
    for (const auto& [name, value] : out.metrics)
        if (name == "feasible") out.feasible = out.valid && value == 1.0;
}

class Engine {
public:
    Engine(const LoadedSweep& sweep, const std::string& db, const RunOptions& opt, Cluster* cluster, Progress& progress,
           RunStats& stats)
        : m_sweep(sweep), m_eval(sweep), m_opt(opt), m_cluster(cluster), m_progress(progress), m_stats(stats),
          m_store(db, ResultsStore::Mode::kReadWrite) {
        const unsigned jobs = std::max(1u, opt.jobs);
        for (unsigned i = 0; i < jobs; ++i)
            m_readers.push_back(std::make_unique<ResultsStore>(db, ResultsStore::Mode::kReadOnly));
        if (cluster && cluster->size() > 1) m_main_reader = std::make_unique<ResultsStore>(db, ResultsStore::Mode::kReadOnly);
        if (!sweep.spec.objectives.empty())
            m_progress.set_objective(sweep.spec.objectives[0].metric(), sweep.spec.objectives[0].is_max());
        if (model::Characteriser* ch = m_eval.characteriser()) {
            load_characterisations(m_store, *ch);
            m_progress.set_note([ch] {
                return std::to_string(ch->simulations()) + " simulations, " + std::to_string(ch->preloaded_used()) +
                       " kernels from the store";
            });
        }
    }

    // Kernels simulated and taken from the store, and cache entries written (RunStats).
    void count_characterisations() {
        if (const model::Characteriser* ch = m_eval.characteriser()) {
            m_stats.simulations = ch->simulations();
            m_stats.kernels_from_store = ch->preloaded_used();
        }
    }

    ResultsStore& store() { return m_store; }

    bool stop_requested() const { return m_opt.stop && m_opt.stop->load(); }

    // Evaluates every item of `feed`; `on_result` sees each result on the writer thread.
    void run(WorkFeed& feed, const std::function<void(const PointResult&)>& on_result) {
        ResultQueue queue(4096);
        std::exception_ptr error;
        std::mutex error_mu;
        auto fail = [&](std::exception_ptr e) {
            std::lock_guard<std::mutex> lock(error_mu);
            if (!error) error = e;
            feed.stop();
        };
        std::thread writer([&] {
            try {
                write_loop(queue, on_result);
            } catch (...) {
                fail(std::current_exception());
                PointResult drop;
                while (queue.pop(drop, std::chrono::milliseconds(100)) != ResultQueue::Pop::kClosed) {
                }
            }
        });
        std::vector<std::thread> workers;
        for (size_t w = 0; w < m_readers.size(); ++w)
            workers.emplace_back([&, w] {
                try {
                    work_loop(feed, queue, *m_readers[w]);
                } catch (...) {
                    fail(std::current_exception());
                }
            });
        if (m_cluster && m_cluster->size() > 1) {
            try {
                m_cluster->serve(
                    feed,
                    [&](const std::string& key) {
                        return static_cast<int>(m_main_reader->find(key, m_sweep.spec.name));
                    },
                    [&](PointResult&& r) { queue.push(std::move(r)); });
            } catch (...) {
                fail(std::current_exception());
            }
        }
        for (auto& t : workers) t.join();
        queue.close();
        writer.join();
        if (error) std::rethrow_exception(error);
    }

private:
    void work_loop(WorkFeed& feed, ResultQueue& queue, ResultsStore& reader) {
        PreparedPoint pp;
        std::vector<WorkItem> chunk;
        while (true) {
            if (stop_requested()) feed.stop();
            if (!feed.next(chunk, 8)) break;
            for (auto& item : chunk) {
                if (stop_requested()) {
                    feed.stop();
                    break;
                }
                PointResult r;
                r.index = item.index;
                m_eval.prepare(item.levels, pp);
                r.key = pp.key;
                const auto found = reader.find(pp.key, m_sweep.spec.name);
                if (found != ResultsStore::Found::kNo) {
                    r.found = true;
                    r.other_sweep = found == ResultsStore::Found::kOtherSweep;
                } else {
                    r.row = m_eval.evaluate(pp);
                    if (m_opt.test_delay_us) std::this_thread::sleep_for(std::chrono::microseconds(m_opt.test_delay_us));
                }
                queue.push(std::move(r));
            }
        }
    }

    void write_loop(ResultQueue& queue, const std::function<void(const PointResult&)>& on_result) {
        const auto& objectives = m_sweep.spec.objectives;
        const auto& constraints = m_sweep.spec.constraints;
        m_store.begin();
        size_t in_txn = 0;
        auto txn_start = Clock::now();
        PointResult r;
        while (true) {
            auto st = queue.pop(r, std::chrono::milliseconds(100));
            if (st == ResultQueue::Pop::kClosed) break;
            if (st == ResultQueue::Pop::kItem) {
                if (r.found) {
                    ++m_stats.found;
                    if (r.other_sweep) m_store.add_member(m_sweep.spec.name, r.key);
                } else {
                    ++m_stats.evaluated;
                    const PointRow& row = r.row;
                    const bool feasible = row.valid && row.metric("feasible") != 0;
                    if (!row.valid) ++m_stats.invalid;
                    else if (!feasible) ++m_stats.infeasible;
                    if (m_store.insert(row)) ++m_stats.inserted;
                    if (feasible && !objectives.empty()) {
                        bool ok = true;
                        for (const auto& c : constraints) ok = ok && c.satisfied(row.metric(c.metric));
                        if (ok) m_progress.offer_best(row.metric(objectives[0].metric()));
                    }
                }
                ++m_stats.done;
                m_progress.point_done();
                if (on_result) on_result(r);
                ++in_txn;
            }
            if (in_txn >= m_opt.commit_rows ||
                (in_txn > 0 && std::chrono::duration<double>(Clock::now() - txn_start).count() >= m_opt.commit_seconds)) {
                save_characterised();
                m_store.commit();
                m_store.begin();
                in_txn = 0;
                txn_start = Clock::now();
            }
            m_progress.tick();
        }
        save_characterised();
        m_store.commit();
    }

    // The kernels characterised so far go into the store with the rows that used them.
    void save_characterised() {
        if (const model::Characteriser* ch = m_eval.characteriser())
            m_stats.kernels_stored += static_cast<std::int64_t>(save_characterisations(m_store, *ch));
    }

    const LoadedSweep& m_sweep;
    PointEvaluator m_eval;
    const RunOptions& m_opt;
    Cluster* m_cluster;
    Progress& m_progress;
    RunStats& m_stats;
    ResultsStore m_store;
    std::vector<std::unique_ptr<ResultsStore>> m_readers;
    std::unique_ptr<ResultsStore> m_main_reader;
};

// Tells the other ranks to stop whatever happens on rank 0.
struct FinishGuard {
    Cluster* cluster;
    ~FinishGuard() {
        if (cluster && cluster->size() > 1) cluster->finish();
    }
};

}  // namespace

RunStats run_sweep(const LoadedSweep& sweep, const std::string& db, const RunOptions& opt, Cluster* cluster) {
    RunStats stats;
    const SweepSpec& spec = sweep.spec;
    if (cluster && cluster->size() > 1 && cluster->rank() != 0) {
        PointEvaluator eval(sweep);
        // The store's characterisation cache, when this rank can read the file (a shared file
        // system); what the rank simulates stays in its memory (rank 0 writes the store).
        if (model::Characteriser* ch = eval.characteriser()) {
            try {
                ResultsStore store(db, ResultsStore::Mode::kReadOnly);
                load_characterisations(store, *ch);
            } catch (const StoreError&) {  // not there (yet): the rank characterises what it needs
            }
        }
        cluster->work(eval, std::max(1u, opt.jobs));
        return stats;
    }
    FinishGuard guard{cluster};

    const bool nsga = spec.search.method == SearchMethod::kNsga2;
    const bool generated = sweep.generator != nullptr;
    std::unique_ptr<PointSource> source;
    if (!generated) switch (spec.search.method) {
        case SearchMethod::kGrid: source = make_grid_source(sweep.space); break;
        case SearchMethod::kRandom:
            source = make_random_source(sweep.space, static_cast<std::uint64_t>(spec.search.samples),
                                        static_cast<std::uint64_t>(spec.search.seed));
            break;
        case SearchMethod::kLhs:
            source = make_lhs_source(sweep.space, static_cast<std::uint64_t>(spec.search.samples),
                                     static_cast<std::uint64_t>(spec.search.seed));
            break;
        case SearchMethod::kNsga2: break;
    }
    const std::uint64_t shards = std::max<std::uint64_t>(1, opt.shard_count);
    stats.planned = generated ? static_cast<std::uint64_t>(spec.search.samples)  // a hint; grows as needed
                    : nsga    ? static_cast<std::uint64_t>(spec.search.population + (spec.search.population & 1)) *
                                 static_cast<std::uint64_t>(spec.search.generations + 1)
                              : SourceFeed::shard_size(source->size(), opt.shard_index, shards);

    Progress::Style style = opt.progress == RunOptions::ProgressStyle::kBar     ? Progress::Style::kBar
                            : opt.progress == RunOptions::ProgressStyle::kLines ? Progress::Style::kLines
                                                                                : Progress::Style::kNone;
    Progress progress(spec.name, stats.planned, style, opt.progress_out, opt.progress_interval_s);
    Engine engine(sweep, db, opt, cluster, progress, stats);

    SweepRecord rec;
    rec.name = spec.name;
    rec.path = sweep.path;
    rec.fingerprint = sweep.fingerprint;
    rec.spec_yaml = sweep.spec_yaml;
    rec.base_config = sweep.base_resolved;
    rec.fidelity = fidelity_name(spec.fidelity);
    for (const auto& o : spec.objectives) rec.objectives.push_back((o.is_max() ? "maximize " : "minimize ") + o.metric());
    for (const auto& c : spec.constraints)
        for (const auto& r : c.rules()) rec.constraints.push_back(r);
    engine.store().save_sweep(rec);

    std::string generator_error;
    if (generated) {
        // A user's candidate generator (hooks.h): batches of points, each read back from the store.
        std::uint64_t next_index = 0;
        GeneratorContext ctx;
        ctx.space = &sweep.space;
        ctx.spec = &sweep.spec;
        ctx.samples = static_cast<std::uint64_t>(spec.search.samples);
        ctx.seed = static_cast<std::uint64_t>(spec.search.seed);
        ctx.evaluate = [&](const std::vector<Levels>& batch, std::vector<CandidateOutcome>& out) {
            out.clear();
            if (engine.stop_requested()) return false;
            for (const auto& l : batch) {
                if (l.size() != sweep.space.dims.size()) throw HookError("a candidate needs one level per dimension");
                for (size_t d = 0; d < l.size(); ++d)
                    if (l[d] >= sweep.space.dims[d].size())
                        throw HookError("level " + std::to_string(l[d]) + " of dimension " + std::to_string(d) +
                                        " is out of range (it has " + std::to_string(sweep.space.dims[d].size()) +
                                        " values)");
            }
            const std::uint64_t first = next_index;
            next_index += batch.size();
            if (next_index > stats.planned) {
                stats.planned = next_index;
                progress.set_planned(next_index);
            }
            ListFeed feed(batch, first);
            std::vector<std::string> keys(batch.size());
            engine.run(feed, [&](const PointResult& r) { keys[r.index - first] = r.key; });
            if (feed.stopped() || engine.stop_requested()) return false;
            out.resize(batch.size());
            for (size_t i = 0; i < batch.size(); ++i) {
                out[i].levels = batch[i];
                read_outcome(engine.store(), keys[i], out[i]);
            }
            return true;
        };
        if (!sweep.generator->run(ctx, generator_error) && generator_error.empty())
            generator_error = sweep.generator->ref() + ": failed";
    } else if (!nsga) {
        SourceFeed feed(*source, opt.shard_index, shards);
        engine.run(feed, nullptr);
    } else {
        std::vector<std::string> names{"feasible"};
        for (const auto& o : spec.objectives) names.push_back(o.metric());
        for (const auto& c : spec.constraints) names.push_back(c.metric);
        std::vector<std::uint32_t> sizes;
        for (const auto& d : sweep.space.dims) sizes.push_back(d.size());
        Nsga2Options no;
        no.population = static_cast<std::uint64_t>(spec.search.population);
        no.generations = static_cast<std::uint64_t>(spec.search.generations);
        no.crossover = spec.search.crossover;
        no.mutation = spec.search.mutation;
        no.seed = static_cast<std::uint64_t>(spec.search.seed);
        run_nsga2(sizes, no, [&](const std::vector<Levels>& genomes, std::uint64_t first, std::vector<Fitness>& out) {
            if (engine.stop_requested()) return false;
            ListFeed feed(genomes, first);
            std::vector<std::string> keys(genomes.size());
            std::vector<std::optional<std::vector<double>>> values(genomes.size());
            engine.run(feed, [&](const PointResult& r) {
                const size_t i = r.index - first;
                keys[i] = r.key;
                if (!r.found) {
                    std::vector<double> v;
                    for (const auto& n : names) v.push_back(r.row.metric(n));
                    values[i] = std::move(v);
                }
            });
            if (feed.stopped() || engine.stop_requested()) return false;
            out.assign(genomes.size(), Fitness{});
            for (size_t i = 0; i < genomes.size(); ++i) {
                if (!values[i]) values[i] = engine.store().lookup(keys[i], names);
                const std::vector<double> v = values[i].value_or(std::vector<double>(names.size(), NAN));
                Fitness& f = out[i];
                const bool feasible = v[0] == 1.0;
                f.violation = feasible ? 0.0 : 1.0;
                for (size_t k = 0; k < spec.objectives.size(); ++k)
                    f.cost.push_back(to_cost(v[1 + k], spec.objectives[k].is_max()));
                for (size_t k = 0; k < spec.constraints.size(); ++k)
                    f.violation += violation_of(spec.constraints[k], v[1 + spec.objectives.size() + k]);
            }
            return true;
        });
    }
    engine.count_characterisations();
    stats.interrupted = engine.stop_requested();
    stats.seconds = progress.elapsed_s();
    progress.finish();
    if (!generator_error.empty()) throw HookError(generator_error);
    return stats;
}

}  // namespace chipdse::sweep
