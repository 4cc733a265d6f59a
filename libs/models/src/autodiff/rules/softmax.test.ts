import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../builder/graph-builder.ts';
import { gradCheck, type GradCheckInput } from '../../testing/gradcheck.ts';
import { expectGradOk } from '../../testing/expect-grad.ts';
import { buildGradientGraph } from '../backward.ts';

const x = (shape: number[]): GradCheckInput => ({ shape, gen: 'normal' });

describe('softmax gradient rules (finite differences in onnxruntime)', () => {
  for (const op of ['Softmax', 'LogSoftmax'] as const) {
    it(`${op} over the default last axis`, () =>
      expectGradOk(gradCheck({ inputs: { a: x([3, 5]) }, build: (b, i) => b.op(op, [i.a!]) })));
    it(`${op} over a middle axis`, () =>
      expectGradOk(
        gradCheck({ inputs: { a: x([2, 4, 3]) }, build: (b, i) => b.op(op, [i.a!], { axis: 1 }) }),
      ));
    it(`${op} over a negative axis`, () =>
      expectGradOk(
        gradCheck({ inputs: { a: x([2, 4, 3]) }, build: (b, i) => b.op(op, [i.a!], { axis: -3 }) }),
      ));
    it(`${op} whose input is also used elsewhere`, () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 6]) },
          build: (b, i) => b.op('Mul', [b.op(op, [i.a!], { axis: 0 }), i.a!]),
        }),
      ));
  }
});

describe('softmax before opset 13', () => {
  it('is refused: the op flattened to 2-D then', () => {
    const b = new GraphBuilder('old');
    const a = b.input('a', [2, 3]);
    const loss = b.op('ReduceSum', [b.op('Softmax', [a])], { keepdims: 0 });
    b.output(loss);
    expect(() => buildGradientGraph(b.model(12), { loss, wrt: [a] })).toThrow(/opset 12/);
  });
});
