import { describe, expect, it } from 'vitest';
import { float } from '../../builder/attributes.ts';
import type { GraphBuilder } from '../../builder/graph-builder.ts';
import { gradCheck, type GradCheckInput, type GradCheckReport } from '../../testing/gradcheck.ts';

const x = (shape: number[], constant = false): GradCheckInput => ({
  shape,
  gen: 'normal',
  ...(constant ? { constant } : {}),
});

async function expectGradOk(report: Promise<GradCheckReport>): Promise<GradCheckReport> {
  const r = await report;
  for (const [name, w] of Object.entries(r.worst)) expect(w, `input ${name}`).toBeLessThanOrEqual(1);
  return r;
}

type Attrs = Parameters<GraphBuilder['op']>[2];

const op = (type: string, shapes: Record<string, number[]>, attrs: Attrs = {}) =>
  expectGradOk(
    gradCheck({
      inputs: Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, x(s)])),
      build: (b, i) =>
        b.op(
          type,
          Object.keys(shapes).map((k) => i[k]!),
          attrs,
        ),
    }),
  );

describe('MatMul gradient', () => {
  it('2-D', () => op('MatMul', { a: [3, 4], b: [4, 5] }));
  it('batch dims broadcast on both sides', () => op('MatMul', { a: [2, 1, 3, 4], b: [1, 3, 4, 5] }));
  it('a 2-D operand against a batched one', () => op('MatMul', { a: [3, 4], b: [2, 2, 4, 5] }));
  it('a batched operand against a 2-D weight', () => op('MatMul', { a: [2, 3, 3, 4], b: [4, 5] }));
  it('lower-rank batch broadcast', () => op('MatMul', { a: [2, 1, 3, 4], b: [3, 4, 2] }));
  it('1-D dot 1-D', () => op('MatMul', { a: [4], b: [4] }));
  it('1-D times 2-D', () => op('MatMul', { a: [4], b: [4, 5] }));
  it('1-D times batched', () => op('MatMul', { a: [4], b: [2, 4, 5] }));
  it('2-D times 1-D', () => op('MatMul', { a: [3, 4], b: [4] }));
  it('batched times 1-D', () => op('MatMul', { a: [2, 3, 4], b: [4] }));
  it('operands whose shapes are known only at run time', () =>
    expectGradOk(
      gradCheck({
        inputs: { a: x([2, 1, 3, 4]), b: x([3, 4, 5]), c: x([3, 1, 5]), d: x([5, 2]) },
        build: (b, i) => {
          const p = b.op('MatMul', [b.op('Tanh', [i.a!]), b.op('Sigmoid', [i.b!])]);
          return b.op('MatMul', [b.op('Add', [p, i.c!]), b.op('Tanh', [i.d!])]);
        },
      }),
    ));
  it('a 1-D operand whose rank is inferred through other ops', () =>
    expectGradOk(
      gradCheck({
        inputs: { a: x([4]), b: x([4, 5]), c: x([5, 3]) },
        build: (b, i) => b.op('MatMul', [b.op('Tanh', [b.op('MatMul', [i.a!, i.b!])]), b.op('Tanh', [i.c!])]),
      }),
    ));
});

describe('Gemm gradient', () => {
  it('plain, with a row bias', () => op('Gemm', { a: [3, 4], b: [4, 5], c: [5] }));
  it('transA, transB, alpha, beta, column bias', () =>
    op(
      'Gemm',
      { a: [4, 3], b: [5, 4], c: [3, 1] },
      { transA: 1, transB: 1, alpha: float(0.7), beta: float(1.3) },
    ));
  it('transA with a scalar C', () =>
    op('Gemm', { a: [4, 3], b: [4, 5], c: [] }, { transA: 1, beta: float(0.5) }));
  it('transB without C', () => op('Gemm', { a: [3, 4], b: [5, 4] }, { transB: 1, alpha: float(-2) }));
  it('full-size C', () => op('Gemm', { a: [3, 4], b: [4, 5], c: [3, 5] }, { beta: float(2) }));
});

describe('Conv gradient', () => {
  it('2-D with pads and bias', () =>
    op('Conv', { x: [2, 3, 5, 6], w: [4, 3, 3, 3], bias: [4] }, { pads: [1, 1, 1, 1] }));
  it('stride 2, asymmetric pads', () =>
    op('Conv', { x: [2, 2, 7, 6], w: [3, 2, 3, 2] }, { strides: [2, 2], pads: [0, 1, 2, 0] }));
  it('stride leaving rows no window reaches', () =>
    op('Conv', { x: [1, 2, 8, 7], w: [2, 2, 3, 3] }, { strides: [2, 3] }));
  it('dilation 2', () =>
    op('Conv', { x: [1, 2, 7, 7], w: [3, 2, 3, 3] }, { dilations: [2, 2], pads: [2, 1, 0, 2] }));
  it('groups 2 with stride 2', () =>
    op(
      'Conv',
      { x: [1, 4, 6, 6], w: [6, 2, 3, 3], bias: [6] },
      { group: 2, strides: [2, 2], pads: [1, 1, 1, 1] },
    ));
  it('depthwise', () => op('Conv', { x: [2, 3, 6, 5], w: [3, 1, 3, 3] }, { group: 3, pads: [1, 1, 1, 1] }));
  it('depthwise with channel multiplier 2', () =>
    op('Conv', { x: [1, 3, 5, 5], w: [6, 1, 3, 3] }, { group: 3, pads: [1, 0, 1, 2] }));
  it('pads wider than the kernel reaches', () =>
    op('Conv', { x: [1, 2, 4, 4], w: [2, 2, 2, 2] }, { pads: [2, 1, 2, 3] }));
  it('1x1 kernel', () => op('Conv', { x: [2, 3, 4, 4], w: [5, 3, 1, 1] }));
  it('1-D with stride, dilation and asymmetric pads', () =>
    op('Conv', { x: [2, 3, 9], w: [4, 3, 3], bias: [4] }, { strides: [2], pads: [1, 2], dilations: [2] }));
  it('auto_pad SAME_UPPER with stride 2', () =>
    op('Conv', { x: [1, 2, 7, 6], w: [2, 2, 3, 3] }, { auto_pad: 'SAME_UPPER', strides: [2, 2] }));
  it('auto_pad SAME_LOWER', () =>
    op('Conv', { x: [1, 2, 5, 6], w: [2, 2, 2, 3] }, { auto_pad: 'SAME_LOWER' }));

  const frozenCases: [string, { pads: number[]; group?: number; strides?: number[] }, string][] = [
    ['stride 1', { pads: [1, 0, 2, 1] }, 'Conv'],
    ['stride 1, group 2', { pads: [1, 1, 1, 1], group: 2 }, 'Conv'],
    ['stride 2', { pads: [1, 1, 1, 1], strides: [2, 2] }, 'ConvTranspose'],
  ];
  for (const [name, attrs, expected] of frozenCases) {
    it(`frozen initializer weight, ${name}: no weight transposes in the graph`, async () => {
      const r = await expectGradOk(
        gradCheck({
          inputs: { x: x([1, 4, 6, 6]) },
          build: (b, i) =>
            b.op(
              'Conv',
              [i.x!, b.param('w', [6, 4 / (attrs.group ?? 1), 3, 3], { kind: 'normal', std: 1 })],
              attrs,
            ),
        }),
      );
      expect(r.backwardOps).toContain(expected);
      expect(r.backwardOps).not.toContain('Transpose');
      expect(r.backwardOps).not.toContain('MatMul');
    });
  }

  it('only the gradients asked for are built', async () => {
    const r = await expectGradOk(
      gradCheck({
        inputs: { x: x([1, 2, 5, 5], true), w: x([3, 2, 3, 3]) },
        build: (b, i) => b.op('Conv', [i.x!, i.w!], { pads: [1, 1, 1, 1] }),
      }),
    );
    // One Conv is the one-hot im2col of x; an input gradient would add a second Conv or a ConvTranspose.
    expect(r.backwardOps.filter((op) => op === 'Conv')).toHaveLength(1);
    expect(r.backwardOps).not.toContain('ConvTranspose');
    expect(r.backwardOps).toContain('Gemm');
  });

  // StyleGAN2's modulated convolution: per-sample weights W * style, demodulated, one group per sample.
  const modulated = (b: GraphBuilder, i: Record<string, string>, attrs: Attrs) => {
    const wm = b.op('Mul', [i.w!, i.style!]);
    const norm = b.op('ReduceSum', [b.op('Mul', [wm, wm]), b.constI64([1, 2, 3])], { keepdims: 1 });
    const wd = b.op('Mul', [wm, b.op('Reciprocal', [b.op('Sqrt', [b.op('Add', [norm, b.scalarF(1e-8)])])])]);
    return b.op('Conv', [i.x!, wd], attrs);
  };
  it('run-time modulated, demodulated weights with one group per sample', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: x([1, 4, 6, 6]), w: x([6, 2, 3, 3]), style: x([6, 2, 1, 1]) },
        build: (b, i) => modulated(b, i, { group: 2, pads: [1, 1, 1, 1], kernel_shape: [3, 3] }),
      }),
    ));
  it('run-time weights without kernel_shape, input gradient only, stride 2', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: x([1, 4, 8, 7]), w: x([6, 2, 3, 3], true), style: x([6, 2, 1, 1], true) },
        build: (b, i) => modulated(b, i, { group: 2, strides: [2, 2], pads: [0, 1, 1, 0] }),
      }),
    ));
  it('shapes known only at run time', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: x([2, 4, 8, 7]), w: x([6, 2, 3, 3]), s: x([6, 1, 1, 1]), bias: x([6]) },
        build: (b, i) =>
          b.op('Conv', [b.op('Tanh', [i.x!]), b.op('Mul', [i.w!, i.s!]), b.op('Tanh', [i.bias!])], {
            group: 2,
            strides: [2, 2],
            pads: [1, 0, 0, 2],
            dilations: [1, 2],
            kernel_shape: [3, 3],
          }),
      }),
    ));
});

describe('ConvTranspose gradient', () => {
  it('stride 2, asymmetric pads, output_padding, bias', () =>
    op(
      'ConvTranspose',
      { x: [2, 3, 4, 3], w: [3, 2, 3, 3], bias: [2] },
      { strides: [2, 2], pads: [1, 0, 0, 1], output_padding: [1, 1] },
    ));
  it('dilation 2, group 2', () =>
    op(
      'ConvTranspose',
      { x: [1, 4, 3, 4], w: [4, 1, 3, 3] },
      { group: 2, dilations: [2, 2], strides: [1, 2], pads: [1, 1, 0, 2] },
    ));
  it('1-D with stride 3 and output_padding 2', () =>
    op('ConvTranspose', { x: [2, 2, 5], w: [2, 3, 4] }, { strides: [3], output_padding: [2], pads: [1, 0] }));
  it('run-time weights and input', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: x([1, 4, 3, 3]), w: x([4, 3, 3, 3]), s: x([4, 1, 1, 1]) },
        build: (b, i) =>
          b.op('ConvTranspose', [b.op('Tanh', [i.x!]), b.op('Mul', [i.w!, i.s!])], {
            group: 2,
            strides: [2, 2],
            output_padding: [1, 0],
            kernel_shape: [3, 3],
          }),
      }),
    ));
});
