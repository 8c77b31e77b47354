#!/usr/bin/env python3
"""The strongest bound a per-provider decomposition gives on a market's weight, and a dive from it,
against the solver's answer: evidence for how far the solver's answers and bounds are from the
optimum where it proves nothing (markets short of capacity, and the chain-weighted markets with
room to spare).

For each market given as REQUESTS,PROVIDERS,TIGHTNESS,DENSITY,SEED (the generator of
`gridshard-solve --generate`, uniform weights), or that with `:degree` (weighted as the chain
weighs them, `--weights degree`), or as a market file ending in `.json` (such as the node's
`matching_snapshot`):

1. `gridshard-solve` with a 2-s limit: its answer (energy E, weight) and its bound. The script goes
   on only where the solver proves E the most energy (its bound's energy part is E): on a market
   short of capacity, and on one where every request is served (E is then all the demand).
2. Dantzig-Wolfe decomposition by column generation: a column is a packing of one provider
   (requests within its capacity); the master linear programme chooses at most one packing per
   provider, each request at most once, with at least E Wh in all, for the most weight. Its
   pricing problem is one 0-1 knapsack per provider at the master's prices (request `u_i`, energy
   `mu` per Wh), solved exactly by dynamic programming over the capacity. At convergence the
   master's value equals the Lagrangian bound `sum u - mu E + sum_j max knapsack_j`, the best bound
   of any relaxation that keeps each provider's capacity row whole: the knapsack bound of
   `solver/src/knapsack_bound.rs` at its best prices, with the energy priced too. Where E is the
   total capacity, every packing it uses fills its provider exactly.
3. A dive: fix the provider whose packing the master uses most, generate columns again on what is
   left (energy short of E is allowed at a prohibitive price, so the master stays feasible), and
   repeat; it ends with an assignment or at a dead end (the providers left cannot be filled). The
   assignment is scored by `gridshard-solve --check` (the chain's checker, which would refuse it
   if it were not feasible), and the solver's search then runs 2 s from it (`--start`).

With `--no-dive` first, the script stops after the bound (a dive on a market with room to spare
takes many times the bound's time: every request must go somewhere). With `--tolerance F` first,
the master and the dive need only `(1 - F) E` Wh: what a little less energy than the most would
buy in weight (a question about the objective, which puts every Wh first). With `--dive-out FILE`
(and one market) the dive's assignment is written to `FILE`, in the form of `gridshard-solve`'s
`assignment`: for a snapshot, what `matching_solutionTransaction` turns into a transaction.
Without markets: the benchmark's three 200x20 markets short of capacity.

Floating point (HiGHS through SciPy): figures for a report, not certificates. Run by
scripts/decomposition-bound.sh, which builds the solver and installs NumPy and SciPy if needed.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy.optimize import linprog

SOLVE = f"{os.environ['CARGO_TARGET_DIR']}/release/gridshard-solve"
# A Wh short of the energy costs this many times the largest weight in the master (so that a
# dive's master stays feasible while its columns cannot give the energy yet): far above the
# energy's price at the master's optimum (some 0.3 to 0.4 times the largest weight per Wh on the
# 200x20 tight markets, where every provider must be full), so that a shortfall is left only where
# nothing else can serve.
SHORT_PRICE = 10
# The markets when none is given: the benchmark's three 200x20 markets short of capacity.
BENCHMARK_TIGHT = ["200,20,70,60,200090", "200,20,70,60,200091", "200,20,70,60,200092"]


def percent(value, reference):
    return f"{100 * (value / reference - 1):+.2f} %"


def solver(spec, *flags):
    """`gridshard-solve` on the market `spec` names (a market file, or a generated market)."""
    if spec.endswith(".json"):
        source = ["--market", spec]
    else:
        market, _, weights = spec.partition(":")
        source = ["--generate", market, "--weights", weights or "uniform"]
    output = subprocess.run([SOLVE, *source, *flags], check=True, capture_output=True)
    return json.loads(output.stdout)


def read_market(spec):
    """The market `spec` names: a market file's contents, or the generated market."""
    if spec.endswith(".json"):
        with open(spec) as file:
            return json.load(file)
    return solver(spec, "--print-market")


class Decomposition:
    """The master programme's columns and its pricing problems for one market."""

    def __init__(self, market):
        self.demand = market["requests"]
        self.capacities = market["capacities"]
        self.weight = {(i, j): w for i, j, w in market["pairs"]}
        self.short_price = SHORT_PRICE * max(self.weight.values())
        self.options = [[] for _ in self.capacities]
        for i, j, w in market["pairs"]:
            self.options[j].append((i, w))
        self.columns = []  # (provider, requests)
        self.known = set()

    def add(self, provider, requests):
        if (provider, requests) not in self.known:
            self.known.add((provider, requests))
            self.columns.append((provider, requests))
            return True
        return False

    def master(self, open_providers, free, energy):
        """The master over the columns of `open_providers` using only `free` requests, serving at
        least `energy` Wh: its value, the prices of requests, providers and energy, each column's
        share and the energy short."""
        used = [
            k
            for k, (j, s) in enumerate(self.columns)
            if j in open_providers and all(i in free for i in s)
        ]
        n, m = len(self.demand), len(self.capacities)
        cost = [-self.worth(*self.columns[k]) for k in used]
        matrix = np.zeros((n + m + 1, len(used) + 1))
        for column, k in enumerate(used):
            j, s = self.columns[k]
            for i in s:
                matrix[i, column] = 1
            matrix[n + j, column] = 1
            matrix[n + m, column] = -sum(self.demand[i] for i in s)
        matrix[n + m, len(used)] = -1  # energy short of the target
        limits = np.array([1.0] * (n + m) + [-energy])
        costs = np.array(cost + [self.short_price])
        # HiGHS's own choice of method first; interior point where it reports trouble.
        for method in ("highs", "highs-ipm"):
            answer = linprog(costs, A_ub=matrix, b_ub=limits, bounds=(0, None), method=method)
            if answer.status == 0:
                break
        else:
            raise RuntimeError(f"the master programme failed: {answer.message}")
        prices = -answer.ineqlin.marginals
        shares = {k: answer.x[column] for column, k in enumerate(used)}
        short = answer.x[-1]
        return -answer.fun, prices[:n], prices[n : n + m], prices[n + m], shares, short

    def worth(self, provider, requests):
        """The weight of a packing."""
        return sum(self.weight[(i, provider)] for i in requests)

    def best_packing(self, provider, u, mu, free):
        """Provider's best packing of free requests at prices `u` and `mu`: (value, requests)."""
        capacity = self.capacities[provider]
        items = [
            (i, w - u[i] + mu * self.demand[i])
            for i, w in self.options[provider]
            if i in free and self.demand[i] <= capacity
        ]
        items = [(i, p) for i, p in items if p > 1e-9]
        best = np.zeros(capacity + 1)
        taken = np.zeros((len(items), capacity + 1), bool)
        for k, (i, p) in enumerate(items):
            load = self.demand[i]
            packed = best[:-load] + p
            better = packed > best[load:] + 1e-12
            taken[k, load:] = better
            best[load:] = np.where(better, packed, best[load:])
        room = int(np.argmax(best))
        value, chosen = best[room], []
        for k in range(len(items) - 1, -1, -1):
            if taken[k, room]:
                chosen.append(items[k][0])
                room -= self.demand[items[k][0]]
        return value, tuple(sorted(chosen))

    def generate(self, open_providers, free, energy):
        """Column generation to convergence: (value, Lagrangian bound, shares, rounds), or None
        where the requests left cannot give `energy`."""
        for rounds in range(1, 10_000):
            value, u, sigma, mu, shares, short = self.master(open_providers, free, energy)
            added, bound = 0, sum(u) - mu * energy
            for j in open_providers:
                worth, packing = self.best_packing(j, u, mu, free)
                bound += worth
                if worth > sigma[j] + 1e-6 and self.add(j, packing):
                    added += 1
            if not added:
                return (value, bound, shares, rounds) if short < 1e-6 else None
        raise RuntimeError("column generation did not converge")


def report(spec, tolerance, dive_out, no_dive):
    started = time.time()
    answer = solver(spec, "--time-limit-ms", "2000")
    market = read_market(spec)
    energy, weight = answer["energy"], answer["weight"]
    bound_energy, bound_weight = answer["bound_energy"], answer["bound_weight"]
    line = f"{spec}: solver 2 s: weight {weight}"
    line += f", bound {bound_weight} ({percent(bound_weight, weight)})"
    if bound_energy != energy:
        print(f"{line}; energy not proven, no decomposition", flush=True)
        return
    decomposition = Decomposition(market)
    for j in range(len(market["capacities"])):
        decomposition.add(j, tuple(i for i, a in enumerate(answer["assignment"]) if a == j))
    providers, free = set(range(len(market["capacities"]))), set(range(len(market["requests"])))
    if tolerance:
        energy = int(energy * (1 - tolerance))
        line += f"; energy at least {energy} Wh ({tolerance:.2%} less)"
    _, bound, shares, rounds = decomposition.generate(providers, free, energy)
    line += f"; decomposition bound {bound:.0f} ({percent(bound, weight)}, {rounds} rounds"
    line += f", {time.time() - started:.0f} s)"
    if no_dive:
        print(line, flush=True)
        return
    assignment = dive(decomposition, providers, free, energy, shares)
    if assignment is None:
        line += f"; dive: dead end with {len(providers)} providers left"
    else:
        # The dive's assignment through the solver: scored by its checker, then (where the
        # energy is the most) its search for 2 s from it.
        if dive_out:
            with open(dive_out, "w") as file:
                json.dump(assignment, file)
        with tempfile.NamedTemporaryFile("w", suffix=".json") as start:
            json.dump(assignment, start)
            start.flush()
            checked = solver(spec, "--check", start.name)
            if not tolerance:
                polished = solver(spec, "--start", start.name, "--time-limit-ms", "2000")
        line += f"; dive {checked['weight']} ({percent(checked['weight'], weight)})"
        if checked["energy"] != answer["energy"]:
            line += f", {answer['energy'] - checked['energy']} Wh less energy than ours"
        if not tolerance:
            polished = polished["weight"]
            line += f", our search from it 2 s: {polished} ({percent(polished, weight)})"
    print(f"{line}, {time.time() - started:.0f} s in all", flush=True)


def dive(decomposition, providers, free, energy, shares):
    """Fixes the provider whose packing the master uses most, then generates columns again on
    what is left, until every provider is fixed (returns the assignment: each request's provider
    or None) or the rest cannot give the energy (returns None, `providers` those left)."""
    assignment = [None] * len(decomposition.demand)
    while True:
        k = max(shares, key=lambda k: (shares[k], -k))
        j, packing = decomposition.columns[k]
        providers.discard(j)
        free -= set(packing)
        energy -= sum(decomposition.demand[i] for i in packing)
        for i in packing:
            assignment[i] = j
        if not providers:
            return assignment
        left = decomposition.generate(providers, free, energy)
        if left is None:
            return None
        shares = left[2]


if __name__ == "__main__":
    arguments = sys.argv[1:]
    tolerance, dive_out, no_dive = 0.0, None, False
    while arguments[:1] in (["--tolerance"], ["--dive-out"], ["--no-dive"]):
        option = arguments.pop(0)
        if option == "--no-dive":
            no_dive = True
        elif not arguments:
            sys.exit(__doc__)
        elif option == "--tolerance":
            tolerance = float(arguments.pop(0))
        else:
            dive_out = arguments.pop(0)
    markets = arguments or BENCHMARK_TIGHT
    if dive_out and (len(markets) > 1 or no_dive):
        sys.exit(__doc__)
    for spec in markets:
        report(spec, tolerance, dive_out, no_dive)
