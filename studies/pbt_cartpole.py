"""REINFORCE on CartPole, Python standard library only: a real RL training program for pbt studies.

The policy is linear-softmax over the 4 state variables plus a bias (2 actions); each episode's
returns-to-go (discount `gamma`) minus a running-mean baseline scale the log-likelihood gradient,
step size `lr`. CartPole is the classic cart-pole balance task (Barto, Sutton & Anderson 1983; the
Gym equations, 200-step episodes, reward 1 per step).

Protocol (docs/online-tuning.md): reports every `report_every` env steps the mean return of the
last 10 episodes, and the final value after `steps` env steps is the mean return of 10 evaluation
episodes of the policy as trained (sampled actions, a generator of their own). As a pbt segment (METATUNE_CHECKPOINT_DIR set) it writes its whole state,
random generator included, at each report and announces it; it continues METATUNE_RESTORE_DIR
when given, and exits at the first report at or past METATUNE_END_STEP. Without those variables
(random search, re-evaluation) it trains from scratch to the end. Same seed and state, same run.

    python3 pbt_cartpole.py STEPS REPORT_EVERY   (params in METATUNE_PARAMS: lr, gamma)
"""
import json
import math
import os
import random
import sys

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 40000
report_every = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
params = json.loads(os.environ["METATUNE_PARAMS"])
lr = float(params["lr"])
gamma = float(params["gamma"])
seed = int(os.environ.get("METATUNE_SEED", "0"))
out = os.environ.get("METATUNE_CHECKPOINT_DIR")
restore = os.environ.get("METATUNE_RESTORE_DIR")
end = int(os.environ.get("METATUNE_END_STEP", "0"))


def reset(rng):
    return [rng.uniform(-0.05, 0.05) for _ in range(4)]


def step(s, action):
    x, dx, th, dth = s
    force = 10.0 if action == 1 else -10.0
    cos, sin = math.cos(th), math.sin(th)
    temp = (force + 0.05 * dth * dth * sin) / 1.1
    thacc = (9.8 * sin - cos * temp) / (0.5 * (4.0 / 3.0 - 0.1 * cos * cos / 1.1))
    xacc = temp - 0.05 * thacc * cos / 1.1
    x, dx, th, dth = x + 0.02 * dx, dx + 0.02 * xacc, th + 0.02 * dth, dth + 0.02 * thacc
    return [x, dx, th, dth], abs(x) > 2.4 or abs(th) > 0.2095


def probs(theta, s):
    f = s + [1.0]
    z = [sum(w * v for w, v in zip(theta[a], f)) for a in range(2)]
    m = max(z)
    e = [math.exp(v - m) for v in z]
    return [v / sum(e) for v in e], f


def episode(theta, rng, greedy=False, limit=200):
    s, traj = reset(rng), []
    for _ in range(limit):
        p, f = probs(theta, s)
        a = (1 if p[1] > p[0] else 0) if greedy else (1 if rng.random() < p[1] else 0)
        traj.append((f, a, p))
        s, done = step(s, a)
        if done:
            break
    return traj


state = {"step": 0, "theta": [[0.0] * 5, [0.0] * 5], "baseline": 0.0, "returns": [], "rng": None}
rng = random.Random(seed)
if restore:
    with open(os.path.join(restore, "state.json")) as fh:
        state = json.load(fh)
    rng.setstate((state["rng"][0], tuple(state["rng"][1]), state["rng"][2]))
next_report = (state["step"] // report_every + 1) * report_every

while state["step"] < steps:
    traj = episode(state["theta"], rng, limit=min(200, steps - state["step"]))
    state["step"] += len(traj)
    g, grads = 0.0, []
    for f, a, p in reversed(traj):
        g = 1.0 + gamma * g
        grads.append((f, a, p, g))
    state["baseline"] += 0.05 * (len(traj) - state["baseline"])
    for f, a, p, g in grads:
        adv = (g - state["baseline"] * (1 - gamma ** len(traj)) / max(1e-9, 1 - gamma) / max(1, len(traj))) / 100.0
        for b in range(2):
            coef = ((1.0 if b == a else 0.0) - p[b]) * adv * lr
            row = state["theta"][b]
            for i in range(5):
                row[i] += coef * f[i]
    state["returns"] = (state["returns"] + [len(traj)])[-10:]
    if state["step"] >= next_report and state["step"] < steps:
        value = sum(state["returns"]) / len(state["returns"])
        line = {"step": next_report, "value": value}
        if out:
            state["rng"] = list(rng.getstate())
            tmp = os.path.join(out, "state.json.tmp")
            with open(tmp, "w") as fh:
                json.dump(state, fh)
            os.replace(tmp, os.path.join(out, "state.json"))
            line["checkpoint"] = True
        print(json.dumps(line), flush=True)
        if out and next_report >= end:
            sys.exit(0)
        next_report += report_every

evaluation = random.Random(seed + 1)
score = sum(len(episode(state["theta"], evaluation)) for _ in range(10)) / 10
print(json.dumps({"value": score, "fields": {"env_steps": state["step"]}}))
