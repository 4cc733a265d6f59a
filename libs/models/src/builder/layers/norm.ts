import { float } from '../attributes.ts';
import type { GraphBuilder } from '../graph-builder.ts';
import { key, paramAt } from './params.ts';

export interface LayerNormOptions {
  /** Module path: `${name}.weight` and `${name}.bias`, both [dim], as nn.LayerNorm(dim). */
  name: string;
  dim: number;
  eps?: number;
}

/** Layer normalisation over the last axis (ONNX LayerNormalization, opset 17). */
export function layerNorm(b: GraphBuilder, x: string, options: LayerNormOptions): string {
  const { name, dim, eps = 1e-5 } = options;
  const scale = paramAt(b, key(name, 'weight'), [dim], { kind: 'ones' });
  const bias = paramAt(b, key(name, 'bias'), [dim], { kind: 'zeros' });
  return b.scope(name, () => b.op('LayerNormalization', [x, scale, bias], { axis: -1, epsilon: float(eps) }));
}

export interface BatchNormOptions {
  /**
   * Module path: `${name}.weight`, `.bias`, `.running_mean`, `.running_var`, all [channels], as
   * nn.BatchNorm2d (its integer `num_batches_tracked` plays no part in inference and is not kept).
   */
  name: string;
  channels: number;
  eps?: number;
}

/** Batch normalisation in inference form: (x - running_mean) / √(running_var + eps) * weight + bias over axis 1. */
export function batchNorm(b: GraphBuilder, x: string, options: BatchNormOptions): string {
  const { name, channels, eps = 1e-5 } = options;
  const dims = [channels];
  const scale = paramAt(b, key(name, 'weight'), dims, { kind: 'ones' });
  const bias = paramAt(b, key(name, 'bias'), dims, { kind: 'zeros' });
  const mean = paramAt(b, key(name, 'running_mean'), dims, { kind: 'zeros' });
  const variance = paramAt(b, key(name, 'running_var'), dims, { kind: 'ones' });
  return b.scope(name, () =>
    b.op('BatchNormalization', [x, scale, bias, mean, variance], { epsilon: float(eps) }),
  );
}

export interface PixelNormOptions {
  axis?: number;
  eps?: number;
}

/** StyleGAN's PixelNorm: x / √(mean(x², axis) + 1e-8), giving each vector (near) unit RMS. No parameters. */
export function pixelNorm(b: GraphBuilder, x: string, options: PixelNormOptions = {}): string {
  const { axis = 1, eps = 1e-8 } = options;
  const meanSq = b.op('ReduceMean', [b.op('Mul', [x, x])], { axes: [axis], keepdims: 1 });
  return b.op('Div', [x, b.op('Sqrt', [b.op('Add', [meanSq, b.scalarF(eps)])])]);
}
