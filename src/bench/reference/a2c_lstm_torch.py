#!/usr/bin/env python3
"""A2C-LSTM training throughput in PyTorch: the reference for `metatune bench agent --reference torch`.

The same agent, workload, loss and update as metatune's default (a2c_lstm_common.py says which),
torch.set_num_threads(1), as metatune runs on one thread. Three formulations of one update:
  bptt       (default, the fastest) the rollout under torch.no_grad() in one TorchScript function
             keeping each step's activations, the LSTM's backward pass through time written by hand
             in a torch.autograd.Function (weight gradients one product over all T x B steps), the
             heads and loss with autograd on all T x B steps at once (a2c_lstm_bptt.py)
  recompute  the same rollout, then the loss recomputed with autograd over the recorded inputs:
             torch.nn.LSTM over the T steps in one call (a2c_lstm_recompute.py)
  taped      autograd records the rollout (LSTMCell step by step, torch.multinomial), then one
             backward pass through time (a2c_lstm_taped.py): the plain way, and the slowest
All give the same gradient for the same parameters, actions and rewards: --check-gradients compares
bptt and recompute with taped and prints one JSON line per pair and batch size (exit 1 when any
differs).
Debian's python3-torch multiplies through the system's libblas.so.3: install libopenblas0-serial, or
it runs on the unoptimised reference BLAS (2.5x slower at batch 64).

Usage: python3 a2c_lstm_torch.py --batch 1,16,64 --seconds 3 [--formulation recompute|taped]
For each batch size: two warm-up updates, then updates until --seconds have passed; prints one JSON
line per batch size on stdout, e.g.
  {"reference": "torch", "version": "1.13.0a0", "formulation": "bptt", "threads": 1,
   "task": "dependent-uniform", "batch": 16, "horizon": 100, "hidden": 48, "reward_features": 16,
   "updates": 95, "seconds": 3.01, "steps_per_second": 50491.2, "cpu_steps_per_second": 50810.4,
   "ms_per_update": 31.7, "os_threads": 1}
(cpu_steps_per_second: per second of the process's CPU time, less sensitive to other jobs than the
wall-clock figure.)
Exit 3 when torch cannot be imported (with how to install it on stderr), 2 on a bad argument, 1 when
--check-gradients finds a difference.
"""

import argparse
import json
import sys
import time

from a2c_lstm_common import import_torch, warm_up_blas

FORMULATIONS = ("bptt", "recompute", "taped")  # the fast ones, then the one they are checked against


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
    p.add_argument("--formulation", choices=FORMULATIONS, default="bptt", help="how one update is written (default bptt)")
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
    if formulation == "bptt":
        from a2c_lstm_bptt import BpttTrainer

        return BpttTrainer
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
    warm_up_blas(torch)
    torch.manual_seed(args.seed)
    ok = True
    for batch in args.batch:
        if args.check_gradients:
            from a2c_lstm_check import check

            for formulation in FORMULATIONS[:-1]:
                line = check(torch, trainer_class(formulation), batch, args.horizon, args.hidden, args.reward_features)
                ok = ok and line["ok"]
                print(json.dumps(line), flush=True)
            continue
        else:
            line = measure(torch, args, batch)
        print(json.dumps(line), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
