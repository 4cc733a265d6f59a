import { describe, expect, it } from 'vitest';
import { createSession } from '../../runtime/session.ts';
import { f32 } from '../../runtime/host-tensor.ts';
import { GraphBuilder } from '../graph-builder.ts';
import { fusedLeakyRelu, gelu, quickGelu } from './activation.ts';

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

const xs = [-3, -1.5, -0.7, -0.1, 0, 0.2, 0.9, 1.7, 2.5, 4];

async function runUnary(
  build: (b: GraphBuilder, x: string) => string,
  values: number[],
  dims = [values.length],
): Promise<Float32Array> {
  const b = new GraphBuilder('t');
  const x = b.input('x', dims);
  b.output(build(b, x));
  const out = await (await createSession(b.model())).run({ x: f32(values, dims) });
  return Object.values(out)[0]!.data as Float32Array;
}

describe('activations', () => {
  it('gelu is x·Φ(x) (exact, erf-based)', async () => {
    const y = await runUnary(gelu, xs);
    xs.forEach((x, i) => expect(y[i]).toBeCloseTo(0.5 * x * (1 + erf(x / Math.SQRT2)), 5));
  });

  it('quickGelu is x·sigmoid(1.702x)', async () => {
    const y = await runUnary(quickGelu, xs);
    xs.forEach((x, i) => expect(y[i]).toBeCloseTo(x / (1 + Math.exp(-1.702 * x)), 5));
  });

  it('fusedLeakyRelu adds a per-channel bias on axis 1, then leaky 0.2 and √2 gain', async () => {
    const bias = [0.5, -1, 2];
    const dims = [2, 3, 2, 2];
    const values = Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.3) * 2);
    const y = await runUnary((b, x) => fusedLeakyRelu(b, x, b.constF(bias), { rank: 4 }), values, dims);
    values.forEach((v, i) => {
      const c = Math.floor(i / 4) % 3;
      const s = v + bias[c]!;
      expect(y[i]).toBeCloseTo((s >= 0 ? s : 0.2 * s) * Math.SQRT2, 5);
    });
  });

  it('fusedLeakyRelu on [B, C] with no bias', async () => {
    const y = await runUnary((b, x) => fusedLeakyRelu(b, x, null, { rank: 2 }), xs, [2, 5]);
    xs.forEach((x, i) => expect(y[i]).toBeCloseTo((x >= 0 ? x : 0.2 * x) * Math.SQRT2, 5));
  });
});
