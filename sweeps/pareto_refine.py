"""An adaptive candidate generator (search.python in sweeps/pareto_refine.yaml): sample the
space coarsely, then keep refining around the Pareto front until it stops moving.

The space is a fine grid far too large to sweep whole (the sweep file says how large); the
generator sees every result before it proposes the next batch, which YAML's fixed methods
cannot. ctx is a chipdse.SearchContext: ctx.sizes (levels per dimension), ctx.evaluate(points)
(evaluated on the sweep's threads, stored in the results store), ctx.front(results).
See docs/python.md.
"""
import random


def refine(ctx):
    rng = random.Random(ctx.seed)
    sizes = ctx.sizes
    budget = ctx.samples                      # search.samples: how many points to evaluate at most
    seen = {}                                 # levels -> result

    def run(points):
        fresh = []
        for p in points:
            t = tuple(p)
            if t not in seen and t not in fresh:
                fresh.append(t)
        fresh = fresh[: max(0, budget - len(seen))]
        for levels, result in zip(fresh, ctx.evaluate([list(t) for t in fresh])):
            seen[levels] = result
        return len(fresh)

    # 1. a coarse start: a Latin-hypercube-like sample spread over every dimension
    n0 = max(8, budget // 5)
    columns = []
    for size in sizes:
        col = [int((i + rng.random()) * size / n0) for i in range(n0)]
        rng.shuffle(col)
        columns.append(col)
    run([[columns[d][i] for d in range(len(sizes))] for i in range(n0)])

    # 2. refine: the neighbours (one or two levels away, one dimension at a time) of every
    #    point on the current front, until the front has no unseen neighbour or the budget ends
    radius, rounds = 1, 0
    while len(seen) < budget:
        front = ctx.front(list(seen.values()))
        if not front:
            break
        candidates = []
        for r in front:
            for d, size in enumerate(sizes):
                for step in (-radius, radius):
                    level = r["levels"][d] + step
                    if 0 <= level < size:
                        p = list(r["levels"])
                        p[d] = level
                        candidates.append(p)
        rng.shuffle(candidates)
        added = run(candidates)
        rounds += 1
        print(f"refine round {rounds}: front {len(front)} designs, {added} new points, {len(seen)} in all",
              flush=True)
        if added == 0:
            if radius == 2:
                break
            radius = 2  # the front's close neighbours are all known: look a little further
