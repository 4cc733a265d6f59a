"""Writes the PyTorch reference fixtures read by libs/models/test/reference.test.ts.

For each architecture (seeded random weights): the model exported with torch.onnx at opset 17, and a
JSON file holding the input(s), PyTorch's output(s), a fixed random projection R per output, and
PyTorch autograd gradients of loss = sum(output * R) with respect to the inputs and a few weights,
each mapped to the ONNX graph's tensor name.

Run with Debian's interpreter, which has torch and onnx:  /usr/bin/python3 tools/reference/export_reference.py
"""

import base64
import collections
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import numpy_helper  # noqa: E402
import torch  # noqa: E402

import clip_vit  # noqa: E402
import resnet  # noqa: E402
import stylegan2_rosinality  # noqa: E402

OPSET = 17
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(ROOT, "libs", "models", "test", "fixtures")


def encode(t):
    a = np.ascontiguousarray(t.detach().cpu().numpy().astype("<f4"))
    return {"dims": list(a.shape), "data": base64.b64encode(a.tobytes()).decode("ascii")}


def max_rel_gap(a, b):
    """max |a - b| / max |b|: how far float32 is from the float64 re-run of the same model."""
    return float((a.double() - b).abs().max() / b.abs().max().clamp_min(1e-30))


def run_torch(module, inputs, weights, projections):
    """Forward, then autograd of sum_k sum(out_k * R_k) w.r.t. the inputs and the named weights."""
    params = dict(module.named_parameters())
    for p in module.parameters():
        p.requires_grad_(False)
    for w in weights:
        params[w].requires_grad_(True)
    leaves = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
    outs = module(*leaves.values())
    outs = outs if isinstance(outs, tuple) else (outs,)
    loss = sum((o * r).sum() for o, r in zip(outs, projections))
    targets = list(leaves.values()) + [params[w] for w in weights]
    grads = torch.autograd.grad(loss, targets)
    for p in module.parameters():
        p.requires_grad_(False)
    return [o.detach() for o in outs], dict(zip(list(leaves) + weights, grads)), float(loss)


def export(name, description, module, inputs, output_names, weights, seed, bn_fused=None):
    """inputs: ordered {onnx input name: tensor}; weights: torch parameter names to differentiate;
    bn_fused: {conv weight: BatchNorm module} for weights the export folds a BatchNorm into."""
    module.eval()
    os.makedirs(OUT_DIR, exist_ok=True)
    onnx_path = os.path.join(OUT_DIR, f"{name}.onnx")
    with torch.no_grad():
        torch.onnx.export(
            module,
            tuple(inputs.values()),
            onnx_path,
            opset_version=OPSET,
            input_names=list(inputs),
            output_names=output_names,
            keep_initializers_as_inputs=False,
            # Folding would merge parameters with the constants they are scaled by (equalised
            # learning rate), renaming them and losing the weights we differentiate.
            do_constant_folding=False,
            training=torch.onnx.TrainingMode.EVAL,
        )
    model = onnx.load(onnx_path)
    onnx.checker.check_model(model)

    with torch.no_grad():
        probe = module(*inputs.values())
    probe = probe if isinstance(probe, tuple) else (probe,)
    gen = torch.Generator().manual_seed(seed + 1000)
    projections = [torch.randn(o.shape, generator=gen) for o in probe]

    outs, grads, loss = run_torch(module, inputs, weights, projections)

    # The same computation in float64 estimates float32's own rounding error: the comparison
    # tolerances in the TS test must sit comfortably above it.
    m64 = module.double()
    outs64, grads64, _ = run_torch(m64, {k: v.double() for k, v in inputs.items()}, weights, [r.double() for r in projections])
    module.float()
    fp32_error = {
        "outputs": {n: max_rel_gap(a, b) for n, a, b in zip(output_names, outs, outs64)},
        "gradients": {k: max_rel_gap(grads[k], grads64[k]) for k in grads},
    }

    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    state = dict(module.named_parameters())
    modules = dict(module.named_modules())
    wrt = []
    for k, g in grads.items():
        if k in inputs:
            wrt.append({"torch": k, "onnx": k, "kind": "input", "gradient": encode(g)})
            continue
        entry = {"torch": k, "kind": "initializer"}
        value = state[k].detach()
        if k in (bn_fused or {}):
            # torch.onnx's eval-mode export folds BatchNorm into the preceding conv: the graph
            # holds W' = W * s with s = gamma / sqrt(running_var + eps) per output channel. The
            # function is the same, so dL/dW' = dL/dW / s.
            bn = modules[bn_fused[k]]
            s = (bn.weight / torch.sqrt(bn.running_var + bn.eps)).detach().view(-1, *([1] * (value.ndim - 1)))
            value = value * s
            g = g / s
            entry["fusedWith"] = bn_fused[k]
        onnx_name = k if k in inits else None
        if onnx_name is None:
            # torch.onnx renames folded or deduplicated initializers: find this one by its values.
            want = value.numpy()
            hits = [n for n, a in inits.items() if a.shape == want.shape and np.allclose(a, want, rtol=1e-5, atol=1e-7)]
            if len(hits) != 1:
                raise RuntimeError(f"{name}: parameter {k} matches {len(hits)} initializers of the exported graph")
            onnx_name = hits[0]
        entry["onnx"] = onnx_name
        entry["gradient"] = encode(g)
        wrt.append(entry)

    graph_inputs = [i.name for i in model.graph.input]
    graph_outputs = [o.name for o in model.graph.output]
    assert graph_inputs == list(inputs), (graph_inputs, list(inputs))
    assert graph_outputs == output_names, (graph_outputs, output_names)

    hist = collections.Counter(n.op_type for n in model.graph.node)
    fixture = {
        "name": name,
        "description": description,
        "generator": f"tools/reference/export_reference.py (torch {torch.__version__}, onnx {onnx.__version__})",
        "opset": OPSET,
        "inputs": {k: encode(v) for k, v in inputs.items()},
        "outputs": {n: encode(o) for n, o in zip(output_names, outs)},
        "projections": {n: encode(r) for n, r in zip(output_names, projections)},
        "loss": loss,
        "wrt": wrt,
        "opHistogram": dict(sorted(hist.items())),
        "fp32VsFp64RelError": fp32_error,
    }
    json_path = os.path.join(OUT_DIR, f"{name}.json")
    with open(json_path, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    return onnx_path, json_path, hist, fp32_error, wrt


def main():
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    results = []

    g = stylegan2_rosinality.build(seed=0)
    gen = torch.Generator().manual_seed(1)
    latent = torch.randn(1, g.n_latent, g.style_dim, generator=gen)
    results.append(
        export(
            "stylegan2_synthesis",
            "rosinality-layout StyleGAN2 synthesis, 64 px, channels 32/32/16/16/8, style_dim 32, fixed noise; W+ latent -> image",
            g,
            {"latent": latent},
            ["image"],
            ["convs.2.conv.weight", "convs.5.conv.modulation.weight", "to_rgbs.1.bias"],
            seed=1,
        )
    )

    vit = clip_vit.build(seed=0)
    gen = torch.Generator().manual_seed(2)
    image = torch.randn(1, 3, 32, 32, generator=gen)
    results.append(
        export(
            "clip_vit",
            "OpenAI-layout CLIP ViT image encoder: 32 px, patch 8, width 64, 2 layers, 4 heads, 32-d output",
            vit,
            {"image": image},
            ["embedding"],
            ["conv1.weight", "transformer.resblocks.1.ln_2.weight", "proj"],
            seed=2,
        )
    )

    audio = resnet.build(seed=0)
    gen = torch.Generator().manual_seed(3)
    spec = torch.randn(1, 1, 64, 80, generator=gen)
    results.append(
        export(
            "resnet18_audio",
            "1->3 channel 3x3 conv stem + torchvision-layout ResNet-18 (base width 8, eval-mode BatchNorm), 32-d output; spectrogram [1,1,64,80]",
            audio,
            {"spectrogram": spec},
            ["embedding"],
            ["stem.weight", "resnet.layer3.0.conv1.weight", "resnet.fc.weight"],
            seed=3,
            bn_fused={"resnet.layer3.0.conv1.weight": "resnet.layer3.0.bn1"},
        )
    )

    total = 0
    for onnx_path, json_path, hist, fp32_error, wrt in results:
        sizes = [os.path.getsize(p) for p in (onnx_path, json_path)]
        total += sum(sizes)
        print(f"{os.path.relpath(onnx_path, ROOT)}  {sizes[0] / 1024:.0f} KiB")
        print(f"{os.path.relpath(json_path, ROOT)}  {sizes[1] / 1024:.0f} KiB")
        print("  ops: " + ", ".join(f"{k}x{v}" for k, v in sorted(hist.items())))
        print("  wrt: " + ", ".join(f"{w['torch']}->{w['onnx']}" for w in wrt))
        print(f"  float32 vs float64 (max rel): outputs {fp32_error['outputs']}, gradients {fp32_error['gradients']}")
    print(f"total {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
