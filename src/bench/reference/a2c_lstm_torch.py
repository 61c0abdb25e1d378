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
import math
import os
import sys
import time

GAMMA = 0.9
VALUE_COEF = 0.05
ENTROPY_START, ENTROPY_END, ENTROPY_ANNEAL = 1.0, 0.01, 15000
GRAD_CLIP = 1.0
LR = 0.02
FEATURE_FLOOR = 1e-20


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
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    if args.hidden < 1 or args.horizon < 1 or args.reward_features < 0:
        p.error("--hidden and --horizon must be positive, --reward-features non-negative")
    return args


def import_torch():
    # One thread means one thread in the BLAS too: Debian's torch multiplies through libblas.so.3,
    # and OpenBLAS's pthread build (picked over the serial one when both are installed) starts a
    # thread per core whatever torch.set_num_threads says. These are read when the library loads.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    try:
        import torch
    except ImportError:
        sys.stderr.write(
            f"a2c_lstm_torch.py: torch is not importable by {sys.executable}; install it with "
            "`apt-get install python3-torch libopenblas0-serial` (Debian, then run /usr/bin/python3) or `pip install torch`\n"
        )
        sys.exit(3)
    return torch


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


def reward_feature_table(torch, features):
    """Features of the rewards 0 and 1 (the task's only rewards), rows indexed by the reward."""
    if features == 0:
        return torch.zeros(2, 0)
    width = 1.0 / (features - 1) if features > 1 else 1.0
    centres = [i * width if features > 1 else 0.5 for i in range(features)]
    rows = []
    for r in (0.0, 1.0):
        phi = [math.exp(-((r - c) ** 2) / (2 * width * width)) for c in centres]
        rows.append([0.0 if v < FEATURE_FLOOR else v for v in phi])
    return torch.tensor(rows)


def make_agent(torch, arms, hidden, inputs):
    cell = torch.nn.LSTMCell(inputs, hidden)
    heads = torch.nn.Linear(hidden, arms + 1)  # K logits, then the value
    s = 1 / math.sqrt(hidden)
    with torch.no_grad():
        for w in (cell.weight_ih, cell.weight_hh, heads.weight):
            w.uniform_(-s, s)
        cell.bias_ih.zero_()
        cell.bias_hh.zero_()
        cell.bias_ih[hidden : 2 * hidden] = 1.0  # PyTorch's gate order is i, f, g, o
        heads.bias.zero_()
    return cell, heads


class Trainer:
    def __init__(self, torch, batch, horizon, hidden, features):
        self.torch = torch
        self.B, self.T, self.H, self.K = batch, horizon, hidden, 2
        self.phi = reward_feature_table(torch, features)
        self.inputs = self.K + 2 + features
        self.cell, self.heads = make_agent(torch, self.K, hidden, self.inputs)
        self.params = list(self.cell.parameters()) + list(self.heads.parameters())
        self.opt = torch.optim.Adam(self.params, lr=LR)
        self.time = [torch.full((batch, 1), t / horizon) for t in range(horizon)]
        self.episodes = 0

    def update(self):
        torch, B, T, K = self.torch, self.B, self.T, self.K
        F = torch.nn.functional
        p1 = torch.rand(B)
        means = torch.stack([p1, 1 - p1], 1)
        h = torch.zeros(B, self.H)
        c = torch.zeros(B, self.H)
        x = torch.cat([torch.zeros(B, K + 1), self.time[0], torch.zeros(B, self.phi.shape[1])], 1)
        log_pi_a, values, entropies, rewards = [], [], [], []
        for t in range(T):
            h, c = self.cell(x, (h, c))
            out = self.heads(h)
            log_pi = F.log_softmax(out[:, :K], 1)
            pi = log_pi.exp()
            a = torch.multinomial(pi.detach(), 1)
            log_pi_a.append(log_pi.gather(1, a).squeeze(1))
            entropies.append(-(pi * log_pi).sum(1))
            values.append(out[:, K])
            r = (torch.rand(B, 1) < means.gather(1, a)).float()
            rewards.append(r.squeeze(1))
            if t + 1 < T:
                x = torch.cat([F.one_hot(a.squeeze(1), K).float(), r, self.time[t + 1], self.phi[r.squeeze(1).long()]], 1)
        with torch.no_grad():
            returns = torch.empty(T, B)
            g = torch.zeros(B)
            for t in range(T - 1, -1, -1):
                g = rewards[t] + (GAMMA * g if t < T - 1 else 0)
                returns[t] = g
        v = torch.stack(values)
        advantage = (returns - v).detach()
        entropy_coef = ENTROPY_START + (ENTROPY_END - ENTROPY_START) * min(1.0, self.episodes / ENTROPY_ANNEAL)
        loss = (
            -(advantage * torch.stack(log_pi_a)).mean()
            + VALUE_COEF * 0.5 * ((returns - v) ** 2).mean()
            - entropy_coef * torch.stack(entropies).mean()
        )
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.params, GRAD_CLIP)
        self.opt.step()
        self.episodes += B


def main(argv):
    args = parse_args(argv)
    torch = import_torch()
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    for batch in args.batch:
        trainer = Trainer(torch, batch, args.horizon, args.hidden, args.reward_features)
        trainer.update()  # warm-up
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
        line = {
            "reference": "torch",
            "version": torch.__version__,
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
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
