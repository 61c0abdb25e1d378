"""The recompute formulation of the PyTorch A2C-LSTM reference (a2c_lstm_torch.py --formulation recompute).

The same network, loss and update as the taped formulation (a2c_lstm_taped.py), written for speed:
  rollout   under torch.no_grad(), one TorchScript function for the T steps: the input projection
            x_t W_ih^T + b is a row of a table computed once per update (x_t takes 2K + 1 values
            besides t / T: previous action and reward, or none at t = 0), so a step is one index,
            one GEMM for the recurrence, the cell's pointwise operations, one GEMM for the heads;
            every random number of the episode is drawn up front: actions by the Gumbel-max trick
            (argmax of logits + Gumbel noise samples pi), and each arm's Bernoulli outcome at each
            step (only the pulled arm's is seen), so a step keeps one code 2a + r
  loss      recomputed with autograd from the recorded inputs: torch.nn.LSTM over the T steps in
            one call (weights shared with the rollout), the heads, softmax and loss on all T x B
            hidden states at once, returns G = D r with D[t, s] = gamma^(s - t) for s >= t
On-policy A2C's gradient at the rollout's parameters is the same whether autograd records the
rollout or the forward pass is recomputed: `a2c_lstm_torch.py --check-gradients` compares the two
formulations on the same parameters, actions and rewards.
"""

import math
from typing import List

import torch

from a2c_lstm_common import ARMS, GAMMA, GRAD_CLIP, LR, VALUE_COEF, entropy_coef, make_agent, reward_feature_table


@torch.jit.script
def rollout_codes(proj: torch.Tensor, w_hh_t: torch.Tensor, w_heads_t: torch.Tensor, b_heads: torch.Tensor, gumbel: torch.Tensor, outcome: torch.Tensor, start: torch.Tensor) -> torch.Tensor:
    """Codes 2a + r (T, B) of one rollout. proj (T, 2K+1, 4H): input projections plus both biases by
    code; gumbel (T, B, K+1) with -inf in the value's column; outcome (T, B, K): the code if arm k is pulled."""
    B = gumbel.size(1)
    H = w_hh_t.size(0)
    h = torch.zeros(B, H)
    c = torch.zeros(B, H)
    code = start
    codes: List[torch.Tensor] = []
    for t in range(proj.size(0)):
        gates = torch.addmm(proj[t].index_select(0, code), h, w_hh_t)  # i, f, g, o
        sig = gates.sigmoid()
        c = torch.addcmul(sig[:, H : 2 * H] * c, sig[:, :H], gates[:, 2 * H : 3 * H].tanh())
        h = sig[:, 3 * H :] * c.tanh()
        a = torch.addmm(b_heads, h, w_heads_t).add_(gumbel[t]).argmax(1, keepdim=True)
        code = outcome[t].gather(1, a).squeeze(1)
        codes.append(code)
    return torch.stack(codes)


class RecomputeTrainer:
    formulation = "recompute"

    def __init__(self, torch, batch, horizon, hidden, features):
        self.torch = torch
        B, T, H, K = batch, horizon, hidden, ARMS
        self.B, self.T, self.H, self.K = B, T, H, K
        phi = reward_feature_table(torch, features)
        self.inputs = I = K + 2 + features
        cell, self.heads = make_agent(torch, K, hidden, I)
        self.lstm = torch.nn.LSTM(I, H)
        with torch.no_grad():
            for name, value in (("weight_ih", cell.weight_ih), ("weight_hh", cell.weight_hh), ("bias_ih", cell.bias_ih), ("bias_hh", cell.bias_hh)):
                getattr(self.lstm, f"{name}_l0").copy_(value)
        self.params = list(self.lstm.parameters()) + list(self.heads.parameters())
        self.opt = torch.optim.Adam(self.params, lr=LR)
        # input rows by code 2a + r, and 2K for t = 0 (all zero); the time column is added from `time`
        self.rows = torch.zeros(2 * K + 1, I)
        for a in range(K):
            for r in (0, 1):
                self.rows[2 * a + r, a] = 1.0
                self.rows[2 * a + r, K] = float(r)
                self.rows[2 * a + r, K + 2 :] = phi[r]
        self.time = torch.zeros(T, 1, I)
        self.time[:, 0, K + 1] = torch.arange(T) / T
        lag = torch.arange(T)[None, :] - torch.arange(T)[:, None]
        self.discount = torch.where(lag >= 0, GAMMA ** lag.clamp(min=0).double(), 0.0).float()
        self.start = torch.full((1, B), 2 * K, dtype=torch.long)
        self.arm_codes = 2 * torch.arange(K)
        self.episodes = 0

    def named_parameters(self):
        """The parameters under the names every formulation shares (for the gradient check)."""
        m, h = self.lstm, self.heads
        return {"weight_ih": m.weight_ih_l0, "weight_hh": m.weight_hh_l0, "bias_ih": m.bias_ih_l0, "bias_hh": m.bias_hh_l0, "heads.weight": h.weight, "heads.bias": h.bias}

    def noise(self):
        """The episodes' random numbers: Gumbel noise (T, B, K+1; -inf for the value) and outcome codes (T, B, K)."""
        torch, B, T, K = self.torch, self.B, self.T, self.K
        p1 = torch.rand(B)
        means = torch.stack([p1, 1 - p1], 1)
        gumbel = torch.cat([-torch.empty(T, B, K).exponential_().log(), torch.full((T, B, 1), -math.inf)], 2)
        return gumbel, self.arm_codes + (torch.rand(T, B, K) < means).long()

    def rollout(self, noise=None):
        """Codes 2a + r (T, B) of B episodes sampled from the current policy."""
        torch, T, K, H, m = self.torch, self.T, self.K, self.H, self.lstm
        with torch.no_grad():
            gumbel, outcome = self.noise() if noise is None else noise
            inputs = (self.rows + self.time).view(-1, self.inputs)
            proj = torch.addmm(m.bias_ih_l0 + m.bias_hh_l0, inputs, m.weight_ih_l0.t()).view(T, 2 * K + 1, 4 * H)
            return rollout_codes(proj, m.weight_hh_l0.t(), self.heads.weight.t(), self.heads.bias, gumbel, outcome, self.start[0])

    def loss(self, codes):
        """The A2C loss of the rollout with these codes, recomputed with autograd."""
        torch, K = self.torch, self.K
        actions = torch.div(codes, 2, rounding_mode="floor")
        rewards = (codes % 2).float()
        x = self.rows[torch.cat([self.start, codes[:-1]])] + self.time
        out = self.heads(self.hidden_states(x, codes))
        log_pi = torch.nn.functional.log_softmax(out[..., :K], 2)
        values = out[..., K]
        returns = self.discount @ rewards
        log_pi_a = log_pi.gather(2, actions.unsqueeze(2)).squeeze(2)
        entropy = -(log_pi.exp() * log_pi).sum(2)
        advantage = (returns - values).detach()
        return (
            -(advantage * log_pi_a).mean()
            + VALUE_COEF * 0.5 * ((returns - values) ** 2).mean()
            - entropy_coef(self.episodes) * entropy.mean()
        )

    def hidden_states(self, x, codes):
        """h_t (T, B, H) with autograd, from the inputs x (T, B, I) of the rollout with these codes."""
        return self.lstm(x)[0]

    def update(self):
        loss = self.loss(self.rollout())
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.torch.nn.utils.clip_grad_norm_(self.params, GRAD_CLIP)
        self.opt.step()
        self.episodes += self.B
