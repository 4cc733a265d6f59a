import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../builder/graph-builder.ts';
import type { Model } from '../onnx/ir.ts';
import { compileGradientProgram } from './gradient-program.ts';
import type { HostTensor } from './host-tensor.ts';

/** y = tanh(x W1 + b1) W2 + b2, loss = mean((y - t)^2): broadcasting bias adds on the path. */
function regression(): { model: Model; loss: string; pred: string } {
  const b = new GraphBuilder('mlp', 5);
  const x = b.input('x', [8, 3]);
  const t = b.input('t', [8, 1]);
  const w1 = b.param('w1', [3, 16], { kind: 'kaiming', fanIn: 3, gain: 1 });
  const b1 = b.param('b1', [16], { kind: 'zeros' });
  const w2 = b.param('w2', [16, 1], { kind: 'kaiming', fanIn: 16, gain: 1 });
  const b2 = b.param('b2', [1], { kind: 'zeros' });
  const h = b.op('Tanh', [b.op('Add', [b.op('MatMul', [x, w1]), b1])]);
  const pred = b.op('Add', [b.op('MatMul', [h, w2]), b2]);
  const d = b.op('Sub', [pred, t]);
  const loss = b.op('ReduceMean', [b.op('Mul', [d, d])], { keepdims: 0 });
  b.output(loss);
  return { model: b.model(), loss, pred };
}

function data(): Record<string, HostTensor> {
  const xs = new Float32Array(24);
  const ts = new Float32Array(8);
  for (let i = 0; i < 8; i++) {
    const a = i / 4 - 1;
    xs.set([a, a * a, Math.sin(3 * a)], i * 3);
    ts[i] = 0.5 * a - a * a + 0.3 * Math.sin(3 * a);
  }
  return { x: { data: xs, dims: [8, 3] }, t: { data: ts, dims: [8, 1] } };
}

describe('GradientProgram', () => {
  it('trains parameters fed as inputs, one session for every step', async () => {
    const { model, loss, pred } = regression();
    const feeds = data();
    const program = await compileGradientProgram(model, {
      loss,
      params: ['w1', 'b1', 'w2', 'b2'],
      exampleFeeds: feeds,
      fetch: [pred],
    });
    const first = await program.step(feeds);
    let last = first;
    for (let i = 0; i < 200; i++) {
      last = await program.step(feeds);
      for (const [name, g] of Object.entries(last.grads)) {
        const p = program.params[name]!;
        for (let k = 0; k < p.length; k++) p[k]! -= 0.1 * g[k]!;
      }
    }
    expect(first.grads.b1).toHaveLength(16);
    expect(last.outputs[pred]!.dims).toEqual([8, 1]);
    expect(last.loss).toBeLessThan(first.loss * 0.2);
  });

  it('emits static un-broadcasts when shapes are probed, run-time ones otherwise', async () => {
    const { model, loss } = regression();
    const probed = await compileGradientProgram(model, { loss, params: ['b1'], exampleFeeds: data() });
    const plain = await compileGradientProgram(model, { loss, params: ['b1'] });
    const ops = (m: Model) => m.graph.nodes.map((n) => n.opType);
    expect(ops(probed.model)).not.toContain('NonZero');
    expect(ops(plain.model)).toContain('NonZero');
    const a = await probed.step(data());
    const b = await plain.step(data());
    expect(Array.from(a.grads.b1!)).toEqual(Array.from(b.grads.b1!).map((v) => expect.closeTo(v, 6)));
  });

  it('refuses unknown params with their names', async () => {
    const { model, loss } = regression();
    await expect(compileGradientProgram(model, { loss, params: ['w1', 'nope'] })).rejects.toThrow(/nope/);
  });
});

describe('compiling the same model twice', () => {
  it('works with shape probing both times (the probe session is never shared)', async () => {
    const { model, loss } = regression();
    for (let i = 0; i < 2; i++) {
      const p = await compileGradientProgram(model, { loss, params: ['b2'], exampleFeeds: data() });
      expect((await p.step(data())).grads.b2).toHaveLength(1);
    }
  });
});
