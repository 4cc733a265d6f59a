import { describe, expect, it } from 'vitest';
import { createSession } from '../../runtime/session.ts';
import { f32 } from '../../runtime/host-tensor.ts';
import { GraphBuilder } from '../graph-builder.ts';
import { Rng } from '../rng.ts';
import { causalMask, multiHeadSelfAttention } from './attention.ts';

interface MhaWeights {
  inW: Float32Array;
  inB: Float32Array;
  outW: Float32Array;
  outB: Float32Array;
}

/** nn.MultiheadAttention's arithmetic, written out loop by loop, on batch-first x [N, L, D]. */
function mhaRef(
  x: Float32Array,
  n: number,
  l: number,
  d: number,
  heads: number,
  w: MhaWeights,
  causal: boolean,
): number[] {
  const hd = d / heads;
  const out: number[] = [];
  for (let b = 0; b < n; b++) {
    const row = (t: number): Float32Array => x.subarray((b * l + t) * d, (b * l + t + 1) * d);
    const qkv = Array.from({ length: l }, (_, t) =>
      Array.from({ length: 3 * d }, (_, j) => {
        let s = w.inB[j]!;
        for (let i = 0; i < d; i++) s += row(t)[i]! * w.inW[j * d + i]!;
        return s;
      }),
    );
    const merged = Array.from({ length: l }, () => new Array<number>(d).fill(0));
    for (let h = 0; h < heads; h++) {
      for (let t = 0; t < l; t++) {
        const scores = Array.from({ length: l }, (_, u) => {
          if (causal && u > t) return -Infinity;
          let s = 0;
          for (let e = 0; e < hd; e++) s += qkv[t]![h * hd + e]! * qkv[u]![d + h * hd + e]!;
          return s / Math.sqrt(hd);
        });
        const m = Math.max(...scores);
        const p = scores.map((s) => Math.exp(s - m));
        const z = p.reduce((a, v) => a + v, 0);
        for (let e = 0; e < hd; e++) {
          let s = 0;
          for (let u = 0; u < l; u++) s += (p[u]! / z) * qkv[u]![2 * d + h * hd + e]!;
          merged[t]![h * hd + e] = s;
        }
      }
    }
    for (let t = 0; t < l; t++)
      for (let o = 0; o < d; o++) {
        let s = w.outB[o]!;
        for (let i = 0; i < d; i++) s += merged[t]![i]! * w.outW[o * d + i]!;
        out.push(s);
      }
  }
  return out;
}

function build(
  d: number,
  heads: number,
  shape: (number | string)[],
  causalLength?: number,
): { b: GraphBuilder; y: string; w: MhaWeights } {
  const b = new GraphBuilder('t', 11);
  const x = b.input('x', shape);
  const mask = causalLength === undefined ? undefined : causalMask(b, causalLength);
  const y = multiHeadSelfAttention(b, x, { name: 'attn', dim: d, heads, ...(mask ? { mask } : {}) });
  b.output(y);
  const get = (k: string): Float32Array => b.findInitializer(`attn.${k}`)!.data as Float32Array;
  const w = {
    inW: get('in_proj_weight'),
    inB: get('in_proj_bias'),
    outW: get('out_proj.weight'),
    outB: get('out_proj.bias'),
  };
  // The biases start at zero; make them count.
  const rng = new Rng(12);
  rng.fillNormal(w.inB, 0.5);
  rng.fillNormal(w.outB, 0.5);
  return { b, y, w };
}

describe('multi-head self-attention', () => {
  it('uses nn.MultiheadAttention parameter names and shapes', () => {
    const { b } = build(8, 2, [1, 3, 8]);
    const dims = Object.fromEntries(
      b.graph.initializers.filter((t) => t.name.startsWith('attn.')).map((t) => [t.name, t.dims]),
    );
    expect(dims).toEqual({
      'attn.in_proj_weight': [24, 8],
      'attn.in_proj_bias': [24],
      'attn.out_proj.weight': [8, 8],
      'attn.out_proj.bias': [8],
    });
  });

  it('matches a direct reference (N=2, L=5, D=8, 2 heads)', async () => {
    const { b, y, w } = build(8, 2, [2, 5, 8]);
    const xv = new Rng(1).fillNormal(new Float32Array(80));
    const out = (await (await createSession(b.model())).run({ x: f32(xv, [2, 5, 8]) }))[y]!;
    expect(out.dims).toEqual([2, 5, 8]);
    mhaRef(xv, 2, 5, 8, 2, w, false).forEach((v, i) => expect(out.data[i]).toBeCloseTo(v, 4));
  });

  it('with a causal mask (CLIP text encoder) and 3 heads', async () => {
    const { b, y, w } = build(6, 3, [1, 4, 6], 4);
    const xv = new Rng(2).fillNormal(new Float32Array(24));
    const out = (await (await createSession(b.model())).run({ x: f32(xv, [1, 4, 6]) }))[y]!;
    mhaRef(xv, 1, 4, 6, 3, w, true).forEach((v, i) => expect(out.data[i]).toBeCloseTo(v, 4));
  });

  it('takes a dynamic batch and sequence length', async () => {
    const { b, y, w } = build(4, 2, ['n', 'l', 4]);
    const session = await createSession(b.model());
    for (const [n, l] of [
      [1, 3],
      [3, 7],
    ] as const) {
      const xv = new Rng(n * 10 + l).fillNormal(new Float32Array(n * l * 4));
      const out = (await session.run({ x: f32(xv, [n, l, 4]) }))[y]!;
      expect(out.dims).toEqual([n, l, 4]);
      mhaRef(xv, n, l, 4, 2, w, false).forEach((v, i) => expect(out.data[i]).toBeCloseTo(v, 4));
    }
  });
});
