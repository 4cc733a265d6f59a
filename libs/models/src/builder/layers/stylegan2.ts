import type { GraphBuilder } from '../graph-builder.ts';
import { fusedLeakyRelu } from './activation.ts';
import { equalLinear } from './linear.ts';
import { pixelNorm } from './norm.ts';
import { bufferAt, key, paramAt, scaleBy } from './params.ts';

/**
 * StyleGAN2 in rosinality's stylegan2-pytorch layout: every initializer is named by its state_dict
 * key (`style.1.weight`, `conv1.conv.modulation.bias`, `convs.0.noise.weight`, `to_rgbs.0.bias`,
 * `noises.noise_3`, ...), under an optional prefix.
 */

/** Output channels per resolution, as rosinality's Generator with the given channel multiplier (2 = config-f). */
export function styleGan2Channels(channelMultiplier = 2): Record<number, number> {
  const m = channelMultiplier;
  return {
    4: 512,
    8: 512,
    16: 512,
    32: 512,
    64: 256 * m,
    128: 128 * m,
    256: 64 * m,
    512: 32 * m,
    1024: 16 * m,
  };
}

export interface StyleGan2Config {
  /** Output resolution, a power of two >= 4. */
  size: number;
  styleDim: number;
  /** Mapping-network depth. */
  nMlp: number;
  /** Mapping-network learning-rate multiplier. */
  lrMlp: number;
  /** 1-D FIR taps; the 2-D kernel is their outer product, normalised to sum 1. Must be a palindrome. */
  blurKernel: readonly number[];
  /** Channels at each resolution 4, 8, ..., size. */
  channels: Readonly<Record<number, number>>;
}

/** The official config-f generator (FFHQ 1024 is size 1024; 256-px checkpoints use the same widths). */
export function styleGan2ConfigF(size: number): StyleGan2Config {
  return {
    size,
    styleDim: 512,
    nMlp: 8,
    lrMlp: 0.01,
    blurKernel: [1, 3, 3, 1],
    channels: styleGan2Channels(2),
  };
}

/** W+ length: one style per modulated conv and ToRGB, log2(size)·2 - 2 (18 at 1024 px). */
export function styleGan2NumLatents(size: number): number {
  return logSize(size) * 2 - 2;
}

function logSize(size: number): number {
  const l = Math.log2(size);
  if (!Number.isInteger(l) || l < 2) throw new Error(`StyleGAN2 size ${size} is not a power of two >= 4`);
  return l;
}

/** rosinality's make_kernel(k) * factor²: the outer product normalised to sum factor². */
export function firKernel2d(taps: readonly number[], factor = 1): Float32Array {
  const n = taps.length;
  for (let i = 0; i < n; i++) {
    // ONNX Conv correlates where upfirdn2d convolves; the two agree only for symmetric kernels.
    if (taps[i] !== taps[n - 1 - i]) throw new Error(`FIR kernel [${taps.join(', ')}] is not a palindrome`);
  }
  const out = new Float32Array(n * n);
  let sum = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sum += taps[i]! * taps[j]!;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) out[i * n + j] = (taps[i]! * taps[j]! * factor * factor) / sum;
  return out;
}

/**
 * Runs a single-channel op on every channel of x [B, C, H, W] by folding channels into the batch:
 * [B·C, 1, H, W] -> op -> [B, C, H', W'].
 */
function perChannel(b: GraphBuilder, x: string, channels: number, op: (folded: string) => string): string {
  const folded = b.op('Reshape', [x, b.constI64([-1, 1, 0, 0])]);
  return b.op('Reshape', [op(folded), b.constI64([-1, channels, 0, 0])]);
}

export interface FirOptions {
  /** Name of the [L, L] kernel buffer (rosinality: `...blur.kernel`, `...upsample.kernel`). */
  kernelName: string;
  taps: readonly number[];
  channels: number;
}

/** rosinality's Blur after a stride-2 transposed k×k conv: upfirdn2d(x, K·4, pad) keeping the size at 2h. */
export function firBlurAfterUpsample(b: GraphBuilder, x: string, kernelSize: number, o: FirOptions): string {
  const L = o.taps.length;
  const p = L - 2 - (kernelSize - 1);
  const pad0 = Math.floor((p + 1) / 2) + 1;
  const pad1 = Math.floor(p / 2) + 1;
  if (pad0 < 0 || pad1 < 0)
    throw new Error(`blur of ${L} taps after a ${kernelSize}x${kernelSize} conv needs negative padding`);
  const k = bufferAt(b, o.kernelName, [L, L], firKernel2d(o.taps, 2));
  const w = b.op('Reshape', [k, b.constI64([1, 1, L, L])]);
  return perChannel(b, x, o.channels, (f) =>
    b.op('Conv', [f, w], { kernel_shape: [L, L], pads: [pad0, pad0, pad1, pad1] }),
  );
}

/**
 * rosinality's Upsample: upfirdn2d(x, K·4, up=2, pad=(pad0, pad1)), [B, C, h, w] -> [B, C, 2h, 2w].
 * Zero insertion followed by an FIR filter is exactly a stride-2 transposed convolution with the
 * kernel, so one ConvTranspose does it without materialising the zeros.
 */
export function firUpsample2x(b: GraphBuilder, x: string, o: FirOptions): string {
  const L = o.taps.length;
  const p = L - 2;
  const pad0 = Math.floor((p + 1) / 2) + 1;
  const pad1 = Math.floor(p / 2);
  // upfirdn2d puts input i at 2i + pad0 and filters with the flipped kernel; a transposed conv puts it
  // at 2i - begin with the kernel as is. Matching tap for tap gives these crops:
  const begin = L - 1 - pad0;
  const end = L - 2 - pad1;
  if (begin < 0 || end < 0) throw new Error(`upsampling with ${L} taps needs negative crops`);
  const k = bufferAt(b, o.kernelName, [L, L], firKernel2d(o.taps, 2));
  const w = b.op('Reshape', [k, b.constI64([1, 1, L, L])]);
  return perChannel(b, x, o.channels, (f) =>
    b.op('ConvTranspose', [f, w], { kernel_shape: [L, L], strides: [2, 2], pads: [begin, begin, end, end] }),
  );
}

/**
 * How a modulated conv is evaluated. Both give the same numbers:
 * - 'fused': rosinality's default. Per-sample weights W·s (demodulated) are built at run time and
 *   applied as one grouped conv with group = batch; needs a static batch size.
 * - 'activation': StyleGAN2-ADA's fused_modconv=False. The input is scaled by s, convolved with the
 *   fixed weight, and the output scaled by the demodulation coefficients. The conv weight stays a
 *   constant, so gradients for latents never form a per-sample [B, out, in, k, k] tensor.
 */
export type ModulationForm = 'fused' | 'activation';

export interface ModulatedConv2dOptions {
  /** Module path: `${name}.weight` [1, out, in, k, k], `${name}.modulation.{weight,bias}`, `${name}.blur.kernel`. */
  name: string;
  inChannels: number;
  outChannels: number;
  kernel: number;
  styleDim: number;
  demodulate?: boolean;
  /** Stride-2 transposed conv then FIR blur: doubles the resolution. */
  upsample?: boolean;
  blurKernel?: readonly number[];
  form: ModulationForm;
  /** Static batch size; required by the 'fused' form. */
  batch?: number;
}

const DEMOD_EPS = 1e-8;

/** StyleGAN2's ModulatedConv2d: x [B, in, h, w], w [B, styleDim] -> [B, out, h, w] (or 2h, 2w). */
export function modulatedConv2d(b: GraphBuilder, x: string, w: string, o: ModulatedConv2dOptions): string {
  const {
    name,
    inChannels: cin,
    outChannels: cout,
    kernel: k,
    styleDim,
    demodulate = true,
    upsample = false,
  } = o;
  const blurKernel = o.blurKernel ?? [1, 3, 3, 1];
  if (o.form === 'fused' && o.batch === undefined)
    throw new Error(`${name}: the fused modulation form needs a static batch size`);
  const weight = paramAt(b, key(name, 'weight'), [1, cout, cin, k, k], { kind: 'normal', std: 1 });
  const style = equalLinear(b, w, {
    name: key(name, 'modulation'),
    inDim: styleDim,
    outDim: cin,
    biasInit: 1,
  });
  const scale = 1 / Math.sqrt(cin * k * k);
  const pad = Math.floor(k / 2);
  const blur = (y: string): string =>
    upsample
      ? firBlurAfterUpsample(b, y, k, {
          kernelName: key(name, 'blur.kernel'),
          taps: blurKernel,
          channels: cout,
        })
      : y;

  return b.scope(name, () => {
    if (o.form === 'fused') {
      const batch = o.batch!;
      let wm = b.op('Mul', [
        scaleBy(b, weight, scale),
        b.op('Reshape', [style, b.constI64([-1, 1, cin, 1, 1])]),
      ]);
      if (demodulate) {
        const sumSq = b.op('ReduceSumSquare', [wm], { axes: [2, 3, 4], keepdims: 1 });
        wm = b.op('Mul', [
          wm,
          b.op('Reciprocal', [b.op('Sqrt', [b.op('Add', [sumSq, b.scalarF(DEMOD_EPS)])])]),
        ]);
      }
      const grouped = b.op('Reshape', [x, b.constI64([1, -1, 0, 0])]);
      let y: string;
      if (upsample) {
        // conv_transpose weights are [in, out/group, k, k]: per sample [in, out], stacked over the batch.
        const wt = b.op('Reshape', [
          b.op('Transpose', [wm], { perm: [0, 2, 1, 3, 4] }),
          b.constI64([-1, cout, k, k]),
        ]);
        y = b.op('ConvTranspose', [grouped, wt], { kernel_shape: [k, k], strides: [2, 2], group: batch });
      } else {
        const wc = b.op('Reshape', [wm, b.constI64([-1, cin, k, k])]);
        y = b.op('Conv', [grouped, wc], { kernel_shape: [k, k], pads: [pad, pad, pad, pad], group: batch });
      }
      return blur(b.op('Reshape', [y, b.constI64([-1, cout, 0, 0])]));
    }

    const wc = scaleBy(b, b.op('Reshape', [weight, b.constI64([cout, cin, k, k])]), scale);
    const xs = b.op('Mul', [x, b.op('Reshape', [style, b.constI64([-1, cin, 1, 1])])]);
    let y = upsample
      ? blur(
          b.op('ConvTranspose', [xs, b.op('Transpose', [wc], { perm: [1, 0, 2, 3] })], {
            kernel_shape: [k, k],
            strides: [2, 2],
          }),
        )
      : b.op('Conv', [xs, wc], { kernel_shape: [k, k], pads: [pad, pad, pad, pad] });
    if (demodulate) {
      // Σ_{i,kh,kw} (W[o,i,kh,kw]·s[b,i])² = Σ_i s[b,i]² · Σ_{kh,kw} W[o,i,kh,kw]²: a [B, in] x [in, out] product.
      const wsq = b.op('ReduceSumSquare', [wc], { axes: [2, 3], keepdims: 0 });
      const energy = b.op('MatMul', [
        b.op('Mul', [style, style]),
        b.op('Transpose', [wsq], { perm: [1, 0] }),
      ]);
      const dcoef = b.op('Reciprocal', [b.op('Sqrt', [b.op('Add', [energy, b.scalarF(DEMOD_EPS)])])]);
      y = b.op('Mul', [y, b.op('Reshape', [dcoef, b.constI64([-1, cout, 1, 1])])]);
    }
    return y;
  });
}

/**
 * Where a StyledConv's noise comes from: 'buffer' keeps rosinality's fixed `noises.noise_{i}`
 * initializers (deterministic output); 'input' makes each a graph input of that name, shaped
 * [noise_batch, 1, r, r] (feed batch 1 to share it across samples).
 */
export type NoiseSource = 'buffer' | 'input';

export interface StyledConvOptions extends Omit<ModulatedConv2dOptions, 'name' | 'demodulate'> {
  /** Module path: `${name}.conv.*`, `${name}.noise.weight` [1], `${name}.activate.bias` [out]. */
  name: string;
  /** The noise tensor, broadcastable to [B, 1, H, W] at this layer's output resolution. */
  noise: string;
}

/** ModulatedConv2d (demodulated) + NoiseInjection (x + weight·noise) + FusedLeakyReLU with bias. */
export function styledConv(b: GraphBuilder, x: string, w: string, o: StyledConvOptions): string {
  const { name, noise, ...conv } = o;
  const y = modulatedConv2d(b, x, w, { ...conv, name: key(name, 'conv'), demodulate: true });
  const noiseWeight = paramAt(b, key(name, 'noise.weight'), [1], { kind: 'zeros' });
  const bias = paramAt(b, key(name, 'activate.bias'), [o.outChannels], { kind: 'zeros' });
  return b.scope(name, () => {
    const noisy = b.op('Add', [y, b.op('Mul', [noise, noiseWeight])]);
    return fusedLeakyRelu(b, noisy, bias, { rank: 4 });
  });
}

export interface ToRgbOptions {
  /** Module path: `${name}.conv.*` (1x1, no demodulation), `${name}.bias` [1, 3, 1, 1], `${name}.upsample.kernel`. */
  name: string;
  inChannels: number;
  styleDim: number;
  blurKernel?: readonly number[];
  form: ModulationForm;
  batch?: number;
}

/** ToRGB: modulated 1x1 conv to RGB + bias, plus the FIR-upsampled previous RGB skip when there is one. */
export function toRgb(b: GraphBuilder, x: string, w: string, skip: string | null, o: ToRgbOptions): string {
  const { name, blurKernel = [1, 3, 3, 1], ...rest } = o;
  const y = modulatedConv2d(b, x, w, {
    ...rest,
    name: key(name, 'conv'),
    outChannels: 3,
    kernel: 1,
    demodulate: false,
  });
  const bias = paramAt(b, key(name, 'bias'), [1, 3, 1, 1], { kind: 'zeros' });
  const rgb = b.scope(name, () => b.op('Add', [y, bias]));
  if (skip === null) return rgb;
  const up = firUpsample2x(b, skip, {
    kernelName: key(name, 'upsample.kernel'),
    taps: blurKernel,
    channels: 3,
  });
  return b.scope(name, () => b.op('Add', [rgb, up]));
}

export interface MappingOptions {
  /** Prefix of the generator's state_dict ('' for a bare Generator); layers are `style.{1..nMlp}`. */
  name?: string;
  config: StyleGan2Config;
}

/** The mapping network z [B, styleDim] -> w [B, styleDim]: PixelNorm then nMlp EqualLinear(lr_mul) + fused leaky ReLU. */
export function styleGan2Mapping(b: GraphBuilder, z: string, o: MappingOptions): string {
  const { styleDim, nMlp, lrMlp } = o.config;
  const prefix = key(o.name ?? '', 'style');
  let h = b.scope(prefix, () => pixelNorm(b, z));
  for (let i = 1; i <= nMlp; i++) {
    h = equalLinear(b, h, {
      name: key(prefix, String(i)),
      inDim: styleDim,
      outDim: styleDim,
      lrMul: lrMlp,
      activation: 'fusedLeakyRelu',
    });
  }
  return h;
}

/** w [B, D] -> W+ [B, nLatent, D], the same style for every layer. */
export function broadcastToWPlus(b: GraphBuilder, w: string, nLatent: number): string {
  return b.op('Expand', [b.op('Unsqueeze', [w, b.constI64([1])]), b.constI64([1, nLatent, 1])]);
}

export interface SynthesisOptions {
  /** Prefix of the generator's state_dict ('' for a bare Generator). */
  name?: string;
  config: StyleGan2Config;
  form: ModulationForm;
  /** Static batch size; required by the 'fused' form. */
  batch?: number;
  noise: NoiseSource;
}

/** The noise tensor names a synthesis network uses, in layer order (`noises.noise_{i}`). */
export function styleGan2NoiseNames(size: number, name = ''): string[] {
  const numLayers = (logSize(size) - 2) * 2 + 1;
  return Array.from({ length: numLayers }, (_, i) => key(name, `noises.noise_${i}`));
}

/**
 * The synthesis network: W+ [B, nLatent, styleDim] -> image [B, 3, size, size] (roughly in [-1, 1]).
 * ConstantInput -> StyledConv -> ToRGB at 4x4, then per resolution an upsampling StyledConv, a
 * StyledConv and a ToRGB summed into the upsampled RGB skip.
 */
export function styleGan2Synthesis(b: GraphBuilder, wPlus: string, o: SynthesisOptions): string {
  const { config: c, form, noise: noiseSource } = o;
  const prefix = o.name ?? '';
  const at = (k: string): string => key(prefix, k);
  const log = logSize(c.size);
  const ch = (res: number): number => {
    const v = c.channels[res];
    if (v === undefined) throw new Error(`StyleGAN2 config has no channel count for resolution ${res}`);
    return v;
  };
  const batchOpt = o.batch === undefined ? {} : { batch: o.batch };
  const common = { styleDim: c.styleDim, blurKernel: c.blurKernel, form, ...batchOpt };

  const noiseNames = styleGan2NoiseNames(c.size, prefix);
  const noises = noiseNames.map((n, i) => {
    const r = 2 ** Math.floor((i + 5) / 2);
    return noiseSource === 'input'
      ? b.input(n, ['noise_batch', 1, r, r])
      : paramAt(b, n, [1, 1, r, r], { kind: 'normal', std: 1 });
  });
  const latent = (i: number): string => b.op('Gather', [wPlus, b.constI64([i], [])], { axis: 1 });

  const c4 = ch(4);
  let x = paramAt(b, at('input.input'), [1, c4, 4, 4], { kind: 'normal', std: 1 });
  // The activation form broadcasts the [1, C, 4, 4] constant against the per-sample styles; the fused
  // form folds the batch into channels, so it repeats the constant per sample as ConstantInput does.
  if (form === 'fused') x = b.scope(at('input'), () => b.op('Expand', [x, b.constI64([o.batch!, 1, 1, 1])]));
  x = styledConv(b, x, latent(0), {
    ...common,
    name: at('conv1'),
    inChannels: c4,
    outChannels: c4,
    kernel: 3,
    noise: noises[0]!,
  });
  let skip = toRgb(b, x, latent(1), null, { ...common, name: at('to_rgb1'), inChannels: c4 });

  let inCh = c4;
  for (let res = 3, li = 1; res <= log; res++, li += 2) {
    const outCh = ch(2 ** res);
    const convIdx = (res - 3) * 2;
    x = styledConv(b, x, latent(li), {
      ...common,
      name: at(`convs.${convIdx}`),
      inChannels: inCh,
      outChannels: outCh,
      kernel: 3,
      upsample: true,
      noise: noises[li]!,
    });
    x = styledConv(b, x, latent(li + 1), {
      ...common,
      name: at(`convs.${convIdx + 1}`),
      inChannels: outCh,
      outChannels: outCh,
      kernel: 3,
      noise: noises[li + 1]!,
    });
    skip = toRgb(b, x, latent(li + 2), skip, {
      ...common,
      name: at(`to_rgbs.${res - 3}`),
      inChannels: outCh,
    });
    inCh = outCh;
  }
  return skip;
}
