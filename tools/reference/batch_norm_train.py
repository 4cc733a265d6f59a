#!/usr/bin/python3
"""Reference numerics for libs/models/src/transforms/train-mode-batch-norm.ts: runs
torch.nn.BatchNorm1d/2d in train mode (batch statistics) on fixed random tensors and writes
libs/models/test/fixtures/batch_norm_train.json.

Run from the repository root with Debian's torch:  /usr/bin/python3 tools/reference/batch_norm_train.py

For each case: y = bn(x), loss = sum(y * R) for a fixed random R, autograd gradients of the loss
w.r.t. x, weight and bias, the batch mean and unbiased variance, and the running statistics after
this one forward (momentum 0.1): running = 0.9 * running + 0.1 * batch. Float arrays are
{dims, data} with data the base64 of little-endian float32 values, as export_reference.py writes.
The same computation in float64 gives fp32VsFp64RelError (max |fp32 - fp64| / max |fp64|), the
floor for any tolerance.
"""
import base64
import json
import os
import sys

import numpy as np
import torch

CASES = [
    # name, module, input shape: the rank-4 case is what the ResNet audio encoder runs; ranks 2 and 3 are BatchNorm1d.
    ("bn2d", torch.nn.BatchNorm2d, [3, 4, 5, 6]),
    ("bn1d_nc", torch.nn.BatchNorm1d, [6, 5]),
    ("bn1d_ncl", torch.nn.BatchNorm1d, [2, 3, 7]),
]
MOMENTUM = 0.1
EPS = 1e-5


def encode(t):
    a = np.ascontiguousarray(t.detach().cpu().numpy().astype("<f4"))
    return {"dims": list(a.shape), "data": base64.b64encode(a.tobytes()).decode("ascii")}


def max_rel_gap(a, b):
    return float((a.double() - b).abs().max() / b.abs().max().clamp_min(1e-30))


def run(module_cls, channels, tensors, dtype):
    """One train-mode forward + backward of sum(y * R); returns every recorded quantity."""
    bn = module_cls(channels, eps=EPS, momentum=MOMENTUM).to(dtype)
    with torch.no_grad():
        bn.weight.copy_(tensors["weight"])
        bn.bias.copy_(tensors["bias"])
        bn.running_mean.copy_(tensors["running_mean"])
        bn.running_var.copy_(tensors["running_var"])
    bn.train()
    x = tensors["x"].to(dtype).clone().requires_grad_(True)
    y = bn(x)
    loss = (y * tensors["projection"].to(dtype)).sum()
    gx, gw, gb = torch.autograd.grad(loss, [x, bn.weight, bn.bias])
    axes = [0] + list(range(2, x.dim()))
    batch_mean = x.detach().mean(dim=axes)
    batch_var = x.detach().var(dim=axes, unbiased=True)
    return {
        "y": y.detach(),
        "grad_x": gx,
        "grad_weight": gw,
        "grad_bias": gb,
        "batch_mean": batch_mean,
        "batch_var": batch_var,
        "running_mean_after": bn.running_mean.detach().clone(),
        "running_var_after": bn.running_var.detach().clone(),
        "loss": float(loss),
    }


def make_case(name, module_cls, shape, gen):
    c = shape[1]
    tensors = {
        "x": torch.randn(shape, generator=gen) * 1.5 + 0.3,
        "weight": torch.rand(c, generator=gen) + 0.5,
        "bias": torch.randn(c, generator=gen) * 0.5,
        "running_mean": torch.randn(c, generator=gen) * 0.2,
        "running_var": torch.rand(c, generator=gen) + 0.5,
        "projection": torch.randn(shape, generator=gen),
    }
    f32 = run(module_cls, c, {k: v.float() for k, v in tensors.items()}, torch.float32)
    f64 = run(module_cls, c, {k: v.double() for k, v in tensors.items()}, torch.float64)
    results = {k: v for k, v in f32.items() if k != "loss"}
    gaps = {k: max_rel_gap(v, f64[k]) for k, v in results.items()}
    # torch's batch statistics must be what it folded into the running ones.
    expected_mean = (1 - MOMENTUM) * tensors["running_mean"] + MOMENTUM * f32["batch_mean"]
    assert torch.allclose(expected_mean, f32["running_mean_after"], atol=1e-6)
    expected_var = (1 - MOMENTUM) * tensors["running_var"] + MOMENTUM * f32["batch_var"]
    assert torch.allclose(expected_var, f32["running_var_after"], atol=1e-6)
    return {
        "name": name,
        "module": module_cls.__name__,
        "inputs": {k: encode(v) for k, v in tensors.items()},
        "outputs": {k: encode(v) for k, v in results.items()},
        "loss": f32["loss"],
        "fp32VsFp64RelError": gaps,
    }


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    target = os.path.join(root, "libs/models/test/fixtures/batch_norm_train.json")
    gen = torch.Generator().manual_seed(20240613)
    fixture = {
        "generator": "tools/reference/batch_norm_train.py",
        "torch": torch.__version__,
        "momentum": MOMENTUM,
        "eps": EPS,
        "cases": [make_case(name, cls, shape, gen) for name, cls, shape in CASES],
    }
    with open(target, "w") as fh:
        json.dump(fixture, fh, indent=1)
        fh.write("\n")
    print("wrote %s (%d bytes)" % (os.path.relpath(target, root), os.path.getsize(target)), file=sys.stderr)
    for case in fixture["cases"]:
        print("  %s: fp32 vs fp64 (max rel) %s" % (case["name"], case["fp32VsFp64RelError"]), file=sys.stderr)


if __name__ == "__main__":
    main()
