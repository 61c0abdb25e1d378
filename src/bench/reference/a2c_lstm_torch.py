#!/usr/bin/env python3
"""A2C-LSTM training throughput in PyTorch: the reference for `metatune bench agent --reference torch`.

The same agent and workload as metatune's default (src/objectives/bandit/learner/): an LSTM
actor-critic on the dependent-uniform two-armed Bernoulli task (p1 ~ U(0, 1), p2 = 1 - p1, a new
bandit every episode), K = 2 arms, H = 48 units, T = 100 steps per episode.
  input x_t   one-hot previous action (K), previous reward, t / T, F = 16 RBF features of the
              previous reward (centres evenly spaced on [0, 1], width 1 / (F - 1), values below
              1e-20 written as 0; all zero at t = 0)
  network     LSTM cell (forget-gate bias 1, other biases 0, weights U(-1/sqrt(H), 1/sqrt(H))), a
              policy head (K logits) and a value head on h_t
  loss        A2C over the N = T B steps of one batch: mean(-A log pi(a)) + 0.05 mean((G - V)^2) / 2
              - c_e mean(entropy), A = G - V held constant, G_t = r_t + 0.9 G_{t+1} (G_T = 0),
              c_e annealed linearly from 1 to 0.01 over 15000 episodes
  update      global gradient-norm clip 1, Adam lr 0.02
One update rolls out B episodes with actions sampled from the policy (autograd records the rollout)
and backpropagates through time once. torch.set_num_threads(1), as metatune runs on one thread.
Debian's python3-torch multiplies through the system's libblas.so.3: install libopenblas0-serial, or
it runs on the unoptimised reference BLAS (2.5x slower at batch 64).

Usage: python3 a2c_lstm_torch.py --batch 1,16,64 --seconds 3
For each batch size: one warm-up update, then updates until --seconds have passed; prints one JSON
line per batch size on stdout, e.g.
  {"reference": "torch", "version": "1.13.1", "threads": 1, "task": "dependent-uniform", "batch": 16,
   "horizon": 100, "hidden": 48, "reward_features": 16, "updates": 95, "seconds": 3.01,
   "steps_per_second": 50491.2, "cpu_steps_per_second": 50810.4, "ms_per_update": 31.7}
(cpu_steps_per_second: per second of the process's CPU time, less sensitive to other jobs than the
wall-clock figure.)
Exit 3 when torch cannot be imported (with how to install it on stderr), 2 on a bad argument.
"""

import argparse
import json
import sys
import time

from a2c_lstm_common import import_torch

FORMULATIONS = ("recompute", "taped")


def batch_sizes(text):
    try:
        values = [int(s) for s in text.split(",")]
    except ValueError:
        values = []
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected comma-separated positive integers like 1,16,64 (got '{text}')")
    return values


def positive(text):
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number (got '{text}')")
    return value


def parse_args(argv):
    p = argparse.ArgumentParser(description="A2C-LSTM training throughput in PyTorch (metatune's default agent).")
    p.add_argument("--batch", type=batch_sizes, default=[1, 16, 64], help="batch sizes, comma-separated (default 1,16,64)")
    p.add_argument("--seconds", type=positive, default=3.0, help="measuring time per batch size (default 3)")
    p.add_argument("--hidden", type=int, default=48, help="LSTM units (default 48)")
    p.add_argument("--horizon", type=int, default=100, help="steps per episode (default 100)")
    p.add_argument("--reward-features", type=int, default=16, help="RBF features of the previous reward; 0: scalar only (default 16)")
    p.add_argument("--formulation", choices=FORMULATIONS, default="recompute", help="how one update is written (default recompute)")
    p.add_argument("--check-gradients", action="store_true", help="compare the formulations' gradients instead of timing")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    if args.hidden < 1 or args.horizon < 1 or args.reward_features < 0:
        p.error("--hidden and --horizon must be positive, --reward-features non-negative")
    return args


def os_threads():
    """Threads of this process (Linux; None elsewhere): 1 when nothing computes beside the main thread."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def trainer_class(formulation):
    # imported after import_torch has set the thread variables (the recompute module imports torch)
    if formulation == "recompute":
        from a2c_lstm_recompute import RecomputeTrainer

        return RecomputeTrainer
    from a2c_lstm_taped import TapedTrainer

    return TapedTrainer


def measure(torch, args, batch):
    trainer = trainer_class(args.formulation)(torch, batch, args.horizon, args.hidden, args.reward_features)
    for _ in range(2):  # warm-up (TorchScript compiles on its first calls)
        trainer.update()
    updates = 0
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    while True:
        trainer.update()
        updates += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= args.seconds:
            break
    cpu = time.process_time() - cpu0
    return {
        "reference": "torch",
        "version": torch.__version__,
        "formulation": trainer.formulation,
        "threads": torch.get_num_threads(),
        "task": "dependent-uniform",
        "batch": batch,
        "horizon": args.horizon,
        "hidden": args.hidden,
        "reward_features": args.reward_features,
        "updates": updates,
        "seconds": round(elapsed, 4),
        "steps_per_second": round(updates * batch * args.horizon / elapsed, 1),
        "cpu_steps_per_second": round(updates * batch * args.horizon / cpu, 1),
        "ms_per_update": round(elapsed * 1000 / updates, 3),
        "os_threads": os_threads(),
    }


def main(argv):
    args = parse_args(argv)
    torch = import_torch()
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    ok = True
    for batch in args.batch:
        if args.check_gradients:
            from a2c_lstm_check import check

            line = check(torch, batch, args.horizon, args.hidden, args.reward_features)
            ok = ok and line["ok"]
        else:
            line = measure(torch, args, batch)
        print(json.dumps(line), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
