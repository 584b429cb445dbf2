#include "sysc/systolic/systolic_sc.h"

#include <climits>
#include <vector>

namespace chipdse::sysc {

SystolicSc::SystolicSc(const sc_core::sc_module_name& name, const sc_core::sc_time& period)
    : sc_core::sc_module(name), clk("clk"), m_period(period) {
    SC_CTHREAD(main, clk.pos());
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
        run_job(*job, *out);
    }
}

void SystolicSc::run_job(const GemmJob& job, GemmRun& out) {
    out = GemmRun{};
    out.c.assign(static_cast<std::size_t>(job.shape.m * job.shape.n), 0);
    std::vector<std::int32_t> tile_c;
    for (const Tile& tile : plan_tiles(job.array, job.shape)) {
        const SystolicCycles want = tile_cycles(job.array, tile, job.shape.k);
        ++out.cycles.tiles;
        spend(want.load, out.cycles.load);
        // The array: clear, stream K steps through the skewed wavefront, drain into the buffer.
        tile_c.resize(static_cast<std::size_t>(tile.m * tile.n));
        compute_tile(job.shape, tile, job.a, job.b, tile_c);
        spend(want.compute, out.cycles.compute);
        spend(want.readout, out.cycles.readout);
        store_tile(job.shape, tile, tile_c, out.c);
    }
}

void SystolicSc::spend(std::int64_t cycles, std::int64_t& phase) {
    const sc_core::sc_time start = sc_core::sc_time_stamp();
    while (cycles > 0) {
        const int n = cycles > INT_MAX ? INT_MAX : static_cast<int>(cycles);
        wait(n);
        cycles -= n;
    }
    phase += static_cast<std::int64_t>((sc_core::sc_time_stamp() - start).value() / m_period.value());
}

}  // namespace chipdse::sysc
