import { describe, expect, it } from 'vitest';
import { DataType } from '../onnx/ir.ts';
import { createSession } from '../runtime/session.ts';
import { GraphBuilder } from './graph-builder.ts';
import { inlineModel } from './inline-model.ts';
import { linear } from './layers/linear.ts';

/** A small network: y = relu(x W^T + b), its own names. */
function small(seed: number) {
  const b = new GraphBuilder('small', seed);
  const y = b.op('Relu', [linear(b, b.input('x', ['n', 3]), { name: 'fc', inFeatures: 3, outFeatures: 2 })]);
  b.output(y, DataType.FLOAT, ['n', 2]);
  return { model: b.model(), output: y };
}

describe('inlineModel', () => {
  it('composes two networks that share weight names into one graph computing the same as running them in turn', async () => {
    const first = small(1);
    const second = small(2);
    const b = new GraphBuilder('composed');
    const x = b.input('x', ['n', 3]);
    const h = inlineModel(b, first.model, { x }, 'first')[first.output]!;
    const padded = b.op('Pad', [h, b.constI64([0, 0, 0, 1])]);
    const y = inlineModel(b, second.model, { x: padded }, 'second')[second.output]!;
    b.output(y, DataType.FLOAT, ['n', 2]);
    const names = b.graph.initializers.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);

    const input = { data: Float32Array.from([0.5, -1, 2, 1, 1, -3]), dims: [2, 3] };
    const one = await (await createSession(first.model)).run({ x: input });
    const hv = one[first.output]!.data as Float32Array;
    const padIn = Float32Array.from([hv[0]!, hv[1]!, 0, hv[2]!, hv[3]!, 0]);
    const two = await (await createSession(second.model)).run({ x: { data: padIn, dims: [2, 3] } });
    const composed = await (await createSession(b.model())).run({ x: input });
    expect(Array.from(composed[y]!.data as Float32Array)).toEqual(
      Array.from(two[second.output]!.data as Float32Array),
    );
  });

  it('refuses an unconnected input', () => {
    const b = new GraphBuilder('composed');
    expect(() => inlineModel(b, small(1).model, {}, 'first')).toThrow(/input 'x' is not connected/);
  });
});
