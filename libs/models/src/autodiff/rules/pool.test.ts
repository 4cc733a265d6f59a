import { describe, expect, it } from 'vitest';
import type { AttrInput } from '../../builder/attributes.ts';
import { GraphBuilder } from '../../builder/graph-builder.ts';
import { DataType } from '../../onnx/ir.ts';
import { gradCheck, type GradCheckInput } from '../../testing/gradcheck.ts';
import { expectGradOk } from '../../testing/expect-grad.ts';
import { buildGradientGraph } from '../backward.ts';

const x = (shape: number[]): GradCheckInput => ({ shape, gen: 'normal' });

/** Distinct values 0.1 apart in a scrambled order, so each window's argmax survives a 0.01 FD step. */
function distinct(shape: number[]): GradCheckInput {
  const n = shape.reduce((a, b) => a * b, 1);
  let step = 37;
  while (gcd(step, n) !== 1) step += 2;
  return { shape, gen: { values: Array.from({ length: n }, (_, i) => ((i * step) % n) * 0.1 - n * 0.05) } };
}
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Declares a tensor's shape so the rule takes its static path (as probed shapes would). */
function declare(b: GraphBuilder, name: string, shape: number[]): string {
  b.graph.valueInfo.push({ name, elemType: DataType.FLOAT, shape });
  return name;
}

const pool = (op: string, shape: number[], attrs: Record<string, AttrInput>, outShape?: number[]) =>
  gradCheck({
    inputs: { x: op === 'MaxPool' ? distinct(shape) : x(shape) },
    build: (b, i) => {
      const y = b.op(op, [i.x!], attrs);
      return outShape ? declare(b, y, outShape) : y;
    },
  });

describe('AveragePool gradient (finite differences in onnxruntime)', () => {
  const k3s2 = { kernel_shape: [3, 3], strides: [2, 2] };
  for (const cip of [0, 1]) {
    it(`asymmetric pads, count_include_pad=${cip}`, () =>
      expectGradOk(
        pool('AveragePool', [2, 2, 7, 6], { ...k3s2, pads: [1, 0, 0, 2], count_include_pad: cip }),
      ));
    it(`asymmetric pads, count_include_pad=${cip}, static shapes`, () =>
      expectGradOk(
        pool(
          'AveragePool',
          [2, 2, 7, 6],
          { ...k3s2, pads: [1, 0, 0, 2], count_include_pad: cip },
          [2, 2, 3, 3],
        ),
      ));
    it(`ceil_mode with windows past the padded end, count_include_pad=${cip}`, () =>
      expectGradOk(
        pool('AveragePool', [1, 2, 6, 8], {
          ...k3s2,
          pads: [1, 1, 1, 0],
          ceil_mode: 1,
          count_include_pad: cip,
        }),
      ));
    it(`ceil_mode, count_include_pad=${cip}, static shapes`, () =>
      expectGradOk(
        pool(
          'AveragePool',
          [1, 2, 6, 8],
          { ...k3s2, pads: [1, 1, 1, 0], ceil_mode: 1, count_include_pad: cip },
          [1, 2, 4, 4],
        ),
      ));
  }
  it('no pads, uncovered tail (stride > kernel)', () =>
    expectGradOk(pool('AveragePool', [2, 3, 7, 8], { kernel_shape: [2, 2], strides: [3, 3] })));
  it('no pads, uncovered tail, static shapes', () =>
    expectGradOk(pool('AveragePool', [2, 3, 7, 8], { kernel_shape: [2, 2], strides: [3, 3] }, [2, 3, 2, 3])));
  it('1-D with pads', () =>
    expectGradOk(pool('AveragePool', [2, 3, 9], { kernel_shape: [4], strides: [2], pads: [2, 1] })));
  it('3-D, ceil_mode, count_include_pad=0', () =>
    expectGradOk(
      pool('AveragePool', [1, 2, 5, 4, 5], {
        kernel_shape: [2, 3, 2],
        strides: [2, 1, 2],
        pads: [0, 1, 1, 1, 0, 0],
        ceil_mode: 1,
      }),
    ));
  for (const autoPad of ['SAME_UPPER', 'SAME_LOWER', 'VALID']) {
    it(`auto_pad=${autoPad}`, () =>
      expectGradOk(
        pool('AveragePool', [1, 2, 7, 6], { kernel_shape: [4, 3], strides: [2, 2], auto_pad: autoPad }),
      ));
  }
  it('unknown input shape', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: x([2, 2, 7, 6]) },
        build: (b, i) =>
          b.op('AveragePool', [b.op('Identity', [i.x!])], {
            kernel_shape: [3, 2],
            strides: [2, 2],
            pads: [0, 1, 2, 0],
          }),
      }),
    ));
});

describe('MaxPool gradient', () => {
  it('overlapping windows with asymmetric pads (twin MaxPool emits Indices)', () =>
    expectGradOk(
      pool('MaxPool', [2, 2, 7, 6], { kernel_shape: [3, 3], strides: [2, 1], pads: [1, 0, 0, 2] }),
    ));
  it('overlapping windows, static shapes', () =>
    expectGradOk(
      pool(
        'MaxPool',
        [2, 2, 7, 6],
        { kernel_shape: [3, 3], strides: [2, 1], pads: [1, 0, 0, 2] },
        [2, 2, 3, 6],
      ),
    ));
  it('uses the forward Indices output', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: distinct([1, 3, 6, 6]) },
        build: (b, i) => b.node('MaxPool', [i.x!], { kernel_shape: [2, 2], strides: [2, 2] }, 2)[0]!,
      }),
    ));
  it('column-major Indices output is not used as flat indices', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: distinct([1, 2, 5, 4]) },
        build: (b, i) =>
          b.node('MaxPool', [i.x!], { kernel_shape: [2, 3], strides: [1, 1], storage_order: 1 }, 2)[0]!,
      }),
    ));
  it('ceil_mode and dilations', () =>
    expectGradOk(
      pool('MaxPool', [1, 2, 8, 7], {
        kernel_shape: [2, 2],
        strides: [2, 2],
        dilations: [2, 1],
        ceil_mode: 1,
      }),
    ));
  it('1-D, auto_pad SAME_UPPER', () =>
    expectGradOk(pool('MaxPool', [2, 3, 9], { kernel_shape: [3], strides: [2], auto_pad: 'SAME_UPPER' })));
  it('unknown input shape', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: distinct([2, 2, 5, 6]) },
        build: (b, i) =>
          b.op('MaxPool', [b.op('Identity', [i.x!])], {
            kernel_shape: [3, 3],
            strides: [2, 2],
            pads: [1, 1, 1, 1],
          }),
      }),
    ));
});

describe('MaxPool before opset 16', () => {
  it('is refused: the scatter-add it needs does not exist there', () => {
    const b = new GraphBuilder('old');
    const a = b.input('a', [1, 1, 4, 4]);
    const loss = b.op('ReduceSum', [b.op('MaxPool', [a], { kernel_shape: [2, 2] })], { keepdims: 0 });
    b.output(loss);
    expect(() => buildGradientGraph(b.model(15), { loss, wrt: [a] })).toThrow(/opset 16/);
  });
});

describe('GlobalAveragePool gradient', () => {
  it('static shape', () => expectGradOk(pool('GlobalAveragePool', [2, 3, 4, 5], {})));
  it('unknown shape, 3-D spatial', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: x([2, 3, 2, 3, 4]) },
        build: (b, i) => b.op('GlobalAveragePool', [b.op('Identity', [i.x!])]),
      }),
    ));
});
