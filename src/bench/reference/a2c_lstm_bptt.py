"""The bptt formulation of the PyTorch A2C-LSTM reference (a2c_lstm_torch.py --formulation bptt).

The recompute formulation (a2c_lstm_recompute.py) with the LSTM's backward pass written by hand in
a torch.autograd.Function instead of recomputing the forward pass: the rollout (TorchScript, no
autograd) keeps each step's gate activations, cell and hidden state, and the Function's backward
runs backpropagation through time from them. Notation (per step t, B x H each, gates i, f, g, o):
  c_t = f c_{t-1} + i g,  h_t = o tanh(c_t)
  dh  = dL/dh_t (from the heads) + dG_{t+1} W_hh          dc = dh o (1 - tanh^2 c_t) + dc_{t+1} f_{t+1}
  dG_t = [dc g i(1 - i), dc c_{t-1} f(1 - f), dc i (1 - g^2), dh tanh(c_t) o(1 - o)]
  dW_hh = sum_t dG_t^T h_{t-1},  dW_ih = sum_t dG_t^T x_t,  db = sum_t 1^T dG_t
(g above is tanh of the g gate's pre-activation.) The factors that do not depend on dh are computed
for all T x B at once, a step of the loop is dc, one elementwise product dG_t = [dc, dc, dc, dh] *
factors_t and one GEMM, and the weight gradients are one product over all T x B rows (accumulated
in blocks of rows). The heads and the loss stay with autograd. --check-gradients compares it with
the taped formulation.
"""

from typing import List, Tuple

import torch

from a2c_lstm_recompute import RecomputeTrainer

ROWS_PER_PRODUCT = 512


@torch.jit.script
def rollout_trajectory(
    proj: torch.Tensor, w_hh_t: torch.Tensor, w_heads_t: torch.Tensor, b_heads: torch.Tensor, gumbel: torch.Tensor, outcome: torch.Tensor, start: torch.Tensor
) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """As rollout_codes (a2c_lstm_recompute.py), also returning per step: sigmoid of all gates
    (T, B, 4H; the g column holds sigmoid(2 g) = (1 + tanh g) / 2), c_t, tanh c_t and h_t (T, B, H
    each). proj and w_hh_t come with their g columns doubled (`doubled_g`)."""
    B = gumbel.size(1)
    H = w_hh_t.size(0)
    h = torch.zeros(B, H)
    c = torch.zeros(B, H)
    code = start
    codes: List[torch.Tensor] = []
    sigs: List[torch.Tensor] = []
    cs: List[torch.Tensor] = []
    tcs: List[torch.Tensor] = []
    hs: List[torch.Tensor] = []
    for t in range(proj.size(0)):
        gates = torch.addmm(proj[t].index_select(0, code), h, w_hh_t)  # i, f, 2g, o
        sig = gates.sigmoid()
        i = sig[:, :H]
        # i tanh(g) = i (2 sigmoid(2g) - 1): one sigmoid over all gates instead of a tanh (3x the cost) for g
        c = torch.addcmul(sig[:, H : 2 * H] * c - i, i, sig[:, 2 * H : 3 * H], value=2.0)
        tc = c.tanh()
        h = sig[:, 3 * H :] * tc
        a = torch.addmm(b_heads, h, w_heads_t).add_(gumbel[t]).argmax(1, keepdim=True)
        code = outcome[t].gather(1, a).squeeze(1)
        codes.append(code)
        sigs.append(sig)
        cs.append(c)
        tcs.append(tc)
        hs.append(h)
    return torch.stack(codes), torch.stack(sigs), torch.stack(cs), torch.stack(tcs), torch.stack(hs)


class LSTMFromRollout(torch.autograd.Function):
    """h_t (T, B, H) of a recorded rollout as a function of the LSTM's weights, with BPTT as its backward."""

    @staticmethod
    def forward(ctx, w_ih, w_hh, b_ih, b_hh, x, sig, c, tc, h):
        ctx.save_for_backward(w_hh, x, sig, c, tc, h)
        return h.clone()

    @staticmethod
    def backward(ctx, dhs):
        w_hh, x, sig, c, tc, h = ctx.saved_tensors
        T, B, H = h.shape
        i, f, o = sig[..., :H], sig[..., H : 2 * H], sig[..., 3 * H :]
        g = 2 * sig[..., 2 * H : 3 * H] - 1  # tanh of the g gate
        c_prev = torch.cat([torch.zeros(1, B, H), c[:-1]])
        dc_from_dh = o - o * tc * tc  # dc/dh_t
        dsig = sig - sig * sig  # sigmoid' of every gate (the g column unused)
        # dG_t = [dc, dc, dc, dh] * factors_t: dG / dc for i, f, g, then dG / dh for o
        factors = torch.empty(T, B, 4 * H)
        torch.mul(dsig[..., :H], g, out=factors[..., :H])
        torch.mul(dsig[..., H : 2 * H], c_prev, out=factors[..., H : 2 * H])
        torch.addcmul(i, i, g * g, value=-1, out=factors[..., 2 * H : 3 * H])
        torch.mul(dsig[..., 3 * H :], tc, out=factors[..., 3 * H :])
        dG = torch.empty(T, B, 4 * H)
        steps = list(zip(dhs.unbind(0), f.unbind(0), dc_from_dh.unbind(0), factors.unbind(0), dG.unbind(0)))
        dh, dc = steps[T - 1][0], None
        for t in range(T - 1, -1, -1):
            _, _, dc_dh, factor, dG_t = steps[t]
            dc = dh * dc_dh if dc is None else torch.addcmul(dc * steps[t + 1][1], dh, dc_dh)
            torch.mul(torch.cat([dc, dc, dc, dh], 1), factor, out=dG_t)
            if t > 0:
                dh = torch.addmm(steps[t - 1][0], dG_t, w_hh)
        # [dW_ih | dW_hh] = dG^T [x | h_prev] over all T x B rows, accumulated over blocks of rows:
        # OpenBLAS (0.3.21, one thread) is ~2x slower on this shape when the 6400 rows of batch 64 go in one call
        rows = dG.view(T * B, 4 * H)
        inputs = torch.cat([x, torch.cat([torch.zeros(1, B, H), h[:-1]])], 2).view(T * B, -1)
        d_w = torch.zeros(4 * H, inputs.size(1))
        for block, block_inputs in zip(rows.split(ROWS_PER_PRODUCT), inputs.split(ROWS_PER_PRODUCT)):
            d_w.addmm_(block.t(), block_inputs)
        d_b = rows.sum(0)
        I = x.size(2)
        return d_w[:, :I], d_w[:, I:], d_b, d_b, None, None, None, None, None


class BpttTrainer(RecomputeTrainer):
    formulation = "bptt"

    def double_g(self):
        """1 for the i, f, o columns of the gates, 2 for g's."""
        scale = torch.ones(4 * self.H)
        scale[2 * self.H : 3 * self.H] = 2.0
        return scale

    def rollout(self, noise=None):
        """Codes 2a + r (T, B) of B episodes sampled from the current policy; keeps the trajectory for `loss`."""
        T, K, H, m = self.T, self.K, self.H, self.lstm
        with torch.no_grad():
            gumbel, outcome = self.noise() if noise is None else noise
            inputs = (self.rows + self.time).view(-1, self.inputs)
            proj = torch.addmm(m.bias_ih_l0 + m.bias_hh_l0, inputs, m.weight_ih_l0.t()).view(T, 2 * K + 1, 4 * H)
            double_g = self.double_g()
            w_hh_t = m.weight_hh_l0.t() * double_g
            codes, *self.trajectory = rollout_trajectory(proj * double_g, w_hh_t, self.heads.weight.t(), self.heads.bias, gumbel, outcome, self.start[0])
        self.trajectory_codes = codes
        return codes

    def hidden_states(self, x, codes):
        # the trajectory kept by the rollout that produced these codes
        assert codes is self.trajectory_codes, "bptt: loss() takes the codes of the last rollout()"
        m = self.lstm
        return LSTMFromRollout.apply(m.weight_ih_l0, m.weight_hh_l0, m.bias_ih_l0, m.bias_hh_l0, x, *self.trajectory)
