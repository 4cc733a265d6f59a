import { describe, expect, it } from 'vitest';
import { createSession } from '../../runtime/session.ts';
import { f32 } from '../../runtime/host-tensor.ts';
import { GraphBuilder } from '../graph-builder.ts';
import { Rng } from '../rng.ts';
import { stateDictKeys } from './params.ts';
import { residualAttentionBlock, transformer } from './transformer.ts';

type Mat = number[][];

const lin = (x: Mat, w: Float32Array, bias: Float32Array, inF: number): Mat =>
  x.map((r) => Array.from(bias, (bo, o) => r.reduce((s, v, i) => s + v * w[o * inF + i]!, bo)));

const ln = (x: Mat, g: Float32Array, beta: Float32Array): Mat =>
  x.map((r) => {
    const m = r.reduce((s, v) => s + v, 0) / r.length;
    const v = r.reduce((s, t) => s + (t - m) ** 2, 0) / r.length;
    return r.map((t, i) => ((t - m) / Math.sqrt(v + 1e-5)) * g[i]! + beta[i]!);
  });

/** Self-attention over the rows of one sequence x [L, D]. */
function attn(x: Mat, heads: number, p: (k: string) => Float32Array): Mat {
  const d = x[0]!.length;
  const hd = d / heads;
  const qkv = lin(x, p('attn.in_proj_weight'), p('attn.in_proj_bias'), d);
  const merged = x.map(() => new Array<number>(d).fill(0));
  for (let h = 0; h < heads; h++)
    qkv.forEach((qt, t) => {
      const s = qkv.map((ku) => {
        let a = 0;
        for (let e = 0; e < hd; e++) a += qt[h * hd + e]! * ku[d + h * hd + e]!;
        return a / Math.sqrt(hd);
      });
      const m = Math.max(...s);
      const e = s.map((v) => Math.exp(v - m));
      const z = e.reduce((a, v) => a + v, 0);
      for (let j = 0; j < hd; j++)
        merged[t]![h * hd + j] = qkv.reduce((a, vu, u) => a + (e[u]! / z) * vu[2 * d + h * hd + j]!, 0);
    });
  return lin(merged, p('attn.out_proj.weight'), p('attn.out_proj.bias'), d);
}

const addM = (a: Mat, b: Mat): Mat => a.map((r, i) => r.map((v, j) => v + b[i]![j]!));

function blockRef(x: Mat, heads: number, p: (k: string) => Float32Array): Mat {
  const d = x[0]!.length;
  const h = addM(x, attn(ln(x, p('ln_1.weight'), p('ln_1.bias')), heads, p));
  const fc = lin(ln(h, p('ln_2.weight'), p('ln_2.bias')), p('mlp.c_fc.weight'), p('mlp.c_fc.bias'), d);
  const act = fc.map((r) => r.map((v) => v / (1 + Math.exp(-1.702 * v))));
  return addM(h, lin(act, p('mlp.c_proj.weight'), p('mlp.c_proj.bias'), 4 * d));
}

describe('CLIP residual attention block', () => {
  it('has OpenAI CLIP parameter names', () => {
    const b = new GraphBuilder('t');
    transformer(b, b.input('x', [1, 2, 8]), { name: 'transformer', width: 8, layers: 2, heads: 2 });
    const names = stateDictKeys(b).filter((n) => n.includes('resblocks.1.'));
    expect(names.sort()).toEqual(
      [
        'attn.in_proj_bias',
        'attn.in_proj_weight',
        'attn.out_proj.bias',
        'attn.out_proj.weight',
        'ln_1.bias',
        'ln_1.weight',
        'ln_2.bias',
        'ln_2.weight',
        'mlp.c_fc.bias',
        'mlp.c_fc.weight',
        'mlp.c_proj.bias',
        'mlp.c_proj.weight',
      ].map((k) => `transformer.resblocks.1.${k}`),
    );
    expect(b.findInitializer('transformer.resblocks.1.mlp.c_fc.weight')!.dims).toEqual([32, 8]);
  });

  it('is x + attn(ln_1 x), then + c_proj(quickGelu(c_fc(ln_2 ·))) (direct reference, N=2, L=3, W=8)', async () => {
    const b = new GraphBuilder('t', 21);
    const y = residualAttentionBlock(b, b.input('x', [2, 3, 8]), { name: 'blk', width: 8, heads: 2 });
    b.output(y);
    // Give every zero/one-initialised tensor (biases, LN affine) random values so each one matters.
    const rng = new Rng(22);
    for (const t of b.graph.initializers) {
      if (t.name.startsWith('blk.') && (t.name.endsWith('bias') || t.name.includes('ln_')))
        rng.fillNormal(t.data as Float32Array, 0.3, t.name.endsWith('weight') ? 1 : 0);
    }
    const p = (k: string): Float32Array => b.findInitializer(`blk.${k}`)!.data as Float32Array;
    const xv = new Rng(23).fillNormal(new Float32Array(48));
    const out = (await (await createSession(b.model())).run({ x: f32(xv, [2, 3, 8]) }))[y]!;
    expect(out.dims).toEqual([2, 3, 8]);
    for (let n = 0; n < 2; n++) {
      const x = Array.from({ length: 3 }, (_, t) => [...xv.subarray((n * 3 + t) * 8, (n * 3 + t + 1) * 8)]);
      blockRef(x, 2, p)
        .flat()
        .forEach((v, i) => expect(out.data[n * 24 + i]).toBeCloseTo(v, 4));
    }
  });

  it('a GELU stack runs with dynamic batch and length', async () => {
    const b = new GraphBuilder('t');
    const y = transformer(b, b.input('x', ['n', 'l', 8]), {
      name: 't',
      width: 8,
      layers: 3,
      heads: 4,
      activation: 'gelu',
    });
    b.output(y);
    expect(b.graph.nodes.some((n) => n.opType === 'Erf')).toBe(true);
    const out = (
      await (
        await createSession(b.model())
      ).run({ x: f32(new Rng(3).fillNormal(new Float32Array(40)), [5, 1, 8]) })
    )[y]!;
    expect(out.dims).toEqual([5, 1, 8]);
    expect([...(out.data as Float32Array)].every(Number.isFinite)).toBe(true);
  });
});
