import { describe, expect, it } from 'vitest';
import { createSession } from '../../runtime/session.ts';
import { f32, type HostTensor } from '../../runtime/host-tensor.ts';
import { GraphBuilder } from '../graph-builder.ts';
import { Rng } from '../rng.ts';
import { stateDictKeys } from './params.ts';
import {
  broadcastToWPlus,
  firBlurAfterUpsample,
  firKernel2d,
  firUpsample2x,
  modulatedConv2d,
  styleGan2Mapping,
  styleGan2NoiseNames,
  styleGan2NumLatents,
  styleGan2Synthesis,
  styledConv,
  type ModulatedConv2dOptions,
  type ModulationForm,
  type NoiseSource,
  type StyleGan2Config,
} from './stylegan2.ts';

const TAPS = [1, 3, 3, 1];

async function run(b: GraphBuilder, y: string, feeds: Record<string, HostTensor>): Promise<HostTensor> {
  b.output(y);
  return (await (await createSession(b.model())).run(feeds))[y]!;
}

const data = (b: GraphBuilder, name: string): Float32Array => b.findInitializer(name)!.data as Float32Array;

/** Gives every all-zero state tensor (biases, noise strengths) random values, so each one is exercised. */
function randomizeZeros(b: GraphBuilder, seed: number): void {
  const rng = new Rng(seed);
  for (const k of stateDictKeys(b)) {
    const d = data(b, k);
    if (d.every((v) => v === 0)) rng.fillNormal(d, 0.5);
  }
}

function copyState(from: GraphBuilder, to: GraphBuilder): void {
  expect(stateDictKeys(to)).toEqual(stateDictKeys(from));
  for (const k of stateDictKeys(from)) data(to, k).set(data(from, k));
}

function maxAbsDiff(a: HostTensor, b: HostTensor): { diff: number; scale: number } {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.data.length; i++) {
    diff = Math.max(diff, Math.abs(Number(a.data[i]) - Number(b.data[i])));
    scale = Math.max(scale, Math.abs(Number(b.data[i])));
  }
  return { diff, scale };
}

/**
 * rosinality's upfirdn2d_native for one channel plane: zero-insert by `up`, pad (pad0, pad1) on both
 * axes, then convolve (flipped-kernel correlation) with the L×L kernel.
 */
function upfirdnRef(
  x: Float32Array,
  h: number,
  w: number,
  k: Float32Array,
  L: number,
  up: number,
  pad0: number,
  pad1: number,
): { out: number[]; oh: number; ow: number } {
  const ph = h * up + pad0 + pad1;
  const pw = w * up + pad0 + pad1;
  const padded = new Float64Array(ph * pw);
  for (let i = 0; i < h; i++)
    for (let j = 0; j < w; j++) padded[(i * up + pad0) * pw + j * up + pad0] = x[i * w + j]!;
  const oh = ph - L + 1;
  const ow = pw - L + 1;
  const out: number[] = [];
  for (let i = 0; i < oh; i++)
    for (let j = 0; j < ow; j++) {
      let s = 0;
      for (let a = 0; a < L; a++)
        for (let c = 0; c < L; c++) s += padded[(i + a) * pw + j + c]! * k[(L - 1 - a) * L + (L - 1 - c)]!;
      out.push(s);
    }
  return { out, oh, ow };
}

describe('StyleGAN2 FIR filters', () => {
  it('firKernel2d is the normalised outer product times factor², and rejects asymmetric taps', () => {
    const k = firKernel2d(TAPS, 2);
    expect(k.reduce((s, v) => s + v, 0)).toBeCloseTo(4, 6);
    expect(k[5]).toBeCloseTo((9 / 64) * 4, 7);
    expect(() => firKernel2d([1, 2, 3])).toThrow(/palindrome/);
  });

  it('firUpsample2x equals upfirdn2d(up=2, pad=(2, 1)) and doubles the size', async () => {
    const b = new GraphBuilder('t');
    const y = firUpsample2x(b, b.input('x', [2, 3, 5, 4]), {
      kernelName: 'up.kernel',
      taps: TAPS,
      channels: 3,
    });
    const xv = new Rng(1).fillNormal(new Float32Array(120));
    const out = await run(b, y, { x: f32(xv, [2, 3, 5, 4]) });
    expect(out.dims).toEqual([2, 3, 10, 8]);
    for (let p = 0; p < 6; p++) {
      const ref = upfirdnRef(xv.subarray(p * 20, p * 20 + 20), 5, 4, firKernel2d(TAPS, 2), 4, 2, 2, 1);
      expect([ref.oh, ref.ow]).toEqual([10, 8]);
      ref.out.forEach((v, i) => expect(out.data[p * 80 + i]).toBeCloseTo(v, 5));
    }
  });

  it('the FIR upsample of a constant image is constant in the interior', async () => {
    const b = new GraphBuilder('t');
    const y = firUpsample2x(b, b.input('x', [1, 3, 6, 6]), {
      kernelName: 'up.kernel',
      taps: TAPS,
      channels: 3,
    });
    const out = await run(b, y, { x: f32(new Float32Array(108).fill(2.5), [1, 3, 6, 6]) });
    for (let c = 0; c < 3; c++)
      for (let i = 1; i < 11; i++)
        for (let j = 1; j < 11; j++) expect(out.data[c * 144 + i * 12 + j]).toBeCloseTo(2.5, 5);
  });

  it('the blur after a transposed 3x3 conv equals upfirdn2d(pad=(1, 1)): 2h+1 -> 2h', async () => {
    const b = new GraphBuilder('t');
    const y = firBlurAfterUpsample(b, b.input('x', [1, 2, 7, 9]), 3, {
      kernelName: 'blur.kernel',
      taps: TAPS,
      channels: 2,
    });
    const xv = new Rng(2).fillNormal(new Float32Array(126));
    const out = await run(b, y, { x: f32(xv, [1, 2, 7, 9]) });
    expect(out.dims).toEqual([1, 2, 6, 8]);
    for (let p = 0; p < 2; p++) {
      const ref = upfirdnRef(xv.subarray(p * 63, p * 63 + 63), 7, 9, firKernel2d(TAPS, 2), 4, 1, 1, 1);
      ref.out.forEach((v, i) => expect(out.data[p * 48 + i]).toBeCloseTo(v, 5));
    }
  });
});

describe('StyleGAN2 modulated convolution', () => {
  const B = 2;
  const base = { inChannels: 3, outChannels: 4, styleDim: 6, batch: B };

  async function runModConv(
    form: ModulationForm,
    o: Omit<ModulatedConv2dOptions, 'form' | 'name' | 'inChannels' | 'outChannels' | 'styleDim'>,
    source?: GraphBuilder,
  ): Promise<{ b: GraphBuilder; out: HostTensor }> {
    const b = new GraphBuilder(form, 41);
    const y = modulatedConv2d(b, b.input('x', [B, 3, 5, 5]), b.input('w', [B, 6]), {
      ...base,
      ...o,
      name: 'convs.0.conv',
      form,
    });
    if (source) copyState(source, b);
    else new Rng(44).fillNormal(data(b, 'convs.0.conv.modulation.bias'), 0.5, 1);
    const x = f32(new Rng(42).fillNormal(new Float32Array(B * 75)), [B, 3, 5, 5]);
    const w = f32(new Rng(43).fillNormal(new Float32Array(B * 6)), [B, 6]);
    return { b, out: await run(b, y, { x, w }) };
  }

  it('has rosinality names and shapes', async () => {
    const { b } = await runModConv('activation', { kernel: 3, upsample: true });
    expect(stateDictKeys(b)).toEqual([
      'convs.0.conv.weight',
      'convs.0.conv.modulation.weight',
      'convs.0.conv.modulation.bias',
      'convs.0.conv.blur.kernel',
    ]);
    expect(b.findInitializer('convs.0.conv.weight')!.dims).toEqual([1, 4, 3, 3, 3]);
    expect(b.findInitializer('convs.0.conv.modulation.weight')!.dims).toEqual([3, 6]);
    expect(b.findInitializer('convs.0.conv.blur.kernel')!.dims).toEqual([4, 4]);
  });

  for (const [label, o] of [
    ['3x3, demodulated', { kernel: 3 }],
    ['3x3 upsampling, demodulated', { kernel: 3, upsample: true }],
    ['1x1 without demodulation (ToRGB)', { kernel: 1, demodulate: false }],
  ] as const) {
    it(`fused and activation forms agree to 1e-4: ${label}`, async () => {
      const a = await runModConv('fused', o);
      const c = await runModConv('activation', o, a.b);
      expect(c.out.dims).toEqual(a.out.dims);
      expect(a.out.dims).toEqual([B, 4, 'upsample' in o ? 10 : 5, 'upsample' in o ? 10 : 5]);
      const { diff, scale } = maxAbsDiff(c.out, a.out);
      expect(diff).toBeLessThanOrEqual(1e-4 * Math.max(1, scale));
    });
  }

  it('only the fused form convolves with per-sample weights (group = batch)', async () => {
    const { b } = await runModConv('activation', { kernel: 3 });
    const conv = b.graph.nodes.find((n) => n.opType === 'Conv')!;
    expect(conv.attributes.group).toBeUndefined();
    const { b: f } = await runModConv('fused', { kernel: 3 });
    expect(f.graph.nodes.find((n) => n.opType === 'Conv')!.attributes.group).toEqual({
      type: 'int',
      value: B,
    });
  });

  it('demodulated output equals rosinality formula: conv(x, W·s / ‖W·s‖) (direct reference)', async () => {
    const { b, out } = await runModConv('activation', { kernel: 3 });
    const W = data(b, 'convs.0.conv.weight');
    const M = data(b, 'convs.0.conv.modulation.weight');
    const mb = data(b, 'convs.0.conv.modulation.bias');
    const x = new Rng(42).fillNormal(new Float32Array(B * 75));
    const wl = new Rng(43).fillNormal(new Float32Array(B * 6));
    for (let n = 0; n < B; n++) {
      const s = Array.from({ length: 3 }, (_, i) => {
        let v = 0;
        for (let j = 0; j < 6; j++) v += wl[n * 6 + j]! * M[i * 6 + j]!;
        return v / Math.sqrt(6) + mb[i]!;
      });
      for (let o = 0; o < 4; o++) {
        const wm = Array.from(
          { length: 27 },
          (_, t) => (W[o * 27 + t]! * s[Math.floor(t / 9)]!) / Math.sqrt(27),
        );
        const d = 1 / Math.sqrt(wm.reduce((a, v) => a + v * v, 0) + 1e-8);
        for (let yy = 0; yy < 5; yy++)
          for (let xx = 0; xx < 5; xx++) {
            let acc = 0;
            for (let t = 0; t < 27; t++) {
              const [i, ky, kx] = [Math.floor(t / 9), Math.floor(t / 3) % 3, t % 3];
              const iy = yy + ky - 1;
              const ix = xx + kx - 1;
              if (iy >= 0 && ix >= 0 && iy < 5 && ix < 5)
                acc += x[((n * 3 + i) * 5 + iy) * 5 + ix]! * wm[t]! * d;
            }
            expect(out.data[((n * 4 + o) * 5 + yy) * 5 + xx]).toBeCloseTo(acc, 4);
          }
      }
    }
  });

  it('the fused form needs a static batch', () => {
    const b = new GraphBuilder('t');
    expect(() =>
      modulatedConv2d(b, b.input('x', [1, 3, 4, 4]), b.input('w', [1, 6]), {
        inChannels: 3,
        outChannels: 4,
        styleDim: 6,
        kernel: 3,
        name: 'c',
        form: 'fused',
      }),
    ).toThrow(/static batch/);
  });

  it('StyledConv adds weight·noise and the activation bias (checked in the linear region of the leaky ReLU)', async () => {
    const b = new GraphBuilder('t', 7);
    const y = styledConv(b, b.input('x', [1, 3, 4, 4]), b.input('w', [1, 6]), {
      name: 'conv1',
      inChannels: 3,
      outChannels: 2,
      kernel: 3,
      styleDim: 6,
      form: 'activation',
      noise: b.input('noise', [1, 1, 4, 4]),
    });
    expect(stateDictKeys(b).filter((k) => !k.startsWith('conv1.conv.'))).toEqual([
      'conv1.noise.weight',
      'conv1.activate.bias',
    ]);
    data(b, 'conv1.noise.weight').set([0.7]);
    data(b, 'conv1.activate.bias').set([100, 200]);
    b.output(y);
    const s = await createSession(b.model());
    const x = f32(new Rng(8).fillNormal(new Float32Array(48)), [1, 3, 4, 4]);
    const w = f32(new Rng(9).fillNormal(new Float32Array(6)), [1, 6]);
    const noise = new Rng(10).fillNormal(new Float32Array(16));
    const withNoise = (await s.run({ x, w, noise: f32(noise, [1, 1, 4, 4]) }))[y]!;
    const without = (await s.run({ x, w, noise: f32(new Float32Array(16), [1, 1, 4, 4]) }))[y]!;
    for (let c = 0; c < 2; c++)
      for (let p = 0; p < 16; p++) {
        const i = c * 16 + p;
        expect(Number(withNoise.data[i]) - Number(without.data[i])).toBeCloseTo(
          Math.SQRT2 * 0.7 * noise[p]!,
          3,
        );
      }
  });
});

const SMALL: StyleGan2Config = {
  size: 16,
  styleDim: 8,
  nMlp: 2,
  lrMlp: 0.01,
  blurKernel: TAPS,
  channels: { 4: 8, 8: 6, 16: 4 },
};

describe('StyleGAN2 generator', () => {
  it('counts latents and noise layers as rosinality', () => {
    expect(styleGan2NumLatents(1024)).toBe(18);
    expect(styleGan2NumLatents(256)).toBe(14);
    expect(styleGan2NoiseNames(1024)).toHaveLength(17);
    expect(styleGan2NoiseNames(16, 'g_ema')[4]).toBe('g_ema.noises.noise_4');
  });

  it('mapping: style.{1..n}, [B, D] -> [B, D], invariant to the scale of z (PixelNorm)', async () => {
    const b = new GraphBuilder('map', 3);
    const y = styleGan2Mapping(b, b.input('z', [2, 8]), { config: SMALL });
    expect(stateDictKeys(b)).toEqual(['style.1.weight', 'style.1.bias', 'style.2.weight', 'style.2.bias']);
    randomizeZeros(b, 4);
    b.output(y);
    const s = await createSession(b.model());
    const z = new Rng(5).fillNormal(new Float32Array(16));
    const a = (await s.run({ z: f32(z, [2, 8]) }))[y]!;
    const c = (
      await s.run({
        z: f32(
          z.map((v) => v * 3),
          [2, 8],
        ),
      })
    )[y]!;
    expect(a.dims).toEqual([2, 8]);
    [...(a.data as Float32Array)].forEach((v, i) => expect(c.data[i]).toBeCloseTo(v, 4));
  });

  it('broadcastToWPlus repeats w over the layers', async () => {
    const b = new GraphBuilder('t');
    const y = broadcastToWPlus(b, b.input('w', [2, 3]), 4);
    const out = await run(b, y, { w: f32([1, 2, 3, 4, 5, 6], [2, 3]) });
    expect(out.dims).toEqual([2, 4, 3]);
    expect(Array.from(out.data as Float32Array).slice(9, 15)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  function buildSynthesis(form: ModulationForm, noise: NoiseSource): { b: GraphBuilder; y: string } {
    const b = new GraphBuilder(`syn-${form}-${noise}`, 9);
    const wPlus = b.input('w_plus', [2, styleGan2NumLatents(16), 8]);
    const y = styleGan2Synthesis(b, wPlus, { config: SMALL, form, noise, batch: 2 });
    b.output(y);
    return { b, y };
  }

  it('synthesis has exactly the rosinality Generator state_dict keys (without the mapping network)', () => {
    const { b } = buildSynthesis('activation', 'buffer');
    const mod = (p: string): string[] => [`${p}.weight`, `${p}.modulation.weight`, `${p}.modulation.bias`];
    const styled = (p: string, up: boolean): string[] => [
      ...mod(`${p}.conv`),
      ...(up ? [`${p}.conv.blur.kernel`] : []),
      `${p}.noise.weight`,
      `${p}.activate.bias`,
    ];
    const rgb = (p: string, up: boolean): string[] => [
      ...mod(`${p}.conv`),
      `${p}.bias`,
      ...(up ? [`${p}.upsample.kernel`] : []),
    ];
    const expected = [
      'input.input',
      ...styled('conv1', false),
      ...rgb('to_rgb1', false),
      ...styled('convs.0', true),
      ...styled('convs.1', false),
      ...rgb('to_rgbs.0', true),
      ...styled('convs.2', true),
      ...styled('convs.3', false),
      ...rgb('to_rgbs.1', true),
      ...[0, 1, 2, 3, 4].map((i) => `noises.noise_${i}`),
    ];
    expect([...stateDictKeys(b)].sort()).toEqual([...expected].sort());
    const dims = (k: string): number[] => b.findInitializer(k)!.dims;
    expect(dims('input.input')).toEqual([1, 8, 4, 4]);
    expect(dims('convs.0.conv.weight')).toEqual([1, 6, 8, 3, 3]);
    expect(dims('convs.2.conv.modulation.weight')).toEqual([6, 8]);
    expect(dims('to_rgbs.1.conv.weight')).toEqual([1, 3, 4, 1, 1]);
    expect(dims('to_rgbs.1.bias')).toEqual([1, 3, 1, 1]);
    expect(dims('noises.noise_0')).toEqual([1, 1, 4, 4]);
    expect(dims('noises.noise_4')).toEqual([1, 1, 16, 16]);
  });

  it('synthesis W+ [2, 6, 8] -> [2, 3, 16, 16]: fused and activation forms agree to 1e-4; noise as input equals the buffers', async () => {
    const a = buildSynthesis('fused', 'buffer');
    randomizeZeros(a.b, 11);
    const c = buildSynthesis('activation', 'buffer');
    copyState(a.b, c.b);
    const wPlus = f32(new Rng(12).fillNormal(new Float32Array(2 * 6 * 8)), [2, 6, 8]);
    const outA = (await (await createSession(a.b.model())).run({ w_plus: wPlus }))[a.y]!;
    const outC = (await (await createSession(c.b.model())).run({ w_plus: wPlus }))[c.y]!;
    expect(outA.dims).toEqual([2, 3, 16, 16]);
    const { diff, scale } = maxAbsDiff(outC, outA);
    expect(scale).toBeGreaterThan(0.1);
    expect(diff).toBeLessThanOrEqual(1e-4 * Math.max(1, scale));

    // The same network with the noise as graph inputs, fed the buffer values.
    const d = buildSynthesis('activation', 'input');
    for (const k of stateDictKeys(d.b)) data(d.b, k).set(data(c.b, k));
    const feeds: Record<string, HostTensor> = { w_plus: wPlus };
    for (const n of styleGan2NoiseNames(16)) {
      const t = c.b.findInitializer(n)!;
      feeds[n] = f32(t.data as Float32Array, t.dims);
    }
    const outD = (await (await createSession(d.b.model())).run(feeds))[d.y]!;
    expect(maxAbsDiff(outD, outC).diff).toBeLessThanOrEqual(1e-6 * Math.max(1, scale));
  });
});
