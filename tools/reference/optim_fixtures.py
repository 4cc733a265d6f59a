#!/usr/bin/python3
"""Reference numerics for libs/models/src/optim: runs torch.optim.SGD / Adam / AdamW and the
cosine LR schedulers on fixed tensors and writes libs/models/src/optim/fixtures/optim-reference.json.

Run from the repository root with Debian's torch:  /usr/bin/python3 tools/reference/optim_fixtures.py

Inputs are dyadic rationals (exact in float32). Outputs are float32 values written with 9 significant
digits, which round-trips float32 exactly. A grad of null means "no gradient this step" (p.grad = None),
which torch skips without touching that parameter's state.
"""
import json
import math
import os
import sys

import torch

PARAMS = {
    "w": [0.5, -1.25, 2.0, 0.0, -0.375, 3.5],
    "b": [0.125, -0.75, 1.5],
}

# Large gradients first, then smaller ones, so AMSGrad's running max differs from the current moment.
GRADS = [
    {"w": [0.25, -0.5, 1.0, 0.0, 2.0, -3.0], "b": [0.5, -0.25, 0.0625]},
    {"w": [-0.125, 0.75, 0.5, 0.0, -1.5, 1.0], "b": [0.25, 0.5, -0.125]},
    {"w": [0.0625, 0.03125, -0.25, 0.0, 0.5, -0.5], "b": None},
    {"w": [1.5, -0.0078125, 0.125, 0.0, -0.25, 0.75], "b": [-1.0, 0.125, 0.03125]},
]

# hyper uses the TypeScript option names; lrs (when present) overrides the lr before each step.
CASES = [
    {"name": "sgd-plain", "kind": "sgd", "hyper": {"lr": 0.1}},
    {"name": "sgd-momentum-dampening-l2", "kind": "sgd",
     "hyper": {"lr": 0.1, "momentum": 0.9, "dampening": 0.25, "weightDecay": 0.01},
     "lrs": [0.1, 0.05, 0.2, 0.1]},
    {"name": "sgd-nesterov-l2", "kind": "sgd",
     "hyper": {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weightDecay": 0.05}},
    {"name": "sgd-momentum-maximize", "kind": "sgd",
     "hyper": {"lr": 0.1, "momentum": 0.5, "maximize": True}},
    {"name": "adam-default", "kind": "adam", "hyper": {"lr": 0.01}},
    {"name": "adam-l2-amsgrad", "kind": "adam",
     "hyper": {"lr": 0.02, "betas": [0.8, 0.99], "eps": 1e-6, "weightDecay": 0.1, "amsgrad": True},
     "lrs": [0.02, 0.01, 0.03, 0.005]},
    # lr 0 on the first step, as the StyleCLIP schedule gives at t = 0: moments and step count still advance.
    {"name": "adamw-decoupled", "kind": "adamw",
     "hyper": {"lr": 0.01, "weightDecay": 0.1}, "lrs": [0.0, 0.02, 0.01, 0.005]},
    {"name": "adamw-amsgrad-maximize", "kind": "adamw",
     "hyper": {"lr": 0.01, "betas": [0.5, 0.9], "weightDecay": 0.01, "amsgrad": True, "maximize": True}},
]



def styleclip_lr(t, initial_lr, rampdown=0.25, rampup=0.05):
    """The schedule of StyleCLIP's latent optimisation (optimization/run_optimization.py)."""
    lr_ramp = min(1, (1 - t) / rampdown)
    lr_ramp = 0.5 - 0.5 * math.cos(lr_ramp * math.pi)
    lr_ramp = lr_ramp * min(1, t / rampup)
    return initial_lr * lr_ramp


# The latent-optimisation loop: Adam, lr = styleclip_lr(i / steps, 0.05) before step i.
CASES.append({"name": "adam-styleclip-schedule", "kind": "adam", "hyper": {"lr": 0.05},
              "lrs": [styleclip_lr(i / len(GRADS), 0.05) for i in range(len(GRADS))]})

STATE_KEYS = {"momentum_buffer": "momentumBuffer", "exp_avg": "expAvg",
              "exp_avg_sq": "expAvgSq", "max_exp_avg_sq": "maxExpAvgSq"}


def f32(values):
    return [float("%.9g" % v) for v in values]


def make_optimizer(kind, params, h):
    if kind == "sgd":
        return torch.optim.SGD(params, lr=h["lr"], momentum=h.get("momentum", 0.0),
                               dampening=h.get("dampening", 0.0), weight_decay=h.get("weightDecay", 0.0),
                               nesterov=h.get("nesterov", False), maximize=h.get("maximize", False),
                               foreach=False)
    cls = torch.optim.Adam if kind == "adam" else torch.optim.AdamW
    default_wd = 0.0 if kind == "adam" else 1e-2
    return cls(params, lr=h["lr"], betas=tuple(h.get("betas", (0.9, 0.999))), eps=h.get("eps", 1e-8),
               weight_decay=h.get("weightDecay", default_wd), amsgrad=h.get("amsgrad", False),
               maximize=h.get("maximize", False), foreach=False)


def run_case(case):
    tensors = {k: torch.tensor(v, dtype=torch.float32, requires_grad=True) for k, v in PARAMS.items()}
    opt = make_optimizer(case["kind"], list(tensors.values()), case["hyper"])
    after = []
    for i, grads in enumerate(GRADS):
        if "lrs" in case:
            for group in opt.param_groups:
                group["lr"] = case["lrs"][i]
        for k, t in tensors.items():
            g = grads[k]
            t.grad = None if g is None else torch.tensor(g, dtype=torch.float32)
        opt.step()
        after.append({k: f32(t.detach().tolist()) for k, t in tensors.items()})
    state = {}
    for k, t in tensors.items():
        st = opt.state.get(t, {})
        entry = {}
        for torch_key, ts_key in STATE_KEYS.items():
            if torch_key in st and st[torch_key] is not None:
                entry[ts_key] = f32(st[torch_key].tolist())
        if "step" in st:
            entry["step"] = int(st["step"].item())
        state[k] = entry
    out = {k: v for k, v in case.items()}
    out["after"] = after
    out["state"] = state
    return out


def scheduler_values(make, steps, base_lr=0.1):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=base_lr)
    sched = make(opt)
    values = []
    for _ in range(steps):
        values.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return [float("%.15g" % v) for v in values]


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    target = os.path.join(root, "libs/models/src/optim/fixtures/optim-reference.json")
    fixture = {
        "generator": "tools/reference/optim_fixtures.py",
        "torch": torch.__version__,
        "params": PARAMS,
        "grads": GRADS,
        "cases": [run_case(c) for c in CASES],
        "schedules": {
            "cosineAnnealing": {
                "lr": 0.1, "minLr": 0.001, "totalSteps": 8,
                "values": scheduler_values(
                    lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=8, eta_min=0.001), 9),
            },
            "cyclicCosine": {
                "lr": 0.1, "minLr": 0.001, "cycleSteps": 5,
                "values": scheduler_values(
                    lambda o: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=5, eta_min=0.001), 12),
            },
            "styleClip": {
                "lr": 0.1, "totalSteps": 40,
                "values": [float("%.15g" % styleclip_lr(i / 40, 0.1)) for i in range(41)],
            },
        },
    }
    with open(target, "w") as fh:
        json.dump(fixture, fh, separators=(",", ":"))
        fh.write("\n")
    print("wrote %s (%d bytes)" % (os.path.relpath(target, root), os.path.getsize(target)), file=sys.stderr)


if __name__ == "__main__":
    main()
