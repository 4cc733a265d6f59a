"""PyTorch's time for one W+ latent-optimisation step on the benchmark graphs of `npm run bench:grad`:
rosinality StyleGAN2 synthesis (config-f widths) -> bilinear resize to 224 -> CLIP ViT-B/32,
loss = 1 - cos(embedding, target) + lambda * ||w - w_s||^2, Adam. Prints one JSON line.

Run with Debian's torch: /usr/bin/python3 tools/bench/torch_grad_step.py --size 64 --case latent
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "reference"))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from clip_vit import VisionTransformer  # noqa: E402
from stylegan2_rosinality import Generator  # noqa: E402

CONFIG_F = {4: 512, 8: 512, 16: 512, 32: 512, 64: 512, 128: 256, 256: 128, 512: 64, 1024: 32}
CLIP_MEAN = torch.tensor([0.48145466, 0.4578275, 0.40821073]).view(1, 3, 1, 1)
CLIP_STD = torch.tensor([0.26862954, 0.26130258, 0.27577711]).view(1, 3, 1, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, required=True)
    ap.add_argument("--case", choices=["latent", "all"], required=True)
    ap.add_argument("--steps", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--lambda-l2", type=float, default=0.008)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    g = Generator(args.size, 512, 8, CONFIG_F).eval()
    vit = VisionTransformer(224, 32, 768, 12, 12, 512).eval()
    n_latent = g.n_latent
    w_s = torch.randn(1, 1, 512).expand(1, n_latent, 512).clone()
    w = w_s.clone().requires_grad_(True)
    target = F.normalize(torch.randn(1, 512), dim=-1)
    params = [w]
    if args.case == "all":
        params += list(g.parameters()) + list(vit.parameters())
    else:
        for p in list(g.parameters()) + list(vit.parameters()):
            p.requires_grad_(False)
    opt = torch.optim.Adam(params, lr=0.1)

    def step():
        opt.zero_grad(set_to_none=True)
        img = g(w)
        x = F.interpolate(img, size=(224, 224), mode="bilinear", align_corners=False)
        x = ((x + 1) / 2 - CLIP_MEAN) / CLIP_STD
        emb = vit(x)
        loss = 1 - F.cosine_similarity(emb, target).mean() + args.lambda_l2 * ((w - w_s) ** 2).sum()
        loss.backward()
        opt.step()
        return float(loss)

    step()  # warm-up
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    times.sort()
    print(json.dumps({"size": args.size, "case": args.case, "step_ms": 1000 * times[len(times) // 2], "torch": torch.__version__}))


if __name__ == "__main__":
    main()
