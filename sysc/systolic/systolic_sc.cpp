#include "sysc/systolic/systolic_sc.h"

#include <climits>
#include <vector>

namespace chipdse::sysc {

SystolicSc::SystolicSc(const sc_core::sc_module_name& name, const sc_core::sc_time& period)
    : sc_core::sc_module(name), clk("clk"), m_period(period) {
    SC_CTHREAD(main, clk.pos());
    SC_THREAD(timed_main);
}

void SystolicSc::submit(const GemmJob& job, GemmRun& out) {
    if (job.timing_only) {
        m_timed_queue.emplace_back(&job, &out);
        m_timed_kick.notify(sc_core::SC_ZERO_TIME);
    } else {
        m_queue.emplace_back(&job, &out);
    }
}

void SystolicSc::main() {
    while (true) {
        if (m_queue.empty()) {
            if (on_idle) on_idle();
            wait();
            continue;
        }
        auto [job, out] = m_queue.front();
        m_queue.pop_front();
        run_job(*job, *out, [this](std::int64_t c, std::int64_t& p) { spend_clocked(c, p); });
    }
}

void SystolicSc::timed_main() {
    while (true) {
        if (m_timed_queue.empty()) {
            wait(m_timed_kick);
            continue;
        }
        auto [job, out] = m_timed_queue.front();
        m_timed_queue.pop_front();
        run_job(*job, *out, [this](std::int64_t c, std::int64_t& p) { spend_timed(c, p); });
    }
}

template <class Spend>
void SystolicSc::run_job(const GemmJob& job, GemmRun& out, Spend spend) {
    out = GemmRun{};
    if (!job.timing_only) out.c.assign(static_cast<std::size_t>(job.shape.m * job.shape.n), 0);
    std::vector<std::int32_t> tile_c;
    for (const Tile& tile : plan_tiles(job.array, job.shape)) {
        const SystolicCycles want = tile_cycles(job.array, job.shape, tile);
        ++out.cycles.tiles;
        out.activity += tile_activity(job.array, job.shape, tile);
        spend(want.load, out.cycles.load);
        // The array: this pass's MACs into the accumulators (OS) or the result buffer (WS, IS).
        if (!job.timing_only) {
            tile_c.resize(static_cast<std::size_t>(tile.m * tile.n));
            compute_tile(job, tile, tile_c);
        }
        spend(want.compute, out.cycles.compute);
        spend(want.readout, out.cycles.readout);
        if (!job.timing_only && last_pass(job.shape, tile)) store_tile(job.shape, tile, tile_c, out.c);
    }
}

void SystolicSc::spend_clocked(std::int64_t cycles, std::int64_t& phase) {
    const sc_core::sc_time start = sc_core::sc_time_stamp();
    while (cycles > 0) {
        const int n = cycles > INT_MAX ? INT_MAX : static_cast<int>(cycles);
        wait(n);
        cycles -= n;
    }
    phase += static_cast<std::int64_t>((sc_core::sc_time_stamp() - start).value() / m_period.value());
}

void SystolicSc::spend_timed(std::int64_t cycles, std::int64_t& phase) {
    if (cycles <= 0) return;
    const sc_core::sc_time start = sc_core::sc_time_stamp();
    wait(sc_core::sc_time::from_value(m_period.value() * static_cast<std::uint64_t>(cycles)));
    phase += static_cast<std::int64_t>((sc_core::sc_time_stamp() - start).value() / m_period.value());
}

}  // namespace chipdse::sysc
