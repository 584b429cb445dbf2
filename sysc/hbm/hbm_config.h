#pragma once
// The cycle-level HBM model's view of a memory spec: every time in whole tCK, every count
// resolved (plain C++, no SystemC). Built once from a validated spec::HbmSpec.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "dse/spec/hbm_spec.h"

namespace chipdse::sysc::hbm {

inline constexpr std::int64_t kNever = INT64_MAX;

// JEDEC timing in cycles of tCK (rounded up from the spec's seconds).
struct HbmCycles {
    std::int64_t cl = 0, cwl = 0, rcd_rd = 0, rcd_wr = 0, rp = 0, ras = 0, rc = 0, wr = 0, rtp = 0;
    std::int64_t ccd_s = 0, ccd_l = 0, rrd_s = 0, rrd_l = 0, faw = 0, wtr_s = 0, wtr_l = 0, rtw = 0;
    std::int64_t rfc = 0, refi = 0;
    std::int64_t burst = 0;  // tCK one burst occupies a pseudo-channel's data bus: burst_length / beats per tCK

    // Command-to-command gaps the device enforces (docs/hbm.md, "Timing rules").
    std::int64_t rd_to_rd(bool same_group) const { return std::max(same_group ? ccd_l : ccd_s, burst); }
    std::int64_t wr_to_wr(bool same_group) const { return rd_to_rd(same_group); }
    std::int64_t wr_to_rd(bool same_group) const { return cwl + burst + (same_group ? wtr_l : wtr_s); }
    std::int64_t rd_to_wr() const { return std::max(rtw, cl + burst - cwl); }
    std::int64_t wr_to_pre() const { return cwl + burst + wr; }
};

struct HbmConfig {
    double tck_s = 0;
    int channels = 1;  // in the whole memory: stacks x channels per stack
    int pseudo_channels = 2, stack_ids = 1, bank_groups = 4, banks_per_group = 4;
    std::int64_t rows = 0;     // per bank
    std::int64_t columns = 0;  // bursts per row
    std::int64_t burst_bytes = 32;
    int read_queue = 32, write_queue = 32;  // entries (bursts) per pseudo-channel
    int write_high = 26, write_low = 6;     // write-drain watermarks in entries
    bool refresh = true;
    HbmCycles t;
    spec::HbmAddressMapping mapping;

    int groups_per_pc() const { return stack_ids * bank_groups; }
    int banks_per_pc() const { return groups_per_pc() * banks_per_group; }
    std::int64_t row_bytes() const { return columns * burst_bytes; }
    std::int64_t capacity_bytes() const {
        return static_cast<std::int64_t>(channels) * pseudo_channels * banks_per_pc() * rows * row_bytes();
    }
    // Every pseudo-channel moving one burst per burst time.
    double peak_bytes_per_s() const {
        return static_cast<double>(channels * pseudo_channels * burst_bytes) / (static_cast<double>(t.burst) * tck_s);
    }
};

// Whole cycles of `seconds` at `tck_s`, rounded up (a value written in cycles converts back exactly).
std::int64_t to_cycles(double seconds, double tck_s);

// The model's configuration of `hbm` (all its stacks). Throws std::invalid_argument when the spec
// has no timing block or is inconsistent (the schema reports the same problems, located, first).
HbmConfig make_hbm_config(const spec::HbmSpec& hbm);

// The configuration of a memory file's `hbm` section (or a chip file's `chip.hbm`), after
// `path=value` assignments. Throws std::invalid_argument with the located diagnostics.
HbmConfig load_hbm_config(const std::string& file, const std::vector<std::string>& assignments = {});

}  // namespace chipdse::sysc::hbm
