"""The taped formulation of the PyTorch A2C-LSTM reference (a2c_lstm_torch.py --formulation taped).

One update rolls out B episodes with an LSTMCell step by step, actions sampled with
torch.multinomial, while autograd records the whole rollout; the loss is built from the recorded
steps and backpropagated through time once. The straightforward way to write it, and the slowest:
every small operation of the rollout is dispatched with autograd on and revisited by the backward
pass. See a2c_lstm_common.py for the agent and the loss.
"""

from a2c_lstm_common import ARMS, GAMMA, GRAD_CLIP, LR, VALUE_COEF, entropy_coef, make_agent, reward_feature_table


class TapedTrainer:
    formulation = "taped"

    def __init__(self, torch, batch, horizon, hidden, features):
        self.torch = torch
        self.B, self.T, self.H, self.K = batch, horizon, hidden, ARMS
        self.phi = reward_feature_table(torch, features)
        self.inputs = self.K + 2 + features
        self.cell, self.heads = make_agent(torch, self.K, hidden, self.inputs)
        self.params = list(self.cell.parameters()) + list(self.heads.parameters())
        self.opt = torch.optim.Adam(self.params, lr=LR)
        self.time = [torch.full((batch, 1), t / horizon) for t in range(horizon)]
        self.episodes = 0

    def named_parameters(self):
        """The parameters under the names every formulation shares (for the gradient check)."""
        c, h = self.cell, self.heads
        return {"weight_ih": c.weight_ih, "weight_hh": c.weight_hh, "bias_ih": c.bias_ih, "bias_hh": c.bias_hh, "heads.weight": h.weight, "heads.bias": h.bias}

    def loss(self, replay=None):
        """The loss of one rollout; `replay` = (actions (T, B), rewards (T, B)) takes those instead of sampling."""
        torch, B, T, K = self.torch, self.B, self.T, self.K
        F = torch.nn.functional
        if replay is None:
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
            a = torch.multinomial(pi.detach(), 1) if replay is None else replay[0][t].unsqueeze(1)
            log_pi_a.append(log_pi.gather(1, a).squeeze(1))
            entropies.append(-(pi * log_pi).sum(1))
            values.append(out[:, K])
            r = (torch.rand(B, 1) < means.gather(1, a)).float() if replay is None else replay[1][t].unsqueeze(1)
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
        return (
            -(advantage * torch.stack(log_pi_a)).mean()
            + VALUE_COEF * 0.5 * ((returns - v) ** 2).mean()
            - entropy_coef(self.episodes) * torch.stack(entropies).mean()
        )

    def update(self):
        loss = self.loss()
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.torch.nn.utils.clip_grad_norm_(self.params, GRAD_CLIP)
        self.opt.step()
        self.episodes += self.B
