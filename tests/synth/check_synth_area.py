#!/usr/bin/env python3
"""Runs the area flow (rtl/synth/synth_area.py) on the PE, a bare multiplier and a 2x2 array, and
checks the counts against facts derived by hand from the RTL and from textbook circuits:

- flip-flops: the PE's registers are two operands and one 32-bit accumulator (8+8+32 for int8,
  16+16+32 for bf16; weight, activation and partial sum, 8+8+32, in the weight-stationary PE); the array adds its operand buffers, result buffer, read register and
  controller, whose widths follow from the parameters (rtl/systolic/systolic_array.sv);
- an 8x8 array multiplier has n^2 = 64 AND gates, n(n-2) = 48 full adders and n = 8 half adders
  (Weste & Harris, "CMOS VLSI Design", 4th ed., sec. 11.9; Rabaey, "Digital Integrated Circuits",
  ch. 11): 64 + 48*5 + 8*2 = 320 two-input gates, 48*2 + 8 = 104 of them XORs;
- a flattened array is R*C PEs plus the controller and buffers, less the operand registers on the
  array's right and bottom edges that drive nothing (R + C registers of 8 bits).

    check_synth_area.py OUT_DIR [yosys]
"""
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "rtl", "synth"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import synth_area  # noqa: E402

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def within(x, lo, hi, what):
    check(lo <= x <= hi, f"{what}: {x} in [{lo:g}, {hi:g}]")


def array_top_flops(rows, cols, kmax, operands_per_word):
    """Flip-flops outside the PEs: operand buffers, result buffer, read register, and the controller's
    step counter and latched K, plus a few state and mode bits (2-bit or one-hot state, done, ...)."""
    buffers = (rows + cols) * (kmax // operands_per_word) * 64
    results = rows * ((cols + 1) // 2) * 64
    tw = math.ceil(math.log2(kmax + rows + cols + 1))
    kw = math.ceil(math.log2(kmax + 1))
    base = buffers + results + 64 + tw + kw
    return base + 3, base + 8


def main():
    out = sys.argv[1]
    yosys = sys.argv[2] if len(sys.argv) > 2 else "yosys"
    targets = ["mult8_int8", "pe_int8", "array_int8_2x2", "array_int8_2x2_flat"]
    if synth_area.has_bf16():
        targets.append("pe_bf16")
    if os.path.exists(os.path.join(ROOT, "rtl", "systolic", "files_ws.f")):
        targets.append("pe_ws_int8")
    rc = subprocess.run([sys.executable, os.path.join(ROOT, "rtl", "synth", "synth_area.py"), "--targets",
                         ",".join(targets), "--out", out, "--yosys", yosys])
    check(rc.returncode == 0, "synth_area.py exits 0")
    if rc.returncode != 0:
        return 1
    with open(os.path.join(out, "area.json")) as f:
        t = json.load(f)["targets"]

    # PE registers from the RTL: a_out, b_out (8 bits each) and acc_out (32 bits).
    check(t["pe_int8"]["flops"] == 8 + 8 + 32, f"int8 PE flip-flops {t['pe_int8']['flops']} == 48")
    if "pe_bf16" in t:
        check(t["pe_bf16"]["flops"] == 16 + 16 + 32, f"bf16 PE flip-flops {t['pe_bf16']['flops']} == 64")
        within(t["pe_bf16"]["transistors"] / t["pe_int8"]["transistors"], 1.2, 6.0,
               "bf16 PE / int8 PE transistors (fp32 adder alignment and normalisation)")

    if "pe_ws_int8" in t:
        # weight-stationary PE: w_out, a_out (8 bits each) and psum_out (32 bits)
        check(t["pe_ws_int8"]["flops"] == 8 + 8 + 32, f"weight-stationary PE flip-flops {t['pe_ws_int8']['flops']} == 48")

    # The multiplier against the textbook array multiplier.
    m = t["mult8_int8"]
    within(m["gates"], 0.8 * 320, 1.6 * 320, "8x8 multiplier gates vs 320 (64 AND + 48 FA + 8 HA)")
    xors = m["cells"].get("XOR", 0) + m["cells"].get("XNOR", 0)
    within(xors, 0.8 * 104, 1.6 * 104, "8x8 multiplier XOR/XNOR gates vs 104 (2 per FA, 1 per HA)")
    # 64 AND (6 T), 48 mirror full adders (28 T), 8 half adders (XOR 12 + AND 6)
    within(m["transistors"], 0.8 * 1872, 2.0 * 1872, "8x8 multiplier transistors vs 1872 (textbook cells)")

    # The PE beyond its multiplier: a 32-bit adder (~32 FA, 160 gates) and hold/clear logic in front
    # of 48 flip-flops (~2 gates each).
    pe = t["pe_int8"]
    within(pe["gates"] - m["gates"], 0.5 * 256, 2.5 * 256, "int8 PE gates beyond the multiplier vs 256")

    # 2x2 array, KMAX 16, hierarchical: four PEs and the controller/buffer flops from the parameters.
    h = t["array_int8_2x2"]
    check(h["modules"]["systolic_pe"]["instances"] == 4, "2x2 array instantiates 4 PEs")
    lo, hi = array_top_flops(2, 2, 16, 8)
    within(h["modules"]["systolic_array"]["flops"], lo, hi, "2x2 array flip-flops outside the PEs")

    # Flattened: R*C PEs + the rest, less the edge operand registers that drive nothing.
    f = t["array_int8_2x2_flat"]
    edge = 8 * (2 + 2)
    within(f["flops"], 4 * 48 - edge + lo, 4 * 48 - edge + hi, "flat 2x2 array flip-flops")
    expect_cells = 4 * pe["cells_total"] + h["modules"]["systolic_array"]["cells_total"]
    within(f["cells_total"] / expect_cells, 0.85, 1.1, "flat 2x2 cells / (4 x PE + controller and buffers)")

    seconds = sum(v["yosys_seconds"] for v in t.values())
    print(f"yosys time, all targets: {seconds:.1f} s")
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
