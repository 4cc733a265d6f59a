export { bufferAt, key, paramAt, scaleBy, stateDictKeys } from './params.ts';
export { fusedLeakyRelu, gelu, quickGelu, type FusedLeakyReluOptions } from './activation.ts';
export { equalLinear, linear, type EqualLinearOptions, type LinearOptions } from './linear.ts';
export {
  conv2d,
  convAttrs,
  equalConv2d,
  type Conv2dOptions,
  type EqualConv2dOptions,
  type Size2,
} from './conv.ts';
export {
  batchNorm,
  layerNorm,
  pixelNorm,
  type BatchNormOptions,
  type LayerNormOptions,
  type PixelNormOptions,
} from './norm.ts';
export { causalMask, multiHeadSelfAttention, type MultiHeadAttentionOptions } from './attention.ts';
export {
  residualAttentionBlock,
  transformer,
  type ResidualAttentionBlockOptions,
  type TransformerOptions,
} from './transformer.ts';
export {
  CLIP_VIT_B_32,
  visionTransformer,
  type VisionTransformerConfig,
  type VisionTransformerOptions,
} from './vit.ts';
export {
  CLIP_TEXT_B_32,
  textTransformer,
  type TextTransformerConfig,
  type TextTransformerOptions,
} from './clip-text.ts';
export {
  RESNET18,
  RESNET50,
  audioEncoder,
  basicBlock,
  bottleneck,
  resnet,
  type AudioEncoderOptions,
  type ResNetBlockOptions,
  type ResNetConfig,
  type ResNetOptions,
} from './resnet.ts';
export {
  broadcastToWPlus,
  firBlurAfterUpsample,
  firKernel2d,
  firUpsample2x,
  modulatedConv2d,
  styleGan2Channels,
  styleGan2ConfigF,
  styleGan2Mapping,
  styleGan2NoiseNames,
  styleGan2NumLatents,
  styleGan2Synthesis,
  styledConv,
  toRgb,
  type FirOptions,
  type MappingOptions,
  type ModulatedConv2dOptions,
  type ModulationForm,
  type NoiseSource,
  type StyleGan2Config,
  type StyledConvOptions,
  type SynthesisOptions,
  type ToRgbOptions,
} from './stylegan2.ts';
