#pragma once
// Process-node technology parameters for the area and cost models: area per MAC, SRAM
// density, PHY and SerDes area, wafer price, defect density and logic transistor density. Values
// and sources: docs/power_area_cost.md and docs/rtl_area.md. Nodes between table rows take the next larger node's row.
namespace chipdse::model {

struct NodeTechnology {
    double node_nm;
    double mac_bf16_um2;          // one bf16 MAC with fp32 accumulate, tensor-core style (operand staging included)
    double vector_um2_per_flop;   // per fp32 FLOP/cycle of SIMD lanes, register file share included
    double sram_mm2_per_mib;      // SRAM macro density incl. periphery
    double hbm_phy_mm2;           // one HBM PHY + controller
    double serdes_mm2_per_gbps;   // SerDes area per Gb/s of one-direction link bandwidth
    double wafer_price_usd;       // 300 mm wafer
    double defect_density_cm2;    // defects per cm^2
    double logic_mtr_per_mm2;     // standard-cell logic density, million transistors per mm^2 (densest cells, no routing loss)
};

// The row for a node given in metres (e.g. 4e-9).
const NodeTechnology& technology_for(double node_m);

// Area of one MAC of a precision relative to bf16 (multiplier area ~ mantissa width squared).
double mac_area_factor(int precision_index);

}  // namespace chipdse::model
