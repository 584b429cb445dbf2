"""Renders a sweep's report and checks it in a real browser (headless Chromium).

chipdse py tests/report/check_report.py CHIPDSE WORK_DIR SWEEP.yaml FIGURES

Runs the sweep, writes the report, checks the HTML is self-contained and has its sections,
then loads it in Chromium: the page's own check (body data attributes set once loaded) must
report FIGURES figures drawn, none empty and no script errors, and a screenshot must show the
plots. Exits 77 (CTest: skipped) when no Chromium is installed.
"""
import os
import re
import shutil
import subprocess
import sys

chipdse_bin, work, sweep, figures = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def run(cmd, rc=0):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if p.returncode != rc:
        fail(f"{' '.join(cmd)}: exit {p.returncode}, expected {rc}\n{p.stdout}\n{p.stderr}")
    return p


shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
db = os.path.join(work, "results.sqlite")
out = os.path.join(work, "report")
run([chipdse_bin, "sweep", sweep, "--db", db, "-q"])
p = run([chipdse_bin, "report", "--db", db, "-o", out, "--top", "6"])
index = os.path.join(out, "index.html")
if f"report: {index}" not in p.stdout:
    fail(f"report printed {p.stdout!r}")

# bad input is bad input (exit 2) with a message
p = run([chipdse_bin, "report", "--db", db, "--sweep", "nope", "-o", os.path.join(work, "x")], rc=2)
if "no sweep named 'nope'" not in p.stderr:
    fail(p.stderr)
p = run([chipdse_bin, "report", "--db", os.path.join(work, "missing.sqlite"), "-o", os.path.join(work, "x")], rc=2)
if "no such results store" not in p.stderr:
    fail(p.stderr)

# ---- the file: self-contained, every section, provenance
text = open(index, encoding="utf-8").read()
for pattern in [r"""(src|href)\s*=\s*["']?(https?:)?//""", r"<link\b", r"url\(\s*['\"]?https?:", r"@import"]:
    m = re.search(pattern, text, re.I)
    if m:
        fail(f"the page refers to something outside it: {text[max(0, m.start() - 60):m.end() + 60]!r}")
for section in ["summary", "pareto", "breakdown", "sensitivity", "roofline", "designs", "spec"]:
    if f"<section id='{section}'" not in text:
        fail(f"no section {section}")
n_fig = text.count("<figure class='plot'")
if n_fig != figures:
    fail(f"{n_fig} figures in the HTML, expected {figures}")
if text.count("<svg") < figures:
    fail("a figure has no SVG")
for needle in ["<h2>Provenance</h2>", "chipdse report --db", os.path.abspath(db), "matplotlib "]:
    if needle not in text:
        fail(f"provenance lacks {needle!r}")

# ---- the browser
browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
if not browser:
    print("SKIP: no chromium installed (tools/setup.sh installs it)")
    sys.exit(77)
flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]
url = "file://" + os.path.abspath(index)


def chromium(extra, name):
    profile = os.path.join(work, "profile-" + name)  # a fresh profile each time
    return subprocess.run([browser] + flags + [f"--user-data-dir={profile}"] + extra + [url],
                          capture_output=True, text=True, timeout=180)


dom = chromium(["--dump-dom", "--virtual-time-budget=5000"], "dom")
body = re.search(r"<body([^>]*)>", dom.stdout)
if not body:
    fail(f"chromium printed no page:\n{dom.stderr[-2000:]}")
attrs = dict(re.findall(r'data-([a-z]+)="([^"]*)"', body.group(1)))
print("page check:", attrs)
if attrs.get("figures") != str(figures) or attrs.get("broken") != "0" or attrs.get("errors") != "0":
    fail(f"the page's own check says {attrs}; expected {figures} figures, 0 broken, 0 errors")
console = [l for l in dom.stderr.splitlines() if "CONSOLE" in l or "Uncaught" in l]
if console:
    fail("console messages:\n" + "\n".join(console))

png = os.path.join(work, "report.png")
shot = chromium([f"--screenshot={png}", "--window-size=1280,6000", "--hide-scrollbars"], "shot")
if not os.path.isfile(png):
    fail(f"no screenshot:\n{shot.stderr[-2000:]}")

import numpy as np
from matplotlib import image

img = image.imread(png)
if img.shape[0] != 6000 or img.shape[1] != 1280:
    fail(f"screenshot is {img.shape}")
rgb = (img[:, :, :3] * 255).round().astype(np.int32)
not_white = (rgb[:1000].sum(axis=2) < 740).mean()  # the top of the page: a short page is fine
red = ((abs(rgb[:, :, 0] - 214) < 20) & (abs(rgb[:, :, 1] - 39) < 25) & (abs(rgb[:, :, 2] - 40) < 25)).sum()
colours = len(np.unique(rgb[::4, ::4].reshape(-1, 3) // 8, axis=0))
print(f"screenshot {png}: {not_white:.1%} not white, {red} pixels of the front's red, {colours} colours")
if not_white < 0.03:
    fail("the screenshot is (nearly) blank")
if figures > 0 and (red < 50 or colours < 40):
    fail("the screenshot shows no plots")
print("ok:", index)
