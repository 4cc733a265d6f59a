"""The text tower of OpenAI CLIP, laid out as OpenAI's model.py lays it out, so that its state_dict keys
are the ones a real checkpoint holds: `token_embedding.weight`, `positional_embedding`,
`transformer.resblocks.N.{attn, ln_1, mlp.c_fc, mlp.c_proj, ln_2}`, `ln_final`, `text_projection`.
Sequences run sequence-first (LND) through nn.MultiheadAttention with an additive causal mask, as in
the original; `forward` is CLIP.encode_text."""

from collections import OrderedDict

import torch
from torch import nn


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model, n_head, attn_mask):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(
            OrderedDict(
                [
                    ("c_fc", nn.Linear(d_model, d_model * 4)),
                    ("gelu", QuickGELU()),
                    ("c_proj", nn.Linear(d_model * 4, d_model)),
                ]
            )
        )
        self.ln_2 = nn.LayerNorm(d_model)
        # A plain attribute, not a buffer: OpenAI's checkpoints carry no mask.
        self.attn_mask = attn_mask

    def forward(self, x):
        mask = self.attn_mask.to(dtype=x.dtype)
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False, attn_mask=mask)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads, attn_mask):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads, attn_mask) for _ in range(layers)])

    def forward(self, x):
        return self.resblocks(x)


def causal_mask(context_length):
    """-inf strictly above the diagonal, 0 elsewhere: position i attends to positions <= i."""
    mask = torch.empty(context_length, context_length)
    mask.fill_(float("-inf"))
    return mask.triu_(1)


class TextTransformer(nn.Module):
    def __init__(self, vocab_size, context_length, width, layers, heads, embed_dim):
        super().__init__()
        self.context_length = context_length
        self.transformer = Transformer(width, layers, heads, causal_mask(context_length))
        self.token_embedding = nn.Embedding(vocab_size, width)
        self.positional_embedding = nn.Parameter(torch.empty(context_length, width))
        self.ln_final = nn.LayerNorm(width)
        self.text_projection = nn.Parameter(torch.empty(width, embed_dim))
        nn.init.normal_(self.token_embedding.weight, std=0.02)
        nn.init.normal_(self.positional_embedding, std=0.01)
        nn.init.normal_(self.text_projection, std=width**-0.5)

    def forward(self, text):
        x = self.token_embedding(text) + self.positional_embedding
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        x = self.ln_final(x)
        # Each row is read at its end-of-text token, the largest id in the vocabulary.
        return x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection


def build(seed=0):
    """Vocabulary 64, context 16, width 32, 2 layers, 4 heads, 24-d output. LayerNorm affine
    parameters and attention biases are randomised away from their 1/0 defaults, and the embeddings
    scaled up, so that every parameter visibly shapes the output."""
    torch.manual_seed(seed)
    m = TextTransformer(vocab_size=64, context_length=16, width=32, layers=2, heads=4, embed_dim=24)
    with torch.no_grad():
        for name, p in m.named_parameters():
            if ".ln_" in name or name.startswith("ln_"):
                if name.endswith("weight"):
                    p.copy_(1 + 0.1 * torch.randn_like(p))
                else:
                    p.copy_(0.1 * torch.randn_like(p))
            elif name.endswith("in_proj_bias") or name.endswith("out_proj.bias"):
                p.copy_(0.05 * torch.randn_like(p))
            elif name in ("token_embedding.weight", "positional_embedding"):
                p.mul_(25)
    m.eval()
    return m
