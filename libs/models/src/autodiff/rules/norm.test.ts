import { describe, expect, it } from 'vitest';
import { float } from '../../builder/attributes.ts';
import { gradCheck, type GradCheckInput } from '../../testing/gradcheck.ts';
import { expectGradOk, input } from '../../testing/expect-grad.ts';

const x = input;

describe('LayerNormalization gradient (finite differences in onnxruntime)', () => {
  it('last axis, with bias', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: x([2, 3, 5]), s: x([5]), b: x([5]) },
        build: (b, i) => b.op('LayerNormalization', [i.x!, i.s!, i.b!]),
      }),
    ));
  it('positive axis normalising two trailing dims, no bias, large epsilon', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: x([2, 3, 4]), s: x([3, 4]) },
        build: (b, i) => b.op('LayerNormalization', [i.x!, i.s!], { axis: 1, epsilon: float(0.1) }),
      }),
    ));
  it('negative axis -2 with a scale broadcast over the last dim', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: x([3, 4, 2]), s: x([4, 1]), b: x([2]) },
        build: (b, i) => b.op('LayerNormalization', [i.x!, i.s!, i.b!], { axis: -2 }),
      }),
    ));
  it('unknown shapes (run-time axes and count)', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: x([2, 3, 4]), s: x([4]), b: x([4]) },
        build: (b, i) => b.op('LayerNormalization', [b.op('Identity', [i.x!]), i.s!, i.b!], { axis: 2 }),
      }),
    ));
  it('unknown shapes with a negative axis', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: x([2, 3, 4]), s: x([3, 4]) },
        build: (b, i) => b.op('LayerNormalization', [b.op('Identity', [i.x!]), i.s!], { axis: -2 }),
      }),
    ));
  it('with Mean and InvStdDev outputs that the loss also reads', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: x([3, 6]), s: x([6]), b: x([6]) },
        build: (b, i) => b.node('LayerNormalization', [i.x!, i.s!, i.b!], { axis: 1 }, 3),
      }),
    ));
  it('with only Mean and InvStdDev read (Y unused)', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: x([2, 3, 4]) },
        build: (b, i) => {
          const s = b.constF(new Float32Array(12).fill(1), [3, 4]);
          return b.node('LayerNormalization', [i.x!, s], { axis: 1 }, 3).slice(1);
        },
      }),
    ));
  it('reuses the forward Mean/InvStdDev outputs when present', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: x([4, 5]), s: x([5]) },
        build: (b, i) => b.node('LayerNormalization', [i.x!, i.s!], { epsilon: float(1e-3) }, 3)[0]!,
      }),
    ));
});

describe('BatchNormalization (inference form) gradient', () => {
  const bnInputs = (shape: number[]): Record<string, GradCheckInput> => {
    const c = shape[1]!;
    return { x: x(shape), s: x([c]), b: x([c]), m: x([c]), v: x([c], 'positive') };
  };
  it('NCHW, gradients for x, scale, bias, mean and var', () =>
    expectGradOk(
      gradCheck({
        inputs: bnInputs([2, 3, 4, 5]),
        build: (b, i) => b.op('BatchNormalization', [i.x!, i.s!, i.b!, i.m!, i.v!], { epsilon: float(1e-2) }),
      }),
    ));
  it('rank-2 input', () =>
    expectGradOk(
      gradCheck({
        inputs: bnInputs([4, 3]),
        build: (b, i) => b.op('BatchNormalization', [i.x!, i.s!, i.b!, i.m!, i.v!]),
      }),
    ));
  it('unknown rank (run-time per-channel reshape and axes)', () =>
    expectGradOk(
      gradCheck({
        inputs: bnInputs([2, 3, 5]),
        build: (b, i) => b.op('BatchNormalization', [b.op('Identity', [i.x!]), i.s!, i.b!, i.m!, i.v!]),
      }),
    ));
  it('unknown rank-2 input', () =>
    expectGradOk(
      gradCheck({
        inputs: bnInputs([4, 3]),
        build: (b, i) => b.op('BatchNormalization', [b.op('Identity', [i.x!]), i.s!, i.b!, i.m!, i.v!]),
      }),
    ));
  it('refuses training mode', async () => {
    await expect(
      gradCheck({
        inputs: bnInputs([2, 3, 4]),
        build: (b, i) =>
          b.node('BatchNormalization', [i.x!, i.s!, i.b!, i.m!, i.v!], { training_mode: 1 }, 3)[0]!,
      }),
    ).rejects.toThrow(/training mode/);
  });
});
