"""A command objective that checkpoints, for a pbt arm (studies/pbt-toy-command.yaml); standard library only.

Each run is one segment of a population member: it continues the state in METATUNE_RESTORE_DIR
(absent at a fresh start), trains, and at every report writes its state into
METATUNE_CHECKPOINT_DIR and announces it with "checkpoint": true; at the first report at or past
METATUNE_END_STEP the segment is over, so it exits. The last step prints the final value.
"""
import json
import os

params = json.loads(os.environ["METATUNE_PARAMS"])
lr = float(params["lr"])
steps = 200
restore = os.environ.get("METATUNE_RESTORE_DIR")
out = os.environ["METATUNE_CHECKPOINT_DIR"]
end = int(os.environ["METATUNE_END_STEP"])

state = {"step": 0, "w": 0.0}
if restore:
    with open(os.path.join(restore, "state.json")) as f:
        state = json.load(f)

while True:
    state["step"] += 10
    state["w"] += 10 * (lr - lr * lr)  # progress per step, best at lr = 0.5
    if state["step"] >= steps:
        print(json.dumps({"value": state["w"]}))
        break
    tmp = os.path.join(out, "state.json.tmp")
    with open(tmp, "w") as f:
        json.dump(state, f)
    os.replace(tmp, os.path.join(out, "state.json"))  # a kill mid-write leaves the old state or the new
    print(json.dumps({"step": state["step"], "value": state["w"], "checkpoint": True}), flush=True)
    if state["step"] >= end:
        break
