import type { GraphBuilder } from '../graph-builder.ts';
import { key, paramAt, scaleBy } from './params.ts';

export type Size2 = number | readonly [number, number];

const pair = (s: Size2): [number, number] => (typeof s === 'number' ? [s, s] : [s[0], s[1]]);

export interface Conv2dOptions {
  /** Module path: `${name}.weight` [out, in/groups, kh, kw] and `${name}.bias` [out], as nn.Conv2d. */
  name: string;
  inChannels: number;
  outChannels: number;
  kernel: Size2;
  stride?: Size2;
  /** torch-style symmetric padding (ph, pw). */
  padding?: Size2;
  /** ONNX pads [top, left, bottom, right]; overrides `padding` (for asymmetric padding). */
  pads?: readonly [number, number, number, number];
  dilation?: Size2;
  groups?: number;
  bias?: boolean;
}

/** The ONNX Conv attributes for a torch-style configuration. */
export function convAttrs(o: Pick<Conv2dOptions, 'stride' | 'padding' | 'pads' | 'dilation' | 'groups'>): {
  strides: number[];
  pads: number[];
  dilations: number[];
  group: number;
} {
  const [ph, pw] = pair(o.padding ?? 0);
  return {
    strides: pair(o.stride ?? 1),
    pads: o.pads ? [...o.pads] : [ph, pw, ph, pw],
    dilations: pair(o.dilation ?? 1),
    group: o.groups ?? 1,
  };
}

function checkGroups(name: string, inChannels: number, outChannels: number, groups: number): void {
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new Error(`${name}: ${inChannels} -> ${outChannels} channels do not split into ${groups} groups`);
  }
}

/** A 2-D convolution with PyTorch's parameter layout and default (uniform ±1/√fan_in) init. */
export function conv2d(b: GraphBuilder, x: string, options: Conv2dOptions): string {
  const { name, inChannels, outChannels, groups = 1, bias = true } = options;
  checkGroups(name, inChannels, outChannels, groups);
  const [kh, kw] = pair(options.kernel);
  const bound = 1 / Math.sqrt((inChannels / groups) * kh * kw);
  const w = paramAt(b, key(name, 'weight'), [outChannels, inChannels / groups, kh, kw], {
    kind: 'uniform',
    bound,
  });
  const inputs = [x, w];
  if (bias) inputs.push(paramAt(b, key(name, 'bias'), [outChannels], { kind: 'uniform', bound }));
  return b.scope(name, () => b.op('Conv', inputs, { kernel_shape: [kh, kw], ...convAttrs(options) }));
}

export interface EqualConv2dOptions {
  /** Module path: `${name}.weight` [out, in, k, k] and `${name}.bias` [out], as rosinality's EqualConv2d. */
  name: string;
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride?: number;
  padding?: number;
  bias?: boolean;
}

/** StyleGAN2's equalized-learning-rate conv: weights N(0, 1) scaled by 1/√(in·k²) at run time. */
export function equalConv2d(b: GraphBuilder, x: string, options: EqualConv2dOptions): string {
  const { name, inChannels, outChannels, kernel, stride = 1, padding = 0, bias = true } = options;
  const w = paramAt(b, key(name, 'weight'), [outChannels, inChannels, kernel, kernel], {
    kind: 'normal',
    std: 1,
  });
  const bi = bias ? paramAt(b, key(name, 'bias'), [outChannels], { kind: 'zeros' }) : null;
  return b.scope(name, () => {
    const inputs = [x, scaleBy(b, w, 1 / Math.sqrt(inChannels * kernel * kernel))];
    if (bi !== null) inputs.push(bi);
    return b.op('Conv', inputs, { kernel_shape: [kernel, kernel], ...convAttrs({ stride, padding }) });
  });
}
