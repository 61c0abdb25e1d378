"""What every formulation of the PyTorch A2C-LSTM reference shares (a2c_lstm_torch.py runs them).

The agent and workload are metatune's default (src/objectives/bandit/learner/): an LSTM actor-critic
on the dependent-uniform two-armed Bernoulli task (p1 ~ U(0, 1), p2 = 1 - p1, a new bandit every
episode), K = 2 arms, H = 48 units, T = 100 steps per episode.
  input x_t   one-hot previous action (K), previous reward, t / T, F = 16 RBF features of the
              previous reward (centres evenly spaced on [0, 1], width 1 / (F - 1), values below
              1e-20 written as 0; all zero at t = 0)
  network     LSTM cell (forget-gate bias 1, other biases 0, weights U(-1/sqrt(H), 1/sqrt(H))), a
              policy head (K logits) and a value head on h_t
  loss        A2C over the N = T B steps of one batch: mean(-A log pi(a)) + 0.05 mean((G - V)^2) / 2
              - c_e mean(entropy), A = G - V held constant, G_t = r_t + 0.9 G_{t+1} (G_T = 0),
              c_e annealed linearly from 1 to 0.01 over 15000 episodes
  update      global gradient-norm clip 1, Adam lr 0.02
"""

import math
import os
import sys

GAMMA = 0.9
VALUE_COEF = 0.05
ENTROPY_START, ENTROPY_END, ENTROPY_ANNEAL = 1.0, 0.01, 15000
GRAD_CLIP = 1.0
LR = 0.02
FEATURE_FLOOR = 1e-20
ARMS = 2


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


def entropy_coef(episodes):
    return ENTROPY_START + (ENTROPY_END - ENTROPY_START) * min(1.0, episodes / ENTROPY_ANNEAL)


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
    """The LSTM cell and the heads (K logits, then the value), initialised as metatune's agent."""
    cell = torch.nn.LSTMCell(inputs, hidden)
    heads = torch.nn.Linear(hidden, arms + 1)
    s = 1 / math.sqrt(hidden)
    with torch.no_grad():
        for w in (cell.weight_ih, cell.weight_hh, heads.weight):
            w.uniform_(-s, s)
        cell.bias_ih.zero_()
        cell.bias_hh.zero_()
        cell.bias_ih[hidden : 2 * hidden] = 1.0  # PyTorch's gate order is i, f, g, o
        heads.bias.zero_()
    return cell, heads



def warm_up_blas(torch):
    """One product with a long inner dimension (4096), once per process. Debian's OpenBLAS 0.3.21
    (one thread) runs later products of a 192 x 512 by 512 x 68 shape, the bptt formulation's
    weight gradient blocks, ~3x faster after one (17 -> 6 ms for 13 blocks; the cause inside
    OpenBLAS was not established); the other formulations' products are unaffected."""
    torch.randn(4096, 16).t() @ torch.randn(4096, 4)
