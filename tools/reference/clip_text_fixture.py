"""Writes libs/models/test/fixtures/clip_text.json, read by libs/models/test/clip-text-reference.test.ts.

A small OpenAI-layout CLIP text tower (clip_text.py) with seeded random weights: its full state_dict,
a batch of token rows (start token, random ids, the end-of-text token at varying positions, zero
padding after it, as CLIP's tokenizer pads), and PyTorch's encode_text features for them. The TS
test builds the same tower with the graph builder, fills its parameters by state_dict name and
compares.

Run with Debian's interpreter, which has torch:  /usr/bin/python3 tools/reference/clip_text_fixture.py
"""

import base64
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402

import clip_text  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "libs", "models", "test", "fixtures", "clip_text.json")
# Where each row's end-of-text token sits: right after the start token, mid-row, and in the last slot.
EOT_POSITIONS = [1, 5, 9, 15]


def encode(t):
    a = np.ascontiguousarray(t.detach().cpu().numpy().astype("<f4"))
    return {"dims": list(a.shape), "data": base64.b64encode(a.tobytes()).decode("ascii")}


def token_rows(vocab, context, eot_positions, seed):
    """Rows as CLIP's tokenizer lays them out: SOT (vocab - 2), words, EOT (vocab - 1), then zeros."""
    gen = torch.Generator().manual_seed(seed)
    rows = torch.zeros(len(eot_positions), context, dtype=torch.int64)
    for r, eot in enumerate(eot_positions):
        rows[r, 0] = vocab - 2
        rows[r, 1:eot] = torch.randint(1, vocab - 2, (eot - 1,), generator=gen)
        rows[r, eot] = vocab - 1
    return rows


def main():
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    model = clip_text.build(seed=0)
    vocab = model.token_embedding.num_embeddings
    tokens = token_rows(vocab, model.context_length, EOT_POSITIONS, seed=4)
    with torch.no_grad():
        features = model(tokens)
        features64 = model.double()(tokens)
        model.float()
    fp32_error = float((features.double() - features64).abs().max() / features64.abs().max())
    # Each row alone gives the same features: rows do not see each other.
    with torch.no_grad():
        for r in range(tokens.shape[0]):
            assert torch.allclose(model(tokens[r : r + 1]), features[r : r + 1], atol=1e-6)

    state = model.state_dict()
    fixture = {
        "name": "clip_text",
        "description": "OpenAI-layout CLIP text tower (encode_text): vocab 64, context 16, width 32, 2 layers, 4 heads, 24-d output",
        "generator": f"tools/reference/clip_text_fixture.py (torch {torch.__version__})",
        "config": {"vocabSize": vocab, "contextLength": model.context_length, "width": 32, "layers": 2, "heads": 4, "embedDim": 24},
        "tokens": {"dims": list(tokens.shape), "data": tokens.flatten().tolist()},
        "features": encode(features),
        "stateDict": {k: encode(v) for k, v in state.items()},
        "fp32VsFp64RelError": fp32_error,
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f)
        f.write("\n")
    print(f"{os.path.relpath(OUT, ROOT)}  {os.path.getsize(OUT) / 1024:.0f} KiB")
    print(f"  state_dict: {len(state)} tensors, {sum(v.numel() for v in state.values())} values")
    print(f"  tokens:\n{tokens}")
    print(f"  float32 vs float64 (max rel): {fp32_error:.2e}")


if __name__ == "__main__":
    main()
