#!/usr/bin/env python3
"""A stand-in training program for a command objective (standard library only).

metatune runs it once per lifetime, e.g. `python3 train_quadratic.py --lr 0.01 --width 3 --seed 7`.
It "trains" for --steps steps: the score climbs towards a ceiling that depends on the learning rate and
the width (best near lr = 0.01, width = 3), with noise from the seed. Every 10 steps it prints an
intermediate result as one JSON line, {"step": ..., "value": ...}; at the end the final result,
{"value": ..., "fields": {...}}. Logs go to stderr, never stdout.
"""
import argparse
import json
import math
import random
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, required=True)
parser.add_argument("--width", type=int, required=True)
parser.add_argument("--seed", type=int, required=True)
parser.add_argument("--steps", type=int, default=100)
parser.add_argument("--sleep", type=float, default=0.0, help="seconds per step, to look like real work")
args = parser.parse_args()

rng = random.Random(args.seed)
ceiling = 10.0 - 4.0 * (math.log10(args.lr) + 2.0) ** 2 - 0.5 * (args.width - 3) ** 2
rate = 0.05
score = 0.0
for step in range(1, args.steps + 1):
    score = ceiling * (1.0 - math.exp(-rate * step)) + rng.gauss(0.0, 0.1)
    if step % 10 == 0:
        print(json.dumps({"step": step, "value": score}), flush=True)
        print(f"step {step}: score {score:.3f}", file=sys.stderr)
    if args.sleep > 0:
        time.sleep(args.sleep)
print(json.dumps({"value": score, "fields": {"steps": args.steps, "ceiling": ceiling}}), flush=True)
