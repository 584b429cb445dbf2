"""The chipdse Python API in one page: chipdse py sweeps/what_if.py [results.sqlite]

Loads a shipped design, changes it with units, evaluates what-ifs, runs the quickstart sweep
into a results store and reads it back as rows, numpy arrays and a Pareto front.
Reference: docs/python.md.
"""
import os
import sys

import numpy as np

import chipdse

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
db = sys.argv[1] if len(sys.argv) > 1 else "what_if.sqlite"

# 1. a design with units: H100 cluster, Llama 3 8B, 1T tokens
d = chipdse.load(f"{root}/arch_configs/systems/dgx-h100-cluster.yaml", f"{root}/workloads/llama3-8b.yaml",
                 set={"system.chips": 1024, "training.tokens": 1e12})
base = d.evaluate()
print(f"{d}: {base['tokens_per_s'] / 1e6:.2f} M tokens/s, {base['tokens_per_joule']:.2f} tokens/J, "
      f"mapping tp{base.mapping['tp']} dp{base.mapping['dp']}")

# 2. what-ifs: a faster clock, more HBM, a faster network (each on a copy)
for what, changes in [("H100 at 2 GHz", {"chip.clock": "2 GHz"}),
                      ("H100 with 6 HBM stacks", {"chip.hbm.stacks": 6}),
                      ("H100 with 100 GB/s scale-out", {"system.scale_out.bandwidth": "100 GB/s"})]:
    r = d.copy().update(changes).evaluate()
    print(f"  {what:32s} tokens/s x{r['tokens_per_s'] / base['tokens_per_s']:.3f}, "
          f"tokens/J x{r['tokens_per_joule'] / base['tokens_per_joule']:.3f}, "
          f"chip power {r['avg_power_w']:.0f} W" + ("" if r.feasible else f" (infeasible: {r.reason})"))
try:
    d["chip.clock"] = 2000                               # a clock without its unit
except chipdse.ConfigError as e:
    print(f"  rejected: {e}")

# 3. a sweep into a results store (resumes when the store has it already)
stats = chipdse.sweep(f"{root}/sweeps/quickstart.yaml", db)
print(f"quickstart: {stats['evaluated']} evaluated, {stats['found']} already stored, {stats['infeasible']} infeasible")

# 4. the store as numpy arrays: the best tokens/J at each clock
store = chipdse.Store(db)
a = store.arrays(["tokens_per_s", "tokens_per_joule", "chip.clock"], sweep="quickstart", feasible_only=True)
for clock in np.unique(a["chip.clock"]):
    at = a["chip.clock"] == clock
    print(f"  {clock / 1e9:.1f} GHz: best {a['tokens_per_joule'][at].max():.2f} tokens/J "
          f"over {int(at.sum())} feasible designs")

# 5. the Pareto front, and the design of its fastest point
front = store.front(sweep="quickstart")
print(f"Pareto front of quickstart: {len(front['front'])} designs of {front['eligible']} eligible")
for p in front["front"]:
    print("  " + ", ".join(f"{k}={v:.4g}" for k, v in p["objectives"].items()) + "  " +
          ", ".join(f"{k}={v}" for k, v in p["axes"].items() if not k.startswith("chip.area")))
fastest = store.design(front["front"][0]["key"])
print(f"fastest design: {fastest['chip.hbm.stacks']} HBM stacks at {fastest['chip.clock']}, "
      f"{fastest['system.chips']} chips")
