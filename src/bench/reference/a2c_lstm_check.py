"""`a2c_lstm_torch.py --check-gradients`: each fast formulation (bptt, recompute) against the taped one.

For a few consecutive updates of a fast trainer, on the same parameters:
  rollout    the actions it took are the argmax of the policy's logits, recomputed with autograd by
             its loss, plus the Gumbel noise drawn for them (so they sample pi), except where two
             sums differ by less than `tie` (rounding between the table of input projections and
             torch.nn.LSTM), and the codes are the pulled arms' outcomes
  gradients  the taped formulation replaying those actions and rewards (autograd through the
             LSTMCell steps) gives the same loss and, per parameter tensor, the same gradient up to
             `tolerance` times that gradient's largest magnitude
Prints one JSON line per batch size; ok is false when any comparison fails.
"""

from a2c_lstm_common import GRAD_CLIP
from a2c_lstm_taped import TapedTrainer

TOLERANCE = 1e-5
TIE = 1e-4


def gradients(trainer, loss):
    trainer.opt.zero_grad(set_to_none=True)
    loss.backward()
    return {name: p.grad.clone() for name, p in trainer.named_parameters().items()}


def check(torch, trainer_class, batch, horizon, hidden, features, updates=3):
    fast = trainer_class(torch, batch, horizon, hidden, features)
    slow = TapedTrainer(torch, batch, horizon, hidden, features)
    K = fast.K
    worst_grad, worst_loss, mismatched = 0.0, 0.0, 0
    for _ in range(updates):
        with torch.no_grad():
            for name, p in slow.named_parameters().items():
                p.copy_(fast.named_parameters()[name])
        slow.episodes = fast.episodes
        gumbel, outcome = fast.noise()
        codes = fast.rollout((gumbel, outcome))
        actions = torch.div(codes, 2, rounding_mode="floor")
        with torch.no_grad():
            x = fast.rows[torch.cat([fast.start, codes[:-1]])] + fast.time
            scores = fast.heads(fast.lstm(x)[0])[..., :K] + gumbel[..., :K]
            top2 = scores.topk(2, 2).values
            clear = (top2[..., 0] - top2[..., 1]) > TIE
            mismatched += int(((scores.argmax(2) != actions) & clear).sum())
            mismatched += int((outcome.gather(2, actions.unsqueeze(2)).squeeze(2) != codes).sum())
        fast_loss = fast.loss(codes)
        slow_loss = slow.loss((actions, (codes % 2).float()))
        worst_loss = max(worst_loss, abs(fast_loss.item() - slow_loss.item()) / max(abs(slow_loss.item()), 1e-12))
        fast_grads = gradients(fast, fast_loss)
        slow_grads = gradients(slow, slow_loss)
        for name, g in slow_grads.items():
            scale = float(g.abs().max())
            worst_grad = max(worst_grad, float((fast_grads[name] - g).abs().max()) / max(scale, 1e-12))
        torch.nn.utils.clip_grad_norm_(fast.params, GRAD_CLIP)
        fast.opt.step()
        fast.episodes += batch
    return {
        "check": "gradients",
        "formulations": [fast.formulation, "taped"],
        "batch": batch,
        "horizon": horizon,
        "hidden": hidden,
        "reward_features": features,
        "updates": updates,
        "max_relative_gradient_difference": worst_grad,
        "max_relative_loss_difference": worst_loss,
        "mismatched_actions": mismatched,
        "ok": worst_grad <= TOLERANCE and worst_loss <= TOLERANCE and mismatched == 0,
    }
