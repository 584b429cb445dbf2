#include "sysc/hbm/hbm_config.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "dse/spec/design_loader.h"

namespace chipdse::sysc::hbm {

std::int64_t to_cycles(double seconds, double tck_s) {
    const double c = seconds / tck_s;
    return std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil(c - 1e-6)));
}

HbmConfig make_hbm_config(const spec::HbmSpec& hbm) {
    if (!hbm.timing) throw std::invalid_argument("hbm.timing: missing; the cycle-level model needs the JEDEC timing");
    const spec::HbmTimingSpec& s = *hbm.timing;
    auto fail = [](const std::string& what) { throw std::invalid_argument("hbm.timing: " + what); };
    if (!(s.tck.si() > 0)) fail("tck must be positive");
    HbmConfig c;
    c.tck_s = s.tck.si();
    auto narrow = [&](std::int64_t v, const char* key) {
        if (v < 1 || v > (1 << 20)) fail(std::string(key) + " out of range");
        return static_cast<int>(v);
    };
    c.channels = narrow(hbm.stacks * s.channels, "stacks x channels");
    c.pseudo_channels = narrow(s.pseudo_channels, "pseudo_channels");
    c.stack_ids = narrow(s.stack_ids, "stack_ids");
    c.bank_groups = narrow(s.bank_groups, "bank_groups");
    c.banks_per_group = narrow(s.banks_per_group, "banks_per_group");
    if ((s.dq_width * s.burst_length) % 8 != 0) fail("dq_width x burst_length must be a multiple of 8 bits");
    c.burst_bytes = s.dq_width * s.burst_length / 8;
    const double row_bytes = s.row_size.si() / 8.0;
    const double cols = row_bytes / static_cast<double>(c.burst_bytes);
    if (cols < 1 || std::abs(cols - std::round(cols)) > 1e-9) fail("row_size must hold a whole number of bursts");
    c.columns = static_cast<std::int64_t>(std::round(cols));
    c.rows = spec::hbm_rows_per_bank(hbm);
    if (c.rows < 1) fail("capacity_per_stack is too small for one row in every bank");

    const double burst = static_cast<double>(s.burst_length) / s.beats_per_tck();
    if (!(burst >= 1) || std::abs(burst - std::round(burst)) > 1e-3 * burst) fail("a burst must last a whole number of tCK");
    c.t.burst = static_cast<std::int64_t>(std::round(burst));

    c.read_queue = narrow(s.read_queue, "read_queue");
    c.write_queue = narrow(s.write_queue, "write_queue");
    c.write_high = std::clamp(static_cast<int>(std::ceil(s.write_high_watermark * c.write_queue - 1e-9)), 1,
                              c.write_queue);
    c.write_low = std::clamp(static_cast<int>(std::floor(s.write_low_watermark * c.write_queue + 1e-9)), 0,
                             c.write_high - 1);
    c.refresh = s.refresh == spec::HbmRefresh::kAllBank;

    auto cyc = [&](const units::Seconds& v) { return to_cycles(v.si(), c.tck_s); };
    HbmCycles& t = c.t;
    t.cl = cyc(s.cl);
    t.cwl = cyc(s.cwl);
    t.rcd_rd = cyc(s.trcd_rd);
    t.rcd_wr = cyc(s.trcd_wr);
    t.rp = cyc(s.trp);
    t.ras = cyc(s.tras);
    t.rc = cyc(s.trc);
    t.wr = cyc(s.twr);
    t.rtp = cyc(s.trtp);
    t.ccd_s = cyc(s.tccd_s);
    t.ccd_l = cyc(s.tccd_l);
    t.rrd_s = cyc(s.trrd_s);
    t.rrd_l = cyc(s.trrd_l);
    t.faw = cyc(s.tfaw);
    t.wtr_s = cyc(s.twtr_s);
    t.wtr_l = cyc(s.twtr_l);
    t.rtw = cyc(s.trtw);
    t.rfc = cyc(s.trfc);
    t.refi = cyc(s.trefi);
    if (c.refresh && t.refi <= t.rfc) fail("tREFI must be larger than tRFC");

    std::string why;
    auto mapping = spec::parse_hbm_address_mapping(
        s.address_mapping.empty() ? std::string(spec::kDefaultHbmAddressMapping) : s.address_mapping, why);
    if (!mapping) fail("address_mapping: " + why);
    c.mapping = *mapping;
    const int low = c.mapping.column_low_bits();
    if (low > 0 && c.columns % (std::int64_t{1} << low) != 0)
        fail("address_mapping: 'co:" + std::to_string(low) + "' does not divide the bursts of a row");
    return c;
}

HbmConfig load_hbm_config(const std::string& file, const std::vector<std::string>& assignments) {
    spec::LoadedDesign d = spec::load_design({file}, assignments);
    if (!d.ok()) throw std::invalid_argument(d.diag.format());
    if (d.spec.hbm) return make_hbm_config(*d.spec.hbm);
    if (d.spec.chip) return make_hbm_config(d.spec.chip->hbm);
    throw std::invalid_argument(file + ": no 'hbm' section");
}

}  // namespace chipdse::sysc::hbm
