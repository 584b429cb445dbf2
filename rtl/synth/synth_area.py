#!/usr/bin/env python3
"""Liberty-free area flow for the systolic RTL: yosys generic synthesis, cell counts by type and a
transistor estimate per cell type, written as JSON (docs/rtl_area.md).

    synth_area.py [--targets pe_int8,array_int8_4x4,...] [--out DIR] [--yosys yosys] [--list]

Each target gets DIR/<target>.ys (the exact yosys script), DIR/<target>.log and an entry in
DIR/area.json. Arrays are synthesised hierarchically (one PE module, counted once per instance)
unless the target name ends in _flat, which flattens and optimises across PE boundaries.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RTL = os.path.dirname(HERE)
SYSTOLIC = os.path.join(RTL, "systolic")

# Gates abc may use: yosys's "gates" set plus MUX. Inverters are always allowed.
GATE_LIBRARY = "AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX"

# Transistors per yosys internal cell, static CMOS (N. Weste, D. Harris, "CMOS VLSI Design",
# 4th ed., ch. 1 and 9-10): INV 2, NAND2/NOR2 4, AND2/OR2 = NAND2/NOR2 + INV 6, ANDNOT/ORNOT
# (A&~B, A|~B) = INV + NOR2/NAND2 6, XOR2/XNOR2 12 (complementary gate with input inverters),
# MUX2 12 (AOI22 + inverters; a transmission-gate mux needs 6-8), D flip-flop 24 (static
# master-slave latch pair with transmission gates and local clock inverters, no reset or scan).
# Enables and synchronous resets are mapped to gates in front of a plain $_DFF_P_ (dfflegalize).
TRANSISTORS = {
    "NOT": 2, "NAND": 4, "NOR": 4, "AND": 6, "OR": 6, "ANDNOT": 6, "ORNOT": 6,
    "XOR": 12, "XNOR": 12, "MUX": 12, "DFF_P": 24,
}
FLOP_CELLS = {"DFF_P"}


def _shape(text):
    m = re.fullmatch(r"(\d+)x(\d+)", text)
    if not m or int(m.group(1)) < 2 or int(m.group(2)) < 2:
        raise ValueError(f"array shape '{text}': expected ROWSxCOLS, both at least 2")
    return int(m.group(1)), int(m.group(2))


def systolic_sources(file_list="files.f"):
    """The systolic RTL in the order of a file list (rtl/systolic/files.f, files_ws.f)."""
    with open(os.path.join(SYSTOLIC, file_list)) as f:
        names = [l.strip() for l in f if l.strip().endswith(".sv") and not l.startswith("#")]
    return [os.path.join(SYSTOLIC, n) for n in names]


def has_bf16():
    """True when the PE has the bf16 datapath (parameter BF16, rtl/systolic/mac_bf16.sv)."""
    return any(os.path.basename(s) == "mac_bf16.sv" for s in systolic_sources())


def target_spec(name):
    """The yosys inputs of one target name; ValueError for an unknown name."""
    if name == "mult8_int8":
        return dict(top="synth_mult8", sources=[os.path.join(HERE, "synth_mult8.sv")], params={}, flatten=True)
    m = re.fullmatch(r"(pe|array)_ws_int8(?:_(\d+x\d+))?", name)
    if m and (m.group(1) == "pe") == (m.group(2) is None):
        if not os.path.exists(os.path.join(SYSTOLIC, "files_ws.f")):
            raise ValueError(f"target '{name}': the RTL has no weight-stationary array (rtl/systolic/files_ws.f)")
        if m.group(1) == "pe":
            return dict(top="systolic_pe_ws", sources=systolic_sources("files_ws.f"), params={}, flatten=True)
        rows, cols = _shape(m.group(2))
        # MMAX: the smallest legal activation buffer (at least 16 and a multiple of 8 covering ROWS).
        mmax = max(16, 8 * ((rows + 7) // 8))
        mmax = 1 << (mmax - 1).bit_length()
        return dict(top="systolic_array_ws", sources=systolic_sources("files_ws.f"),
                    params={"ROWS": rows, "COLS": cols, "MMAX": mmax}, flatten=False)
    m = re.fullmatch(r"(pe|array)_(int8|bf16)(?:_(\d+x\d+))?(_flat)?", name)
    if m and (m.group(1) == "pe") == (m.group(3) is None) and not (m.group(1) == "pe" and m.group(4)):
        if m.group(2) == "bf16" and not has_bf16():
            raise ValueError(f"target '{name}': the RTL has no bf16 PE (rtl/systolic/mac_bf16.sv)")
        params = {"BF16": 1} if m.group(2) == "bf16" else {}
        if m.group(1) == "pe":
            return dict(top="systolic_pe", sources=systolic_sources(), params=params, flatten=True)
        rows, cols = _shape(m.group(3))
        # KMAX 16, the smallest legal operand buffer: a chip feeds the array from SRAM macros, and
        # a generic flow would turn deep buffers into flip-flops (docs/rtl_area.md).
        params.update({"ROWS": rows, "COLS": cols, "KMAX": 16})
        return dict(top="systolic_array", sources=systolic_sources(), params=params, flatten=bool(m.group(4)))
    raise ValueError(f"unknown target '{name}'; known: {', '.join(default_targets())} "
                     "(and array_{int8,bf16}_RxC[_flat], array_ws_int8_RxC for any R, C >= 2)")


def default_targets():
    names = ["mult8_int8", "pe_int8", "array_int8_4x4", "array_int8_8x8", "array_int8_16x16"]
    if has_bf16():
        names += ["pe_bf16", "array_bf16_4x4", "array_bf16_8x8", "array_bf16_16x16"]
    if os.path.exists(os.path.join(SYSTOLIC, "files_ws.f")):
        names += ["pe_ws_int8", "array_ws_int8_4x4", "array_ws_int8_8x8", "array_ws_int8_16x16"]
    return names


def yosys_script(spec, stat_path):
    lines = ["read_verilog -sv " + " ".join(os.path.relpath(s, RTL) for s in spec["sources"])]
    if spec["params"]:
        sets = " ".join(f"-set {k} {v}" for k, v in spec["params"].items())
        lines.append(f"chparam {sets} {spec['top']}")
    lines.append(f"synth -top {spec['top']}" + (" -flatten" if spec["flatten"] else ""))
    lines.append("dfflegalize -cell $_DFF_P_ 01")
    lines.append(f"abc -g {GATE_LIBRARY}")
    lines.append("opt_clean")
    lines.append(f"tee -q -o {stat_path} stat")
    return "\n".join(lines) + "\n"


def parse_stat(text):
    """{module: {cell type or submodule name: count}} from yosys `stat` output."""
    modules = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"^=== (.+) ===$", line.strip())
        if m:
            current = None if m.group(1) == "design hierarchy" else m.group(1)
            if current is not None:
                modules[current] = {}
            continue
        if current is None:
            continue
        m = re.match(r"^\s+(\S+)\s+(\d+)$", line)
        if m and not line.strip().startswith("Number of"):
            modules[current][m.group(1)] = int(m.group(2))
    return modules


def top_module(modules):
    """The one module no other module instantiates."""
    used = {k for cells in modules.values() for k in cells if k in modules}
    tops = [m for m in modules if m not in used]
    if len(tops) != 1:
        raise RuntimeError(f"expected one top module in the stat output; got {tops}")
    return tops[0]


def display_name(module):
    """systolic_pe for yosys's $paramod\\systolic_pe\\BF16=... names."""
    return module.split("\\")[1] if module.startswith("$paramod") else module


def flatten_counts(modules, top):
    """Cell counts of top with every submodule instance expanded, and instances per module."""
    cells, instances = {}, {top: 1}

    def walk(mod, mult):
        for kind, n in modules[mod].items():
            if kind in modules:
                instances[kind] = instances.get(kind, 0) + mult * n
                walk(kind, mult * n)
            else:
                m = re.fullmatch(r"\$_(\w+?)_", kind)
                if not m or m.group(1) not in TRANSISTORS:
                    raise RuntimeError(f"cell type {kind} in {mod} has no transistor count")
                cells[m.group(1)] = cells.get(m.group(1), 0) + mult * n

    walk(top, 1)
    return cells, instances


def summarise(cells):
    flops = sum(n for k, n in cells.items() if k in FLOP_CELLS)
    total = sum(cells.values())
    transistors = sum(TRANSISTORS[k] * n for k, n in cells.items())
    return dict(cells=dict(sorted(cells.items())), cells_total=total, flops=flops, gates=total - flops,
                transistors=transistors, nand2_equivalents=round(transistors / TRANSISTORS["NAND"], 1))


def run_target(name, out_dir, yosys):
    spec = target_spec(name)
    stat_path = os.path.join(out_dir, f"{name}.stat")
    script = yosys_script(spec, stat_path)
    ys_path = os.path.join(out_dir, f"{name}.ys")
    with open(ys_path, "w") as f:
        f.write(script)
    t0 = time.monotonic()
    with open(os.path.join(out_dir, f"{name}.log"), "w") as log:
        rc = subprocess.run([yosys, "-q", "-l", log.name, "-s", ys_path], cwd=RTL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    seconds = time.monotonic() - t0
    if rc.returncode != 0:
        raise RuntimeError(f"yosys failed on {name} (exit {rc.returncode}): {rc.stderr.strip()[-2000:]}")
    with open(stat_path) as f:
        modules = parse_stat(f.read())
    cells, instances = flatten_counts(modules, top_module(modules))
    result = dict(top=spec["top"], params=spec["params"], flatten=spec["flatten"],
                  sources=[os.path.relpath(s, RTL) for s in spec["sources"]], yosys_seconds=round(seconds, 2))
    result.update(summarise(cells))
    # Per module: its own cells (submodule instances excluded) and how many instances there are.
    result["modules"] = {}
    for mod, inst in instances.items():
        own = {k[2:-1]: n for k, n in modules[mod].items() if k not in modules}
        entry = dict(instances=inst)
        entry.update(summarise(own))
        result["modules"][display_name(mod)] = entry
    return result


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--targets", default=",".join(default_targets()), help="comma-separated target names")
    ap.add_argument("--out", default="synth_out", help="output folder (created)")
    ap.add_argument("--yosys", default="yosys", help="yosys executable")
    ap.add_argument("--list", action="store_true", help="print the default targets and exit")
    args = ap.parse_args(argv)
    if args.list:
        print("\n".join(default_targets()))
        return 0
    try:
        names = [t for t in args.targets.split(",") if t]
        for n in names:
            target_spec(n)
    except ValueError as e:
        print(f"synth_area: {e}", file=sys.stderr)
        return 2
    args.out = os.path.abspath(args.out)
    os.makedirs(args.out, exist_ok=True)
    out = dict(flow=dict(tool=subprocess.run([args.yosys, "-V"], capture_output=True, text=True).stdout.strip(),
                         gate_library=GATE_LIBRARY, transistors_per_cell=TRANSISTORS,
                         steps="synth; dfflegalize -cell $_DFF_P_ 01; abc -g " + GATE_LIBRARY + "; opt_clean; stat"),
               targets={})
    for n in names:
        try:
            r = run_target(n, args.out, args.yosys)
        except RuntimeError as e:
            print(f"synth_area: {e}", file=sys.stderr)
            return 1
        out["targets"][n] = r
        print(f"{n:24s} {r['cells_total']:8d} cells {r['flops']:7d} flops {r['transistors']:9d} transistors "
              f"({r['yosys_seconds']:.1f} s)")
    path = os.path.join(args.out, "area.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
