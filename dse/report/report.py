"""chipdse report: one self-contained HTML page about a sweep in a results store.

Run by the embedded Python of `chipdse report` (this text is compiled into the binary). It
reads the store through the `chipdse` module, draws with matplotlib (Debian's
python3-matplotlib) into SVG inlined in the page, and needs no network to view. Sections:
summary, Pareto front, time and energy breakdowns of the top designs, sensitivity per axis,
roofline of the best design, top designs table, the sweep spec and provenance.
"""
import datetime
import html
import io
import math
import os
import platform
import re
import sys

import chipdse


class ReportInputError(ValueError):
    """Bad input: no store, unknown sweep, nothing to report."""


class ReportError(RuntimeError):
    """The environment lacks something (matplotlib)."""


TIME_PARTS = [
    ("time_compute_s", "compute"),
    ("time_memory_s", "memory-bound ops"),
    ("time_tp_comm_s", "TP/EP comm"),
    ("time_pp_bubble_s", "pipeline bubble"),
    ("time_dp_comm_s", "DP comm (exposed)"),
    ("time_optimizer_s", "optimizer"),
]
ENERGY_PARTS = [
    ("energy_mac_j", "MAC + vector"),
    ("energy_sram_j", "SRAM + NoC"),
    ("energy_hbm_j", "HBM"),
    ("energy_link_j", "links + network"),
    ("energy_static_j", "static"),
    ("energy_system_j", "hosts, switches, PUE"),
]
# metrics shown in the top designs table besides the objectives
KEY_METRICS = ["step_time_s", "mfu", "avg_power_w", "die_area_mm2", "chip_cost_usd", "tco_usd", "time_to_train_s"]
COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
          "#17becf"]
FRONT_COLOR = "#d62728"

UNITS = [
    ("tokens_per_s", "tokens/s"), ("tokens_per_joule", "tokens/J"), ("tokens_per_dollar", "tokens/$"),
    ("_mm2", "mm²"), ("_usd", "$"), ("_bytes", "B"), ("_kg", "kg"), ("_hz", "Hz"), ("_w", "W"), ("_j", "J"),
    ("_s", "s"),
]


def unit_of(metric):
    for suffix, unit in UNITS:
        if metric == suffix or metric.endswith(suffix):
            return unit
    return ""


def eng(v, unit=""):
    """1234567 -> '1.23 M' (engineering prefixes); fractions of 1 as they are."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if unit == "$":
        return "$" + eng(v).strip()
    a = abs(v)
    if a == 0:
        return "0" + (" " + unit if unit else "")
    prefixes = [(1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m"), (1e-6, "µ"),
                (1e-9, "n"), (1e-12, "p")]
    if unit in ("", "tokens/s", "tokens/J", "tokens/$") and 1e-3 <= a < 1e3:
        return f"{v:.3g}" + (" " + unit if unit else "")
    for scale, p in prefixes:
        if a >= scale:
            return f"{v / scale:.3g} {p}{unit}".rstrip()
    return f"{v:.3g} {unit}".rstrip()


def esc(s):
    return html.escape(str(s), quote=True)


def parse_rule(text):
    """'m <= 3', 'm > 2', 'm == 1', 'm' -> (metric, test)."""
    m = re.match(r"^\s*([A-Za-z0-9_]+)\s*(<=|>=|==|<|>)\s*(\S+)\s*$", text)
    if not m:
        name = text.strip()
        return name, lambda v: v == v and v != 0
    name, op, num = m.group(1), m.group(2), float(m.group(3))
    tests = {
        "<=": lambda v: v <= num, ">=": lambda v: v >= num, "==": lambda v: v == num,
        "<": lambda v: v < num, ">": lambda v: v > num,
    }
    return name, tests[op]


def short_value(text):
    """'752.021857923497 W' -> '752 W' (derived values carry every digit); other text as is."""
    m = re.match(r"^(-?[0-9]+\.[0-9]{4,})(?:[eE][-+]?[0-9]+)?(\s.*)?$", text or "")
    if not m:
        return text
    return f"{float(text.split()[0]):.4g}" + (m.group(2) or "")


def value_si(text):
    try:
        return chipdse.si(text)
    except Exception:
        return None


def place_labels(fig, ax, points, texts, fontsize=8, color="#3c4043", bold=False):
    """Annotates points with texts where they overlap neither each other nor the points: each
    label tries offsets at growing distances and takes the first free one (a leader line
    joins it to its point when it had to move away)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData.transform
    marks = []
    for x, y in points:
        px, py = to_px((x, y))
        marks.append((px - 4, py - 4, px + 4, py + 4))
    frame = ax.get_window_extent(renderer)
    placed = []
    steps = [(6, 4), (6, -12), (-6, 4), (-6, -12), (0, 14), (0, -22)]
    offsets = []
    for r in (1, 2, 3, 4, 5, 6):
        for dx, dy in steps:
            offsets.append((dx * (1 + 0.6 * (r - 1)), dy + (r - 1) * (10 if dy > 0 else -10)))

    def overlaps(b, boxes):
        return any(not (b[2] < o[0] or b[0] > o[2] or b[3] < o[1] or b[1] > o[3]) for o in boxes)

    for (x, y), text in zip(points, texts):
        ann = ax.annotate(text, (x, y), xytext=(6, 4), textcoords="offset points", fontsize=fontsize, color=color,
                          fontweight="bold" if bold else "normal", annotation_clip=False, zorder=5,
                          bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none", alpha=0.85))
        chosen = None
        for dx, dy in offsets:
            ann.set_position((dx, dy))
            ann.set_horizontalalignment("left" if dx >= 0 else "right")
            bb = ann.get_window_extent(renderer)
            box = (bb.x0 - 1, bb.y0 - 1, bb.x1 + 1, bb.y1 + 1)
            inside = box[0] >= frame.x0 and box[2] <= frame.x1 and box[1] >= frame.y0 and box[3] <= frame.y1
            if inside and not overlaps(box, placed) and not overlaps(box, marks):
                chosen = (dx, dy, box)
                break
        if chosen is None:
            dx, dy = offsets[0]
            ann.set_position((dx, dy))
            ann.set_horizontalalignment("left")
            bb = ann.get_window_extent(renderer)
            chosen = (dx, dy, (bb.x0, bb.y0, bb.x1, bb.y1))
        dx, dy, box = chosen
        placed.append(box)
        if (dx, dy) != offsets[0]:  # moved away: a leader line says whose label it is
            ax.annotate("", (x, y), xytext=(dx, dy + (3 if dy > 0 else 0)), textcoords="offset points", zorder=4,
                        arrowprops=dict(arrowstyle="-", color="#9aa0a6", lw=0.6, shrinkA=0, shrinkB=3))


def eng_axis(axis, unit=""):
    """Tick labels with engineering prefixes (4 M, 200 ms) instead of an offset like 1e7."""
    from matplotlib.ticker import EngFormatter
    axis.set_major_formatter(EngFormatter(unit=unit, sep=" "))


class Figure:
    """A matplotlib figure rendered to inline SVG."""

    count = 0

    def __init__(self, plt, name):
        self.plt, self.name = plt, name

    def svg(self, fig):
        Figure.count += 1
        self.plt.rcParams["svg.hashsalt"] = "chipdse-" + self.name  # ids unique per figure, stable per run
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
        self.plt.close(fig)
        text = buf.getvalue()
        return text[text.index("<svg"):]


class Report:
    def __init__(self, plt, store, rec, top, command, version, db):
        self.plt, self.store, self.rec, self.top = plt, store, rec, top
        self.command, self.version, self.db = command, version, db
        self.name = rec["name"]
        self.objectives = []
        for text in rec["objectives"]:
            verb, metric = text.split(None, 1)
            self.objectives.append((metric.strip(), verb.startswith("max")))
        self.constraints = [parse_rule(c) for c in rec["constraints"]]
        self.rows = store.rows(sweep=self.name)
        spec = chipdse.parse_yaml(rec["spec_yaml"]) if rec["spec_yaml"] else {}
        self.spec = spec if isinstance(spec, dict) else {}
        self.axes = self.axis_groups()
        self.eligible = [r for r in self.rows if r["feasible"] and self.meets(r)]
        self.front_keys = []
        self.front = []
        if self.objectives:
            fr = store.front(sweep=self.name)
            self.front = fr["front"]
            self.front_keys = [p["key"] for p in self.front]
        self.top_rows = self.pick_top()
        self.figures = []  # (id, title, caption, svg or None, message)

    # ---------------------------------------------------------------- data
    def meets(self, row):
        for metric, test in self.constraints:
            v = row["metrics"].get(metric, float("nan"))
            if not (v == v and test(v)):
                return False
        return True

    def axis_groups(self):
        """The sweep's dimensions: a list of path lists (zipped axes together)."""
        groups = []
        for a in self.spec.get("axes", []) or []:
            if not isinstance(a, dict):
                continue
            if "zip" in a and isinstance(a["zip"], list):
                paths = [z.get("path") for z in a["zip"] if isinstance(z, dict) and z.get("path")]
                if paths:
                    groups.append(paths)
            elif a.get("path"):
                groups.append([a["path"]])
        if not groups and self.rows:
            groups = [[p] for p in self.rows[0]["axes"].keys()]
        return groups

    def rank_key(self, row):
        metric, maximize = self.objectives[0] if self.objectives else ("tokens_per_s", True)
        v = row["metrics"].get(metric, float("nan"))
        if v != v:
            return float("inf")
        return -v if maximize else v

    def pick_top(self):
        by_key = {r["key"]: r for r in self.eligible}
        top = [by_key[k] for k in self.front_keys if k in by_key]
        top.sort(key=self.rank_key)
        top = top[: self.top]
        if len(top) < self.top:
            rest = sorted((r for r in self.eligible if r["key"] not in set(self.front_keys)), key=self.rank_key)
            top += rest[: self.top - len(top)]
        return top

    def label(self, row):
        for i, r in enumerate(self.top_rows):
            if r["key"] == row["key"]:
                return f"D{i + 1}"
        return ""

    def metric_label(self, metric, maximize=None):
        unit = unit_of(metric)
        arrow = "" if maximize is None else ("  (higher is better)" if maximize else "  (lower is better)")
        return f"{metric}" + (f" [{unit}]" if unit and unit not in metric.replace("_", "/") else "") + arrow

    # ---------------------------------------------------------------- plots
    def add(self, fid, title, caption, draw):
        try:
            svg, message = draw(), ""
        except NothingToPlot as e:
            svg, message = None, str(e)
        self.figures.append((fid, title, caption, svg, message))

    def log_scale(self, values):
        v = [x for x in values if x == x and x > 0]
        return len(v) == len(values) and len(v) > 1 and max(v) / min(v) > 30

    def pareto_plot(self):
        plt = self.plt
        if not self.objectives:
            raise NothingToPlot("The sweep names no objectives, so it has no Pareto front.")
        if not self.eligible:
            raise NothingToPlot("No design is valid, feasible and within the constraints.")
        fig, ax = plt.subplots(figsize=(12, 6.2))
        (m1, max1) = self.objectives[0]
        top_keys = {r["key"] for r in self.top_rows}
        if len(self.objectives) == 1:
            ranked = sorted(self.eligible, key=self.rank_key)
            ys = [r["metrics"][m1] for r in ranked]
            ax.plot(range(1, len(ys) + 1), ys, ".", color="#9aa0a6", ms=4, label="eligible designs")
            n_top = min(self.top, len(ys))
            ax.plot(range(1, n_top + 1), ys[:n_top], "o", color=FRONT_COLOR, ms=7, label="top designs")
            ax.set_xlabel("rank among the eligible designs")
            ax.set_ylabel(self.metric_label(m1, max1))
            if self.log_scale(ys):
                ax.set_yscale("log")
            else:
                eng_axis(ax.yaxis)
            ax.grid(True, alpha=0.3)
            ax.legend(loc="best", fontsize=9)
            place_labels(fig, ax, [(i + 1, ys[i]) for i in range(n_top)], [self.label(r) for r in ranked[:n_top]],
                         fontsize=9, color="#202124", bold=True)
            return Figure(plt, "pareto").svg(fig)
        else:
            (m2, max2) = self.objectives[1]
            xs = [r["metrics"].get(m1, float("nan")) for r in self.eligible]
            ys = [r["metrics"].get(m2, float("nan")) for r in self.eligible]
            big = len(xs) > 4000
            if len(self.objectives) >= 3:
                m3 = self.objectives[2][0]
                cs = [r["metrics"].get(m3, float("nan")) for r in self.eligible]
                sc = ax.scatter(xs, ys, c=cs, s=10, cmap="viridis", alpha=0.6, rasterized=big,
                                label="eligible designs")
                fig.colorbar(sc, ax=ax, label=self.metric_label(m3, self.objectives[2][1]))
            else:
                ax.scatter(xs, ys, s=10, color="#9aa0a6", alpha=0.6, rasterized=big, label="eligible designs")
            fx = [p["objectives"][m1] for p in self.front]
            fy = [p["objectives"][m2] for p in self.front]
            order = sorted(range(len(fx)), key=lambda i: fx[i])
            ax.plot([fx[i] for i in order], [fy[i] for i in order], "-", color=FRONT_COLOR, lw=1.2, alpha=0.7)
            ax.scatter(fx, fy, s=46, color=FRONT_COLOR, edgecolor="white", linewidth=0.8, zorder=3,
                       label=f"Pareto front ({len(self.front)} designs)")
            others = [r for r in self.top_rows if r["key"] not in set(self.front_keys)]
            if others:
                ax.scatter([r["metrics"].get(m1) for r in others], [r["metrics"].get(m2) for r in others], s=46,
                           facecolor="none", edgecolor="#202124", linewidth=1.0, zorder=3,
                           label="other top designs (not on the front)")
            ax.set_xlabel(self.metric_label(m1, max1))
            ax.set_ylabel(self.metric_label(m2, max2))
            if self.log_scale(xs):
                ax.set_xscale("log")
            else:
                eng_axis(ax.xaxis)
            if self.log_scale(ys):
                ax.set_yscale("log")
            else:
                eng_axis(ax.yaxis)
            ax.grid(True, alpha=0.3)
            ax.legend(loc="best", fontsize=9)
            place_labels(fig, ax, [(r["metrics"].get(m1), r["metrics"].get(m2)) for r in self.top_rows],
                         [self.label(r) for r in self.top_rows], fontsize=9, color="#202124", bold=True)
            return Figure(plt, "pareto").svg(fig)

    def breakdown_plot(self):
        plt = self.plt
        if not self.top_rows:
            raise NothingToPlot("No eligible designs to break down.")
        rows = self.top_rows[::-1]
        labels = [self.label(r) for r in rows]
        h = 0.32 * len(rows) + 0.9
        fig, (a1, a2) = plt.subplots(2, 1, figsize=(12, 2 * h + 0.8), gridspec_kw={"hspace": 0.4})
        for ax, parts, title, unit, per_token in (
            (a1, TIME_PARTS, "Where the step time goes: seconds per training step", "s", False),
            (a2, ENERGY_PARTS, "Where the energy goes: joules per token (system, after PUE)", "J", True),
        ):
            left = [0.0] * len(rows)
            for i, (metric, name) in enumerate(parts):
                vals = []
                for r in rows:
                    v = r["metrics"].get(metric, 0.0)
                    v = 0.0 if v != v else v
                    if per_token:
                        total = r["metrics"].get("energy_to_train_j", 0.0)
                        per = r["metrics"].get("energy_per_token_j", 0.0)
                        v = v / total * per if total and total == total else 0.0
                    vals.append(v)
                ax.barh(labels, vals, left=left, color=COLORS[i % len(COLORS)], label=name, height=0.7)
                left = [a + b for a, b in zip(left, vals)]
            for y, total in enumerate(left):
                ax.annotate(eng(total, unit), (total, y), xytext=(4, 0), textcoords="offset points", va="center",
                            fontsize=8, color="#3c4043")
            ax.set_xlim(0, max(left) * 1.12 if max(left) > 0 else 1)
            eng_axis(ax.xaxis, unit)
            ax.set_title(title, fontsize=10, loc="left")
            ax.grid(True, axis="x", alpha=0.3)
            ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        return Figure(plt, "breakdown").svg(fig)

    def sensitivity_plot(self):
        plt = self.plt
        if not self.axes:
            raise NothingToPlot("The sweep has no axes.")
        if not self.eligible:
            raise NothingToPlot("No eligible designs: nothing to compare across axis values.")
        objectives = self.objectives[:3] or [("tokens_per_s", True)]
        n = len(self.axes)
        fig, axs = plt.subplots(len(objectives), n, figsize=(max(2.6 * n, 7.0), 2.5 * len(objectives) + 0.8),
                                squeeze=False)
        for col, paths in enumerate(self.axes):
            path = paths[0]
            # levels in the order of their values (text for non-numeric values)
            levels = {}
            for r in self.rows:
                t = r["axes"].get(path)
                if t is not None:
                    levels.setdefault(t, value_si(t))
            order = sorted(levels, key=lambda t: (levels[t] is None, levels[t] if levels[t] is not None else 0, t))
            counts = {t: 0 for t in order}
            for r in self.rows:
                t = r["axes"].get(path)
                if t in counts:
                    counts[t] += 1
            for row_i, (metric, maximize) in enumerate(objectives):
                ax = axs[row_i][col]
                best, med, lo, hi, share = [], [], [], [], []
                for t in order:
                    vals = sorted(r["metrics"][metric] for r in self.eligible
                                  if r["axes"].get(path) == t and r["metrics"].get(metric) == r["metrics"].get(metric))
                    share.append(len(vals) / counts[t] if counts[t] else 0)
                    if not vals:
                        best.append(float("nan")); med.append(float("nan")); lo.append(float("nan")); hi.append(float("nan"))
                        continue
                    best.append(vals[-1] if maximize else vals[0])
                    med.append(vals[len(vals) // 2])
                    lo.append(vals[int(0.1 * (len(vals) - 1))])
                    hi.append(vals[int(0.9 * (len(vals) - 1))])
                x = list(range(len(order)))
                none = [xi for xi, v in zip(x, best) if v != v]
                if none:  # values no eligible design has: a cross at the bottom
                    ax.plot(none, [0.04] * len(none), "x", color=FRONT_COLOR, ms=5, mew=1.2,
                            transform=ax.get_xaxis_transform(), clip_on=False, label="no eligible design")
                ax.fill_between(x, lo, hi, color=COLORS[0], alpha=0.15, label="10–90 %")
                ax.plot(x, med, "--", color=COLORS[0], lw=1, label="median")
                ax.plot(x, best, "o-", color=FRONT_COLOR, lw=1.6, ms=4, label="best")
                every = max(1, math.ceil(len(order) / 7))  # at most 7 labels: fine axes stay readable
                ticks = x[::every]
                ax.set_xticks(ticks)
                short = [t if len(t) <= 9 else t[:8] + "…" for t in order[::every]]
                ax.set_xticklabels(short, rotation=35 if len(ticks) > 4 else 0,
                                   ha="right" if len(ticks) > 4 else "center", fontsize=8)
                ax.grid(True, alpha=0.3)
                ax.tick_params(axis="y", labelsize=8)
                if self.log_scale([v for v in best + lo if v == v]):
                    ax.set_yscale("log")
                else:
                    eng_axis(ax.yaxis)
                if col == 0:
                    ax.set_ylabel(metric, fontsize=9)
                if row_i == 0:
                    ax.set_title(" + ".join(paths), fontsize=9)
                if row_i == len(objectives) - 1:
                    if share and min(share) < 1:
                        text = (f"{min(share):.0%} eligible at each value" if max(share) - min(share) < 0.005
                                else f"eligible at a value: {min(share):.0%}–{max(share):.0%}")
                        ax.set_xlabel(text, fontsize=7)
        handles, labels = {}, []
        for row in axs:
            for ax in row:
                for h, l in zip(*ax.get_legend_handles_labels()):
                    handles.setdefault(l, h)
        fig.legend(list(handles.values()), list(handles.keys()), loc="upper right", fontsize=7, ncol=len(handles),
                   frameon=False, bbox_to_anchor=(1.0, 1.04))
        fig.tight_layout()
        return Figure(plt, "sensitivity").svg(fig)

    def roofline_plot(self):
        plt = self.plt
        if not self.top_rows:
            raise NothingToPlot("No eligible design to place on a roofline.")
        best = self.top_rows[0]
        try:
            design = self.store.design(best["key"])
        except chipdse.ConfigError as e:
            raise NothingToPlot(f"The best design's stored config does not load: {e}")
        rl = chipdse.roofline(design)
        if not rl["ok"]:
            raise NothingToPlot(f"No roofline: {rl['error']}")
        self.roofline = rl
        ops = rl["ops"]
        fig, ax = plt.subplots(figsize=(12, 6.2))
        xs = [o["intensity"] for o in ops]
        lo_i = min(xs + [rl["ridge_intensity"]]) / 4
        hi_i = max(xs + [rl["ridge_intensity"]]) * 4
        n = 200
        grid = [lo_i * (hi_i / lo_i) ** (k / (n - 1)) for k in range(n)]
        peak, bw = rl["peak_flops"], rl["hbm_bytes_per_s"]
        ax.plot(grid, [min(peak, bw * i) for i in grid], "-", color="#202124", lw=2,
                label=f"roofline: {eng(peak, 'FLOP/s')} {rl['precision']}, {eng(bw, 'B/s')} HBM")
        ax.plot(grid, [min(peak * rl["matrix_fraction"], bw * i) for i in grid], "--", color="#5f6368", lw=1,
                label=f"achievable matrix ({rl['matrix_fraction']:.0%} of peak)")
        if rl["vector_flops"] > 0:
            ax.plot(grid, [min(rl["vector_flops"], bw * i) for i in grid], ":", color="#5f6368", lw=1.2,
                    label=f"vector units: {eng(rl['vector_flops'], 'FLOP/s')}")
        kinds = {"gemm": COLORS[0], "attention": COLORS[2], "elementwise": COLORS[1]}
        seen = set()
        for o in ops:
            kind = o["kind"]
            ax.scatter([o["intensity"]], [o["attained_flops"]], s=36, color=kinds.get(kind, COLORS[4]), zorder=3,
                       edgecolor="white", linewidth=0.6, label=None if kind in seen else f"{kind} ops")
            seen.add(kind)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(min(o["attained_flops"] for o in ops) / 6, peak * 3)
        ax.set_xlabel("arithmetic intensity [FLOP/byte of HBM traffic]")
        ax.set_ylabel("attained [FLOP/s] per chip")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
        place_labels(fig, ax, [(o["intensity"], o["attained_flops"]) for o in ops], [o["name"] for o in ops], fontsize=7)
        return Figure(plt, "roofline").svg(fig)

    # ---------------------------------------------------------------- html
    def mapping_text(self, m):
        if not m or m.get("tp") is None:
            return ""
        s = f"tp{m['tp']} pp{m['pp']} dp{m['dp']}"
        if (m.get("cp") or 1) > 1:
            s += f" cp{m['cp']}"
        if (m.get("ep") or 1) > 1:
            s += f" ep{m['ep']}"
        s += f" z{m.get('zero', 0)} mb{m.get('microbatch', 1)}"
        if m.get("recompute") not in (None, "", "none"):
            s += f" rc:{m['recompute']}"
        return s

    def table_html(self):
        if not self.top_rows:
            return "<p class='note'>No design is valid, feasible and within the constraints.</p>"
        axis_paths = [p for group in self.axes for p in group]
        derived = [k for k in self.top_rows[0]["axes"].keys() if k not in axis_paths]
        obj_metrics = [m for m, _ in self.objectives]
        extra = [m for m in KEY_METRICS if m not in obj_metrics]
        head = ["design", "front"] + obj_metrics + axis_paths + derived + ["mapping"] + extra + ["key"]
        out = ["<table class='designs'><thead><tr>"]
        for h in head:
            cls = " class='obj'" if h in obj_metrics else (" class='axis'" if h in axis_paths else "")
            out.append(f"<th{cls}>{esc(h)}</th>")
        out.append("</tr></thead><tbody>")
        front = set(self.front_keys)
        for r in self.top_rows:
            cells = [f"<b>{esc(self.label(r))}</b>", "●" if r["key"] in front else ""]
            for m in obj_metrics:
                cells.append(esc(eng(r["metrics"].get(m), unit_of(m))))
            for p in axis_paths + derived:
                cells.append(esc(short_value(r["axes"].get(p, ""))))
            cells.append(esc(self.mapping_text(r["mapping"])))
            for m in extra:
                v = r["metrics"].get(m)
                cells.append(esc(f"{v:.1%}" if m in ("mfu", "hfu") and v == v else eng(v, unit_of(m))))
            cells.append(f"<code>{esc(r['key'][:12])}</code>")
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        out.append("</tbody></table>")
        return "".join(out)

    def summary_html(self):
        valid = sum(1 for r in self.rows if r["valid"])
        feasible = sum(1 for r in self.rows if r["feasible"])
        items = [
            ("designs in the sweep", len(self.rows)),
            ("valid configs", valid),
            ("feasible", feasible),
            ("within the constraints", len(self.eligible)),
            ("on the Pareto front", len(self.front) if self.objectives else "–"),
        ]
        cards = "".join(f"<div class='card'><div class='num'>{esc(v)}</div><div class='lbl'>{esc(k)}</div></div>"
                        for k, v in items)
        goals = ", ".join(("maximize " if mx else "minimize ") + m for m, mx in self.objectives) or "none"
        cons = ", ".join(self.rec["constraints"]) or "none"
        best = ""
        if self.top_rows:
            r = self.top_rows[0]
            shown = [m for m, _ in self.objectives] or ["tokens_per_s", "tokens_per_joule"]
            vals = ", ".join(f"{m} = {eng(r['metrics'].get(m), unit_of(m))}" for m in shown)
            best = f"<p>Best by {esc(shown[0])}: <b>D1</b> ({esc(vals)})</p>"
        reasons = {}
        for r in self.rows:
            if not r["feasible"] and r["reason"]:
                why = r["reason"].split(";")[0].split("\n")[0]
                why = re.sub(r"[0-9][0-9.,]*( ?[A-Za-zµ²/]+)?", "N", why)[:90]
                reasons[why] = reasons.get(why, 0) + 1
        why_html = ""
        if reasons:
            lines = "".join(f"<li>{n} × {esc(w)}</li>" for w, n in sorted(reasons.items(), key=lambda x: -x[1])[:5])
            why_html = f"<details><summary>Why designs were rejected</summary><ul>{lines}</ul></details>"
        fidelity = self.rec.get("fidelity", "analytical")
        return (f"<div class='cards'>{cards}</div><p>Objectives: <b>{esc(goals)}</b>. Constraints: <b>{esc(cons)}</b>. "
                f"Fidelity: <b>{esc(fidelity)}</b> (rows at that fidelity only).</p>"
                f"{best}{why_html}")

    def provenance_html(self):
        import matplotlib
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        rows = [
            ("chipdse", self.version),
            ("date", now),
            ("command", self.command or "chipdse report"),
            ("results store", os.path.abspath(self.db)),
            ("sweep", f"{self.name} ({self.rec['path']})"),
            ("sweep fingerprint", self.rec["fingerprint"]),
            ("fidelity", self.rec.get("fidelity", "analytical")),
            ("rows of the sweep / in the store", f"{len(self.rows)} / {self.store.count()}"),
            ("plots", f"matplotlib {matplotlib.__version__}, Python {platform.python_version()}"),
        ]
        return "<table class='prov'>" + "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows) + "</table>"

    def figure_html(self, fid, title, caption, svg, message):
        if svg is None:
            return f"<section id='{fid}'><h2>{esc(title)}</h2><p class='note'>{esc(message)}</p></section>"
        return (f"<section id='{fid}'><h2>{esc(title)}</h2><figure class='plot' id='fig-{fid}'>{svg}"
                f"<figcaption>{caption}</figcaption></figure></section>")

    def page(self):
        desc = self.spec.get("description", "") if isinstance(self.spec.get("description", ""), str) else ""
        parts = [HEAD.replace("%TITLE%", esc(f"chipdse report: {self.name}"))]
        parts.append(f"<header><h1>Sweep <code>{esc(self.name)}</code></h1><p class='desc'>{esc(desc)}</p>"
                     "<nav>" + " · ".join(f"<a href='#{f[0]}'>{esc(f[1])}</a>" for f in self.figures) +
                     " · <a href='#designs'>Top designs</a> · <a href='#spec'>Spec and provenance</a></nav></header>")
        parts.append(f"<section id='summary'><h2>Summary</h2>{self.summary_html()}</section>")
        for f in self.figures:
            parts.append(self.figure_html(*f))
        note = ("<p class='note'>D1… are the Pareto-front designs ranked by the first objective (then the best "
                "other eligible designs when the front is smaller); ● marks the front. Axis values as resolved; "
                "mapping as chosen by the model.</p>") if self.top_rows else ""
        parts.append(f"<section id='designs'><h2>Top designs</h2>{self.table_html()}{note}</section>")
        parts.append(f"<section id='spec'><h2>Sweep spec</h2><pre>{esc(self.rec['spec_yaml'])}</pre>"
                     f"<h2>Provenance</h2>{self.provenance_html()}</section>")
        parts.append(TAIL)
        return "".join(parts)

    def build(self):
        obj_text = " vs ".join(m for m, _ in self.objectives[:2])
        self.add("pareto", "Pareto front",
                 f"Every valid, feasible design within the constraints (grey) and the non-dominated ones "
                 f"({esc(obj_text)}) in red; D1… label the top designs.", self.pareto_plot)
        self.add("breakdown", "Time and energy of the top designs",
                 "Step time by what bounds it (the model's time_*_s metrics) and energy per token by where it goes "
                 "(energy_*_j over the run, divided by the tokens).", self.breakdown_plot)
        self.add("sensitivity", "Sensitivity per axis",
                 "For each value of each axis: the best objective among the eligible designs with that value (red), "
                 "the median (dashed) and the 10–90 % band; the other axes vary freely.", self.sensitivity_plot)
        self.add("roofline", "Roofline of the best design",
                 "The ops of one transformer layer (forward, one micro-batch, the mapping the model chose), the "
                 "embedding and the logits of D1 on its chip: attained FLOP/s against FLOP per byte of HBM traffic "
                 "(kernel overheads included).", self.roofline_plot)
        if getattr(self, "roofline", None):
            rl = self.roofline
            best = self.top_rows[0]
            title = (f"D1 on {rl['precision']} at {eng(rl['clock_hz'], 'Hz')}"
                     + (" (throttled to the TDP)" if rl["throttled"] else "")
                     + f", mapping {self.mapping_text(best['mapping'])}; ridge at "
                     f"{rl['ridge_intensity']:.0f} FLOP/byte.")
            fid, t, cap, svg, msg = self.figures[-1]
            self.figures[-1] = (fid, t, cap + " " + esc(title), svg, msg)
        return self.page()


class NothingToPlot(Exception):
    pass


HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>%TITLE%</title>
<style>
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:0 auto;max-width:1180px;padding:0 24px 40px;color:#202124;background:#fff}
header{border-bottom:2px solid #e8eaed;margin-bottom:8px}
h1{font-size:24px;margin:22px 0 4px} h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #e8eaed;padding-bottom:4px}
.desc{color:#5f6368;margin:2px 0 8px} nav{font-size:13px;margin:6px 0 12px} a{color:#1a73e8;text-decoration:none}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0}
.card{border:1px solid #dadce0;border-radius:8px;padding:10px 16px;min-width:120px}
.num{font-size:22px;font-weight:bold} .lbl{font-size:12px;color:#5f6368}
figure{margin:0} figure svg{max-width:100%;height:auto;display:block}
figcaption{font-size:13px;color:#5f6368;margin-top:4px}
.note{color:#5f6368;font-size:13px}
table{border-collapse:collapse;font-size:12px}
table.designs{display:block;overflow-x:auto;max-width:100%}
th,td{border:1px solid #e0e0e0;padding:4px 7px;text-align:left;white-space:nowrap}
th{background:#f1f3f4} th.obj{background:#fce8e6} th.axis{background:#e8f0fe}
table.prov th{width:220px} table.prov td{white-space:normal;word-break:break-all}
pre{background:#f8f9fa;border:1px solid #e8eaed;padding:10px;font-size:12px;overflow-x:auto}
details{font-size:13px;margin:6px 0}
</style></head><body>
"""

TAIL = """
<script>
// The page checks itself once loaded (read by tests/report): figures drawn, none empty, no script errors.
(function () {
  var errors = 0;
  window.addEventListener('error', function () { errors++; document.body.dataset.errors = errors; });
  window.addEventListener('load', function () {
    var figs = document.querySelectorAll('figure.plot'), broken = 0;
    figs.forEach(function (f) {
      var s = f.querySelector('svg');
      var r = s ? s.getBoundingClientRect() : null;
      if (!r || r.width < 100 || r.height < 100) broken++;
    });
    document.body.dataset.figures = figs.length;
    document.body.dataset.broken = broken;
    document.body.dataset.errors = errors;
  });
})();
</script>
</body></html>
"""


def main(db, out_dir, sweep="", top=8, command="", version=""):
    """Writes out_dir/index.html for a sweep of the store at db; returns its path."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise ReportError(f"chipdse report draws with matplotlib, which this Python lacks ({e}); "
                          "install python3-matplotlib (tools/setup.sh does)")
    plt.rcParams.update({"svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 10,
                         "axes.spines.top": False, "axes.spines.right": False})
    if not os.path.isfile(db):
        raise ReportInputError(f"{db}: no such results store")
    store = chipdse.Store(db)
    sweeps = store.sweeps()
    if not sweeps:
        raise ReportInputError(f"{db}: no sweep has written to this store")
    if sweep:
        recs = [s for s in sweeps if s["name"] == sweep]
        if not recs:
            names = ", ".join(s["name"] for s in sweeps)
            raise ReportInputError(f"no sweep named '{sweep}' in {db}; it has: {names}")
        rec = recs[0]
    else:
        rec = sweeps[-1]
    report = Report(plt, store, rec, top, command, version, db)
    if not report.rows:
        raise ReportInputError(f"sweep '{rec['name']}' has no rows in {db}")
    text = report.build()
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "index.html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path
