import type { GraphBuilder } from '../graph-builder.ts';
import { conv2d } from './conv.ts';
import { linear } from './linear.ts';
import { batchNorm } from './norm.ts';
import { key } from './params.ts';

export interface ResNetBlockOptions {
  /** Module path, as torchvision/timm: `${name}.conv1`, `${name}.bn1`, ..., `${name}.downsample.{0,1}`. */
  name: string;
  inChannels: number;
  /** The block's base width; its output has planes * expansion channels. */
  planes: number;
  stride?: number;
  /** A 1x1 conv + BN on the shortcut; needed when stride or channel count changes. */
  downsample?: boolean;
}

function convBn(
  b: GraphBuilder,
  x: string,
  name: string,
  bnName: string,
  inChannels: number,
  outChannels: number,
  kernel: number,
  stride: number,
): string {
  const y = conv2d(b, x, {
    name,
    inChannels,
    outChannels,
    kernel,
    stride,
    padding: (kernel - 1) / 2,
    bias: false,
  });
  return batchNorm(b, y, { name: bnName, channels: outChannels });
}

function shortcut(b: GraphBuilder, x: string, o: ResNetBlockOptions, outChannels: number): string {
  if (!o.downsample) {
    if ((o.stride ?? 1) !== 1 || o.inChannels !== outChannels) {
      throw new Error(`${o.name}: a block changing stride or channels needs a downsample shortcut`);
    }
    return x;
  }
  return convBn(
    b,
    x,
    key(o.name, 'downsample.0'),
    key(o.name, 'downsample.1'),
    o.inChannels,
    outChannels,
    1,
    o.stride ?? 1,
  );
}

/** ResNet BasicBlock (expansion 1): relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), 3x3 convs. */
export function basicBlock(b: GraphBuilder, x: string, o: ResNetBlockOptions): string {
  const { name, inChannels, planes, stride = 1 } = o;
  const h = b.op('Relu', [convBn(b, x, key(name, 'conv1'), key(name, 'bn1'), inChannels, planes, 3, stride)]);
  const y = convBn(b, h, key(name, 'conv2'), key(name, 'bn2'), planes, planes, 3, 1);
  return b.scope(name, () => b.op('Relu', [b.op('Add', [y, shortcut(b, x, o, planes)])]));
}

/** ResNet Bottleneck (expansion 4, stride on the 3x3 conv as torchvision's "v1.5" and timm). */
export function bottleneck(b: GraphBuilder, x: string, o: ResNetBlockOptions): string {
  const { name, inChannels, planes, stride = 1 } = o;
  const out = planes * 4;
  let h = b.op('Relu', [convBn(b, x, key(name, 'conv1'), key(name, 'bn1'), inChannels, planes, 1, 1)]);
  h = b.op('Relu', [convBn(b, h, key(name, 'conv2'), key(name, 'bn2'), planes, planes, 3, stride)]);
  const y = convBn(b, h, key(name, 'conv3'), key(name, 'bn3'), planes, out, 1, 1);
  return b.scope(name, () => b.op('Relu', [b.op('Add', [y, shortcut(b, x, o, out)])]));
}

export interface ResNetConfig {
  block: 'basic' | 'bottleneck';
  /** Blocks per stage. */
  layers: readonly [number, number, number, number];
  widths?: readonly [number, number, number, number];
}

export const RESNET18: ResNetConfig = { block: 'basic', layers: [2, 2, 2, 2] };
export const RESNET50: ResNetConfig = { block: 'bottleneck', layers: [3, 4, 6, 3] };

export interface ResNetOptions extends ResNetConfig {
  /** Module path: `${name}.conv1`, `.bn1`, `.layer{1-4}.{j}.*`, `.fc`, as torchvision/timm ResNet. */
  name: string;
  inChannels?: number;
  /** Size of the `fc` head; null returns the pooled features [N, C] without a head. */
  outputDim: number | null;
}

/** ResNet: 7x7/2 conv stem, BN, ReLU, 3x3/2 max pool, four stages, global average pool, fc. x [N, C, H, W] -> [N, outputDim]. */
export function resnet(b: GraphBuilder, x: string, options: ResNetOptions): string {
  const { name, block, layers, widths = [64, 128, 256, 512], inChannels = 3, outputDim } = options;
  const expansion = block === 'basic' ? 1 : 4;
  const makeBlock = block === 'basic' ? basicBlock : bottleneck;
  let h = b.op('Relu', [convBn(b, x, key(name, 'conv1'), key(name, 'bn1'), inChannels, widths[0], 7, 2)]);
  h = b.scope(name, () =>
    b.op('MaxPool', [h], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
  );
  let channels = widths[0];
  for (let stage = 0; stage < 4; stage++) {
    const planes = widths[stage]!;
    for (let j = 0; j < layers[stage]!; j++) {
      const stride = j === 0 && stage > 0 ? 2 : 1;
      const downsample = j === 0 && (stride !== 1 || channels !== planes * expansion);
      h = makeBlock(b, h, {
        name: key(name, `layer${stage + 1}.${j}`),
        inChannels: channels,
        planes,
        stride,
        downsample,
      });
      channels = planes * expansion;
    }
  }
  const pooled = b.scope(name, () => b.op('Flatten', [b.op('GlobalAveragePool', [h])], { axis: 1 }));
  if (outputDim === null) return pooled;
  return linear(b, pooled, { name: key(name, 'fc'), inFeatures: channels, outFeatures: outputDim });
}

export interface AudioEncoderOptions {
  /** Module path: `${name}.conv.*` (the 1->3 stem) and `${name}.feature_extractor.*` (the ResNet). */
  name: string;
  backbone?: ResNetConfig;
  outputDim?: number;
}

/**
 * The sound-guided manipulation paper's audio encoder: a 3x3 conv (with bias, no padding) maps the
 * 1-channel log-mel spectrogram [N, 1, F, T] to 3 channels for an ImageNet ResNet (ResNet-18 by
 * default) whose fc head gives the 512-d embedding.
 */
export function audioEncoder(b: GraphBuilder, spectrogram: string, options: AudioEncoderOptions): string {
  const { name, backbone = RESNET18, outputDim = 512 } = options;
  const x = conv2d(b, spectrogram, { name: key(name, 'conv'), inChannels: 1, outChannels: 3, kernel: 3 });
  return resnet(b, x, { ...backbone, name: key(name, 'feature_extractor'), inChannels: 3, outputDim });
}
