#include "dse/model/technology.h"

#include <array>

namespace chipdse::model {
namespace {
// Sources (docs/power_area_cost.md): wafer prices from CSET "AI Chips: What They Are and Why
// They Matter" (2020, Table 4: 16 nm $3,984, 7 nm $9,346, 5 nm $16,988) and press reports for
// N3 (~$20,000); defect densities from TSMC's 2020 technology symposium (N7/N5 ~0.09/0.07 per
// cm^2 at maturity); SRAM macro densities from published bit-cell areas (N16 0.074, N7 0.027,
// N5 0.021, N3 0.0199 um^2) x ~2.1 array/periphery overhead; logic areas scaled by TSMC's
// quoted logic density gains (N7->N5 1.8x, N5->N3 1.6x; N4 ~1.06x over N5). MAC, vector and
// PHY areas are first-order estimates calibrated so that A100, H100 and TPU v4 land within
// 25% of their published die areas (tests/model/test_area_cost.cpp).
// Logic densities (MTr/mm^2, TSMC high-density cells as computed by WikiChip from the
// published cell dimensions: 16FF+ 28.9, 12FFC 33.8, N7 91.2, N5 171.3, N4 ~1.06 x N5 = 181.6,
// N3 ~1.7 x N5 = 291; docs/rtl_area.md) turn synthesised transistor counts into mm^2.
constexpr std::array<NodeTechnology, 6> kNodes{{
    //  nm   MAC um2  vec um2/flop  SRAM mm2/MiB  HBM PHY  SerDes/Gbps  wafer $  D0/cm2  MTr/mm2
    {3,    500,     1300,         0.42,         11.0,    0.008,       20000,   0.10,   291.0},
    {4,    720,     1900,         0.45,         12.0,    0.009,       17000,   0.07,   181.6},
    {5,    760,     2000,         0.46,         12.5,    0.010,       16988,   0.07,   171.3},
    {7,    1370,    3600,         0.60,         14.0,    0.013,       9346,    0.09,   91.2},
    {12,   2600,    6800,         1.20,         17.0,    0.020,       4000,    0.08,   33.8},
    {16,   3000,    7800,         1.30,         18.0,    0.022,       3984,    0.08,   28.9},
}};
}  // namespace

const NodeTechnology& technology_for(double node_m) {
    const double nm = node_m * 1e9;
    for (const auto& n : kNodes)
        if (nm <= n.node_nm + 1e-9) return n;
    return kNodes.back();
}

double mac_area_factor(int p) {
    // fp32, tf32, bf16, fp16, fp8, int8, fp4 (index of spec::Precision)
    static constexpr double k[] = {4.0, 1.6, 1.0, 1.3, 0.45, 0.3, 0.2};
    return p >= 0 && p < 7 ? k[p] : 1.0;
}

}  // namespace chipdse::model
