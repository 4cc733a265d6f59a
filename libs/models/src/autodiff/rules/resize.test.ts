import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../builder/graph-builder.ts';
import { Rng } from '../../builder/rng.ts';
import { DataType } from '../../onnx/ir.ts';
import { createSession } from '../../runtime/session.ts';
import { gradCheck } from '../../testing/gradcheck.ts';
import { expectGradOk } from '../../testing/expect-grad.ts';
import { buildGradientGraph } from '../backward.ts';
import { GradientSpecError } from '../errors.ts';
import { interpolationMatrix } from './resize.ts';

type Attrs = Record<string, string | number>;
interface ResizeCase {
  inShape: number[];
  attrs: Attrs;
  scales?: number[];
  sizes?: number[];
}

function resize(b: GraphBuilder, x: string, c: ResizeCase): string {
  const scales = c.scales ? b.constF(c.scales) : '';
  const inputs = c.sizes ? [x, '', scales, b.constI64(c.sizes)] : [x, '', scales];
  return b.op('Resize', inputs, c.attrs);
}

// Resize is linear in X, so a large FD step is exact and keeps float32 rounding of the big loss sums small.
const check = (c: ResizeCase) =>
  gradCheck({ inputs: { x: { shape: c.inShape } }, eps: 0.25, build: (b, i) => resize(b, i.x!, c) });

/** Applies an [out, in] matrix along one axis of a row-major tensor (float64). */
function alongAxis(
  data: Float64Array,
  dims: number[],
  axis: number,
  a: Float32Array,
  out: number,
): Float64Array {
  const inLen = dims[axis]!;
  const outer = dims.slice(0, axis).reduce((p, d) => p * d, 1);
  const inner = dims.slice(axis + 1).reduce((p, d) => p * d, 1);
  const y = new Float64Array(outer * out * inner);
  for (let p = 0; p < outer; p++)
    for (let o = 0; o < out; o++)
      for (let i = 0; i < inLen; i++) {
        const w = a[o * inLen + i]!;
        if (w === 0) continue;
        for (let q = 0; q < inner; q++)
          y[(p * out + o) * inner + q]! += w * data[(p * inLen + i) * inner + q]!;
      }
  return y;
}

/** The interpolation matrices reproduce onnxruntime's forward Resize at every output element. */
async function expectMatchesKernel(c: ResizeCase): Promise<void> {
  const g = new GraphBuilder('resize_forward');
  const x = g.input('x', c.inShape);
  g.output(resize(g, x, c));
  const session = await createSession(g.model());
  const n = c.inShape.reduce((p, d) => p * d, 1);
  const data = new Float32Array(n);
  new Rng(7).fillNormal(data);
  const out = await session.run({ x: { data, dims: c.inShape } });
  const y = Object.values(out)[0]!;

  const f32 = Math.fround;
  const scales = c.scales ? c.scales.map(f32) : c.sizes!.map((o, i) => f32(o / c.inShape[i]!));
  const outDims = c.scales ? c.inShape.map((d, i) => Math.trunc(f32(scales[i]! * d))) : c.sizes!;
  expect(y.dims).toEqual(outDims);
  let t: Float64Array = Float64Array.from(data);
  const dims = [...c.inShape];
  dims.forEach((inLen, axis) => {
    if (scales[axis] === 1) return;
    const a = interpolationMatrix({
      mode: (c.attrs.mode ?? 'nearest') as 'nearest' | 'linear',
      coordinateMode: String(c.attrs.coordinate_transformation_mode ?? 'half_pixel'),
      nearestMode: String(c.attrs.nearest_mode ?? 'round_prefer_floor'),
      inLen,
      outLen: outDims[axis]!,
      scale: scales[axis]!,
    });
    t = alongAxis(t, dims, axis, a, outDims[axis]!);
    dims[axis] = outDims[axis]!;
  });
  const got = y.data as Float32Array;
  let worst = 0;
  t.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - got[i]!))));
  expect(worst).toBeLessThan(1e-5);
}

const bilinear = (transform: string): Attrs => ({
  mode: 'linear',
  coordinate_transformation_mode: transform,
});
const nearest = (transform: string, nearestMode: string): Attrs => ({
  mode: 'nearest',
  coordinate_transformation_mode: transform,
  nearest_mode: nearestMode,
});

describe('Resize interpolation matrices match the onnxruntime kernel', () => {
  const transforms = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric'];
  for (const transform of transforms) {
    for (const [from, to] of [
      [64, 224],
      [256, 224],
      [10, 4],
      [5, 1],
    ] as const) {
      it(`linear ${transform} ${from} -> ${to} (sizes)`, () =>
        expectMatchesKernel({
          inShape: [1, 2, from, from],
          attrs: bilinear(transform),
          sizes: [1, 2, to, to],
        }));
    }
    it(`linear ${transform} by scales 3.5 x 0.6`, () =>
      expectMatchesKernel({ inShape: [2, 1, 6, 10], attrs: bilinear(transform), scales: [1, 1, 3.5, 0.6] }));
    for (const mode of ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil']) {
      for (const [from, to] of [
        [4, 8],
        [8, 3],
        [5, 7],
      ] as const) {
        it(`nearest ${transform} ${mode} ${from} -> ${to}`, () =>
          expectMatchesKernel({
            inShape: [1, 1, from, to + 1],
            attrs: nearest(transform, mode),
            sizes: [1, 1, to, from],
          }));
      }
    }
  }
  it('nearest tf_half_pixel_for_nn', () =>
    expectMatchesKernel({
      inShape: [1, 1, 5, 4],
      attrs: nearest('tf_half_pixel_for_nn', 'round_prefer_floor'),
      scales: [1, 1, 1.6, 2],
    }));
  it('trilinear on a rank-3 tensor', () =>
    expectMatchesKernel({ inShape: [3, 4, 5], attrs: bilinear('half_pixel'), scales: [2, 1.5, 0.8] }));
});

describe('Resize gradient (finite differences in onnxruntime)', () => {
  it('bilinear 64x64 -> 224x224, half_pixel (generator -> CLIP image encoder)', () =>
    expectGradOk(check({ inShape: [1, 3, 64, 64], attrs: bilinear('half_pixel'), sizes: [1, 3, 224, 224] })));
  it('bilinear 64x64 -> 224x224 by scales 3.5', () =>
    expectGradOk(
      check({ inShape: [1, 1, 64, 64], attrs: bilinear('half_pixel'), scales: [1, 1, 3.5, 3.5] }),
    ));
  it('bilinear downsampling 256 -> 224 without antialiasing', () =>
    expectGradOk(
      check({ inShape: [1, 1, 256, 256], attrs: bilinear('half_pixel'), sizes: [1, 1, 224, 224] }),
    ));
  it('bilinear downsampling 10 -> 4 without antialiasing', () =>
    expectGradOk(check({ inShape: [2, 3, 10, 10], attrs: bilinear('half_pixel'), sizes: [2, 3, 4, 4] })));
  for (const transform of ['align_corners', 'asymmetric', 'pytorch_half_pixel']) {
    it(`bilinear ${transform}, H up and W down`, () =>
      expectGradOk(check({ inShape: [2, 2, 5, 9], attrs: bilinear(transform), sizes: [2, 2, 11, 4] })));
  }
  it('bilinear pytorch_half_pixel to a single column', () =>
    expectGradOk(
      check({ inShape: [1, 2, 6, 5], attrs: bilinear('pytorch_half_pixel'), sizes: [1, 2, 9, 1] }),
    ));
  for (const mode of ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil']) {
    it(`nearest asymmetric ${mode} with halfway coordinates`, () =>
      expectGradOk(
        check({ inShape: [1, 2, 4, 6], attrs: nearest('asymmetric', mode), sizes: [1, 2, 8, 4] }),
      ));
  }
  it('nearest half_pixel (default attributes) by scales', () =>
    expectGradOk(check({ inShape: [2, 1, 5, 6], attrs: {}, scales: [1, 1, 2, 0.5] })));
  it('nearest align_corners', () =>
    expectGradOk(
      check({
        inShape: [1, 1, 5, 6],
        attrs: nearest('align_corners', 'round_prefer_floor'),
        sizes: [1, 1, 9, 4],
      }),
    ));
  it('nearest resizing the channel axis (transpose path)', () =>
    expectGradOk(
      check({ inShape: [1, 3, 4, 2], attrs: nearest('asymmetric', 'floor'), scales: [1, 2, 1.5, 1] }),
    ));
  it('trilinear on a rank-3 tensor', () =>
    expectGradOk(check({ inShape: [3, 4, 5], attrs: bilinear('half_pixel'), scales: [2, 1.5, 0.8] })));
  it('scales from a Constant node', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: { shape: [1, 2, 4, 4] } },
        eps: 0.25,
        build: (b, i) => {
          const value = {
            type: 'tensor' as const,
            value: { name: '', dataType: DataType.FLOAT, dims: [4], data: Float32Array.of(1, 1, 2, 1.5) },
          };
          return b.op('Resize', [i.x!, '', b.op('Constant', [], { value })], bilinear('half_pixel'));
        },
      }),
    ));
  it('run-time sizes with a known output shape', () =>
    expectGradOk(
      gradCheck({
        inputs: { x: { shape: [1, 2, 4, 4] } },
        eps: 0.25,
        build: (b, i) => {
          const sizes = b.op('Concat', [b.constI64([1, 2]), b.constI64([7, 3])], { axis: 0 });
          const y = b.op('Resize', [i.x!, '', '', sizes], bilinear('half_pixel'));
          b.graph.valueInfo.push({ name: y, elemType: DataType.FLOAT, shape: [1, 2, 7, 3] });
          return y;
        },
      }),
    ));
  it('refuses run-time sizes with an unknown output shape', async () => {
    const run = gradCheck({
      inputs: { x: { shape: [1, 2, 4, 4] } },
      build: (b, i) =>
        b.op(
          'Resize',
          [i.x!, '', '', b.op('Concat', [b.constI64([1, 2]), b.constI64([7, 3])], { axis: 0 })],
          bilinear('half_pixel'),
        ),
    });
    await expect(run).rejects.toThrow(GradientSpecError);
  });
  it('refuses an input of unknown shape', async () => {
    const run = gradCheck({
      inputs: { x: { shape: [1, 2, 4, 4] } },
      build: (b, i) =>
        resize(b, b.op('Identity', [i.x!]), {
          inShape: [],
          attrs: bilinear('half_pixel'),
          scales: [1, 1, 2, 2],
        }),
    });
    await expect(run).rejects.toThrow(/static shape/);
  });
  it('refuses opset 10 Resize (scales as input 1)', () => {
    const b = new GraphBuilder('old');
    const a = b.input('a', [1, 1, 2, 2]);
    const loss = b.op('ReduceSum', [b.op('Resize', [a, b.constF([1, 1, 2, 2])])], { keepdims: 1 });
    b.output(loss);
    expect(() => buildGradientGraph(b.model(10), { loss, wrt: [a] })).toThrow(/opset 10/);
  });
  it('refuses cubic mode', async () => {
    const run = check({ inShape: [1, 1, 4, 4], attrs: { mode: 'cubic' }, scales: [1, 1, 2, 2] });
    await expect(run).rejects.toThrow(/mode 'cubic'/);
  });
});
