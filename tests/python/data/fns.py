"""Functions named by the sweep files of tests/python (python: fns.py:NAME)."""
import threading
import time


def tdp(p):
    # a table lookup an expression cannot do: TDP by HBM stacks, scaled by the clock
    base = {2: 300.0, 4: 400.0, 6: 520.0}[int(p["chip.hbm.stacks"])]
    return base * p["chip.clock"] / 1.5e9


def tdp_text(p):
    return "450 W"


def score(p):
    return p["tokens_per_s"] / p["chip_cost_usd"]


def cheap(p):
    return p["chip_cost_usd"] * p["system.chips"] < 1.6e6


def fails_at_64(p):
    if p["system.chips"] == 64:
        return {}["no such key"]  # KeyError
    return p["tokens_per_s"]


def derived_fails_fast_clock(p):
    if p["chip.clock"] > 2e9:
        raise ValueError("clock too fast for the table")
    return 400.0


def returns_none(p):
    return None


def returns_text(p):
    return "fast"


def thread_id(p):
    time.sleep(0.004)  # sleeping releases the GIL: other threads run python meanwhile
    return float(threading.get_ident() % 1000003)


KEPT = []


def keeps_point(p):
    KEPT.append(p)
    return 1.0


def generator(ctx):
    # a batch by level indices, then one by values; every result is checked here
    assert ctx.sizes == [3, 4, 2], ctx.sizes
    assert ctx.paths == ["chip.hbm.stacks", "chip.clock", "system.chips"], ctx.paths
    first = ctx.evaluate([[0, 0, 0], [2, 3, 1], [1, 1, 0]])
    assert [r["levels"] for r in first] == [[0, 0, 0], [2, 3, 1], [1, 1, 0]]
    assert all(r["valid"] and "tokens_per_s" in r["metrics"] for r in first), first
    # dicts name values (text with units, or numbers as written), lists name level indices
    second = ctx.evaluate([{"chip.hbm.stacks": 6, "chip.clock": "2.5 GHz", "system.chips": 64},
                           {"chip.hbm.stacks": 2, "chip.clock": "1500 MHz", "system.chips": 32}])
    assert second[0]["levels"] == [2, 3, 1], second[0]["levels"]
    assert second[0]["key"] == first[1]["key"]          # the same point: read back, same key
    assert second[1]["levels"] == [0, 1, 0]
    front = ctx.front(first + second)
    assert front and all(r["ok"] for r in front)
    # the rest of the budget: neighbours of the front
    todo = []
    for r in front:
        for d, size in enumerate(ctx.sizes):
            for step in (-1, 1):
                lv = list(r["levels"])
                lv[d] += step
                if 0 <= lv[d] < size:
                    todo.append(lv)
    ctx.evaluate(todo[: ctx.samples])


def generator_fails(ctx):
    ctx.evaluate([[0, 0, 0], [1, 0, 0]])
    raise RuntimeError("the generator gave up")


def generator_out_of_range(ctx):
    ctx.evaluate([[0, 9, 0]])
