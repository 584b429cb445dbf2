#include "sysc/systolic/matrix_engine_model.h"

#include <algorithm>
#include <cmath>

namespace chipdse::sysc {
namespace {

std::int64_t cycles_for(std::int64_t bytes, double per_cycle) {
    if (bytes <= 0 || per_cycle <= 0) return 0;
    return static_cast<std::int64_t>(std::ceil(static_cast<double>(bytes) / per_cycle - 1e-9));
}

// Occupancy of the simple memory by `bytes` cut into requests of at most r bytes.
std::int64_t transfer_cycles(std::int64_t bytes, std::int64_t r, double per_cycle) {
    if (bytes <= 0) return 0;
    if (r <= 0) return cycles_for(bytes, per_cycle);
    return (bytes / r) * cycles_for(r, per_cycle) + cycles_for(bytes % r, per_cycle);
}

}  // namespace

std::int64_t operand_bytes(const SystolicConfig& array) { return array.precision == spec::Precision::kBf16 ? 2 : 1; }

std::vector<EnginePass> engine_passes(const SystolicConfig& array, const GemmShape& shape) {
    std::vector<EnginePass> out;
    const std::vector<Tile> tiles = plan_tiles(array, shape);
    out.reserve(tiles.size());
    const std::int64_t e = operand_bytes(array);
    for (const Tile& t : tiles) {
        EnginePass p;
        p.compute = tile_cycles(array, shape, t).compute;
        p.fetch_bytes = tile_activity(array, shape, t).operand_writes * e;
        p.writeback_bytes = last_pass(shape, t) ? t.m * t.n * kResultBytes : 0;
        out.push_back(p);
    }
    return out;
}

std::int64_t simple_step_cycles(const SimpleMemoryTiming& mem, const EngineSram& sram, std::int64_t write_bytes,
                                std::int64_t fetch_bytes) {
    if (write_bytes + fetch_bytes <= 0) return 0;
    const std::int64_t memory = mem.latency + transfer_cycles(write_bytes, sram.request_bytes, mem.bytes_per_cycle) +
                                transfer_cycles(fetch_bytes, sram.request_bytes, mem.bytes_per_cycle);
    return std::max(memory, cycles_for(fetch_bytes, sram.fill_bytes_per_cycle));
}

EngineCycles double_buffered_cycles(const SystolicConfig& array, const GemmShape& shape,
                                    const SimpleMemoryTiming& mem, const EngineSram& sram) {
    const std::vector<EnginePass> p = engine_passes(array, shape);
    EngineCycles c;
    c.passes = static_cast<std::int64_t>(p.size());
    c.first_fetch = simple_step_cycles(mem, sram, 0, p.front().fetch_bytes);
    for (std::size_t i = 0; i < p.size(); ++i) {
        const std::int64_t w = i > 0 ? p[i - 1].writeback_bytes : 0;
        const std::int64_t f = i + 1 < p.size() ? p[i + 1].fetch_bytes : 0;
        c.steps += std::max(p[i].compute, simple_step_cycles(mem, sram, w, f));
        c.compute += p[i].compute;
    }
    c.last_writeback = simple_step_cycles(mem, sram, p.back().writeback_bytes, 0);
    c.stall = c.steps - c.compute;
    return c;
}

}  // namespace chipdse::sysc
