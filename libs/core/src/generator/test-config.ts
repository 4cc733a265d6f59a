// Test-only: a StyleGAN2 small enough to build and run in milliseconds (16 px, 16-d styles, 6 layers).
import type { StyleGan2Config } from '@soundedit/models';

export const TINY_STYLEGAN2: StyleGan2Config = {
  size: 16,
  styleDim: 16,
  nMlp: 2,
  lrMlp: 0.01,
  blurKernel: [1, 3, 3, 1],
  channels: { 4: 16, 8: 16, 16: 8 },
};
