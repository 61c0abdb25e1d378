"""Optuna's TPESampler on metatune's searcher test functions: the reference side of
src/bench/scripts/optuna-tpe.ts, which runs metatune's tpe on the same functions and seeds.

Reads one JSON job on stdin and prints one JSON document on stdout:
  {"functions": [{"name", "space", "order"}], "seeds": [...], "budget": 100,
   "check": {name: [params, ...]}, "estimator": {"space", "observations", "points"}, "speed": [{"fn": {"name", "space", "order"}, "trials": [[params, value], ...], "asks": 20}]}
  -> {"optuna": version, "check": {name: [value, ...]}, "estimator": [log density, ...], "runs": [{"fn", "seed", "best"}],
      "speed": [{"function", "trials", "asks", "ms_per_ask", "cpu_ms_per_ask"}]}

The search space comes from the job (metatune's own definition: float/int/categorical params, `when`
conditions, `order` listing parents before children), so both sides search the same space. The
functions are written out here; the TypeScript side checks a few values against its own before any
run. Sampler: TPESampler(multivariate=True, group=True when the space has conditions, seed=seed),
every other setting at Optuna's default. Run Optuna from its source tree on PYTHONPATH:

  git -C <optuna clone> archive v4.6.0 optuna | tar -x -C /tmp/optuna-4.6
  PYTHONPATH=/tmp/optuna-4.6 /usr/bin/python3 src/bench/reference/optuna_tpe.py < job.json
"""

import json
import math
import sys
import time
import warnings

import optuna


def branin(p):
    x1, x2 = p["x1"], p["x2"]
    b = 5.1 / (4 * math.pi * math.pi)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


H_A = [
    [10, 3, 17, 3.5, 1.7, 8],
    [0.05, 10, 17, 0.1, 8, 14],
    [3, 3.5, 1.7, 10, 17, 8],
    [17, 8, 0.05, 10, 0.1, 14],
]
H_P = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]
H_ALPHA = [1, 1.2, 3, 3.2]


def hartmann6(p):
    s = 0.0
    for i in range(4):
        inner = sum(H_A[i][j] * (p[f"x{j + 1}"] - H_P[i][j]) ** 2 for j in range(6))
        s -= H_ALPHA[i] * math.exp(-inner)
    return s


def conditional(p):
    pen = (p["n"] - 3) ** 2 / 20
    if p["model"] == "bowl":
        return 0.5 + (p["a"] - 1.5) ** 2 / 10 + (math.log10(p["b"]) + 2) ** 2 / 4 + pen
    du = p["u"] - 0.3
    dv = p["v"] - 0.7
    return 4 * (du * du + dv * dv) + 0.3 * (1 - math.cos(4 * math.pi * du) * math.cos(4 * math.pi * dv)) + pen


def styblinski_tang20(p):
    return sum(p[f"x{j}"] ** 4 - 16 * p[f"x{j}"] ** 2 + 5 * p[f"x{j}"] for j in range(1, 21)) / 2


# untimed asks before the timed ones (both sides): first-call costs are not a suggestion's
WARMUP_ASKS = 3

FUNCTIONS = {
    "branin": branin,
    "hartmann6": hartmann6,
    "conditional": conditional,
    "styblinski_tang20": styblinski_tang20,
}


def active(param, chosen):
    for parent, allowed in (param.get("when") or {}).items():
        if parent not in chosen or chosen[parent] not in allowed:
            return False
    return True


def suggest(trial, space, order):
    chosen = {}
    for name in order:
        param = space[name]
        if not active(param, chosen):
            continue
        kind = param["type"]
        if kind == "float":
            chosen[name] = trial.suggest_float(name, param["low"], param["high"], log=bool(param.get("log", False)))
        elif kind == "int":
            chosen[name] = trial.suggest_int(name, param["low"], param["high"], step=param.get("step", 1), log=bool(param.get("log", False)))
        elif kind == "categorical":
            chosen[name] = trial.suggest_categorical(name, param["choices"])
        else:
            chosen[name] = param["value"]
    return chosen


def distributions(space):
    out = {}
    for name, param in space.items():
        kind = param["type"]
        if kind == "float":
            out[name] = optuna.distributions.FloatDistribution(param["low"], param["high"], log=bool(param.get("log", False)))
        elif kind == "int":
            out[name] = optuna.distributions.IntDistribution(param["low"], param["high"], step=param.get("step", 1), log=bool(param.get("log", False)))
        elif kind == "categorical":
            out[name] = optuna.distributions.CategoricalDistribution(param["choices"])
    return out


def sampler(space, seed):
    grouped = any("when" in p for p in space.values())
    return optuna.samplers.TPESampler(multivariate=True, group=grouped, seed=seed)


def run(fn, seed, budget):
    evaluate = FUNCTIONS[fn["name"]]
    study = optuna.create_study(sampler=sampler(fn["space"], seed), direction="minimize")
    study.optimize(lambda trial: evaluate(suggest(trial, fn["space"], fn["order"])), n_trials=budget)
    return study.best_value


def speed(fn, trials, asks):
    space = fn["space"]
    dists = distributions(space)
    study = optuna.create_study(sampler=sampler(space, 0), direction="minimize")
    study.add_trials(
        [
            optuna.trial.create_trial(params=params, distributions={k: dists[k] for k in params}, value=value)
            for params, value in trials
        ]
    )
    total = 0.0
    cpu = 0.0
    for _ in range(WARMUP_ASKS):
        trial = study.ask()
        suggest(trial, space, fn["order"])
        study.tell(trial, state=optuna.trial.TrialState.FAIL)
    for _ in range(asks):
        t0 = time.perf_counter()
        c0 = time.process_time()
        trial = study.ask()
        suggest(trial, space, fn["order"])
        total += time.perf_counter() - t0
        cpu += time.process_time() - c0
        study.tell(trial, state=optuna.trial.TrialState.FAIL)
    return {"function": fn["name"], "trials": len(trials), "asks": asks, "ms_per_ask": 1000 * total / asks, "cpu_ms_per_ask": 1000 * cpu / asks}


def estimator(job):
    # Optuna's own Parzen estimator (multivariate, default weights, prior weight 1, magic clip) on
    # observations in internal coordinates (log value for log params, index for categoricals)
    from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator
    from optuna.samplers._tpe.parzen_estimator import _ParzenEstimatorParameters
    from optuna.samplers._tpe.sampler import default_weights
    import numpy as np

    space = distributions(job["space"])
    params = _ParzenEstimatorParameters(1.0, True, False, default_weights, True, {})
    obs = {name: np.asarray([row[i] for row in job["observations"]], dtype=float) for i, name in enumerate(space)}
    pts = {name: np.asarray([row[i] for row in job["points"]], dtype=float) for i, name in enumerate(space)}
    return [float(v) for v in _ParzenEstimator(obs, space, params).log_pdf(pts)]


def main():
    warnings.filterwarnings("ignore")
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    job = json.load(sys.stdin)
    out = {"optuna": optuna.__version__}
    out["check"] = {name: [FUNCTIONS[name](p) for p in points] for name, points in job.get("check", {}).items()}
    if "estimator" in job:
        out["estimator"] = estimator(job["estimator"])
    out["runs"] = []
    for fn in job["functions"]:
        for seed in job["seeds"]:
            out["runs"].append({"fn": fn["name"], "seed": seed, "best": run(fn, seed, job["budget"])})
            print(f"optuna {fn['name']} seed {seed}", file=sys.stderr, flush=True)
    out["speed"] = [speed(s["fn"], s["trials"], s["asks"]) for s in job.get("speed", [])]
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
