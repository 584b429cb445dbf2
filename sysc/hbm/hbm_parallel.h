#pragma once
// A small pool for independent jobs: run `job(i)` for every i in [0, n) on up to `threads`
// threads (0 = the hardware's concurrency). Jobs are taken in index order by whichever thread is
// free; each must write only its own results, so what they compute does not depend on the count.
// The first exception a job throws is rethrown after every thread has stopped.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace chipdse::sysc::hbm {

// The threads parallel_for uses for n jobs: `threads` (0 = the hardware's), at most n, at least 1.
inline int resolve_threads(int threads, std::size_t n) {
    std::size_t t = threads > 0 ? static_cast<std::size_t>(threads) : std::thread::hardware_concurrency();
    t = std::min(t, n);
    return static_cast<int>(std::max<std::size_t>(t, 1));
}

template <class Job>
void parallel_for(std::size_t n, int threads, Job&& job) {
    const int t = resolve_threads(threads, n);
    if (t == 1) {  // no thread at all: the serial run is the reference
        for (std::size_t i = 0; i < n; ++i) job(i);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto worker = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < n;) {
            try {
                job(i);
            } catch (...) {
                const std::lock_guard<std::mutex> lock(error_mutex);
                if (!error) error = std::current_exception();
                next.store(n);  // stop handing out jobs
            }
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(t - 1));
    for (int k = 1; k < t; ++k) pool.emplace_back(worker);
    worker();  // the calling thread is one of them
    for (std::thread& th : pool) th.join();
    if (error) std::rethrow_exception(error);
}

}  // namespace chipdse::sysc::hbm
