"""Optuna's multi-objective samplers on metatune's two-objective test functions: the reference side of
src/bench/scripts/optuna-mo.ts, which runs metatune's searchers on the same functions and seeds and
computes every hypervolume itself (one implementation for both sides).

Reads one JSON job on stdin and prints one JSON document on stdout:
  {"functions": [{"name", "space", "constrained"}], "seeds": [...], "budget": 100,
   "samplers": ["tpe", "nsga2"], "check": {name: [params, ...]}}
  -> {"optuna": version, "check": {name: [[f1, f2, cv], ...]},
      "runs": [{"fn", "sampler", "seed", "seconds", "points": [[f1, f2, cv], ...]}]}

cv is the constraint value (<= 0 feasible; 0 for an unconstrained function). The functions are
written out here; the TypeScript side checks a few values against its own before it reads any run.
Samplers at Optuna's defaults but the seed: TPESampler(seed=seed) and NSGAIISampler(seed=seed), each
with constraints_func for a constrained function (reading the trial's cv). Run Optuna from its
source tree on PYTHONPATH:

  git -C <optuna clone> archive v4.6.0 optuna | tar -x -C /tmp/optuna-4.6
  PYTHONPATH=/tmp/optuna-4.6 /usr/bin/python3 src/bench/reference/optuna_mo.py < job.json
"""

import json
import math
import sys
import time
import warnings

import optuna

C2_R = 0.2


def zdt1(x):
    f1 = x[0]
    g = 1 + 9 / 4 * (x[1] + x[2] + x[3] + x[4])
    return f1, g * (1 - math.sqrt(f1 / g)), 0.0


def c2_constraint(f1, f2):
    near_end = min((f1 - 1) ** 2 + f2**2, (f2 - 1) ** 2 + f1**2) - C2_R**2
    near_middle = (f1 - math.sqrt(0.5)) ** 2 + (f2 - math.sqrt(0.5)) ** 2 - C2_R**2
    return min(near_end, near_middle)


def c2dtlz2(x):
    g = sum((v - 0.5) ** 2 for v in x[1:5])
    angle = math.pi * x[0] / 2
    f1 = (1 + g) * math.cos(angle)
    f2 = (1 + g) * math.sin(angle)
    return f1, f2, c2_constraint(f1, f2)


FUNCTIONS = {"zdt1": zdt1, "c2dtlz2": c2dtlz2}


def coordinates(params, space):
    return [params[name] for name in space]


def constraints(trial):
    return [trial.user_attrs["cv"]]


def sampler(kind, seed, constrained):
    extra = {"constraints_func": constraints} if constrained else {}
    if kind == "tpe":
        return optuna.samplers.TPESampler(seed=seed, **extra)
    if kind == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed, **extra)
    raise ValueError(f"unknown sampler {kind}")


def run(fn, kind, seed, budget):
    evaluate = FUNCTIONS[fn["name"]]
    space = fn["space"]
    points = []

    def objective(trial):
        x = [trial.suggest_float(name, p["low"], p["high"]) for name, p in space.items()]
        f1, f2, cv = evaluate(x)
        trial.set_user_attr("cv", cv)
        points.append([f1, f2, cv])
        return f1, f2

    study = optuna.create_study(directions=["minimize", "minimize"], sampler=sampler(kind, seed, fn["constrained"]))
    t0 = time.perf_counter()
    study.optimize(objective, n_trials=budget)
    return {"fn": fn["name"], "sampler": kind, "seed": seed, "seconds": time.perf_counter() - t0, "points": points}


def main():
    warnings.filterwarnings("ignore")
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    job = json.load(sys.stdin)
    out = {"optuna": optuna.__version__}
    out["check"] = {
        name: [list(FUNCTIONS[name](coordinates(p, next(f["space"] for f in job["functions"] if f["name"] == name)))) for p in points]
        for name, points in job.get("check", {}).items()
    }
    out["runs"] = []
    for fn in job["functions"]:
        for kind in job["samplers"]:
            for seed in job["seeds"]:
                out["runs"].append(run(fn, kind, seed, job["budget"]))
                print(f"optuna {kind} {fn['name']} seed {seed}", file=sys.stderr, flush=True)
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
