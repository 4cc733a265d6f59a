import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph-builder.ts';
import { EMITTED_OPS } from '../ops.ts';
import {
  audioEncoder,
  equalConv2d,
  pixelNorm,
  styleGan2Mapping,
  styleGan2Synthesis,
  transformer,
  visionTransformer,
  causalMask,
  type StyleGan2Config,
} from './index.ts';

const SMALL: StyleGan2Config = {
  size: 8,
  styleDim: 4,
  nMlp: 2,
  lrMlp: 0.01,
  blurKernel: [1, 3, 3, 1],
  channels: { 4: 4, 8: 4 },
};

describe('layers', () => {
  it('emit only ops the autodiff engine knows (EMITTED_OPS)', () => {
    const b = new GraphBuilder('all');
    visionTransformer(b, b.input('img', [1, 3, 8, 8]), {
      name: 'visual',
      inputResolution: 8,
      patchSize: 4,
      width: 4,
      layers: 1,
      heads: 2,
      outputDim: 3,
      activation: 'gelu',
    });
    transformer(b, b.input('txt', [1, 3, 4]), {
      name: 'text',
      width: 4,
      layers: 1,
      heads: 1,
      mask: causalMask(b, 3),
    });
    audioEncoder(b, b.input('spec', [1, 1, 16, 16]), {
      name: 'audio',
      backbone: { block: 'bottleneck', layers: [1, 1, 1, 1], widths: [2, 2, 2, 2] },
      outputDim: 4,
    });
    equalConv2d(b, pixelNorm(b, b.input('x', [1, 2, 4, 4])), {
      name: 'eq',
      inChannels: 2,
      outChannels: 2,
      kernel: 3,
      padding: 1,
    });
    styleGan2Mapping(b, b.input('z', [2, 4]), { name: 'g', config: SMALL });
    for (const form of ['fused', 'activation'] as const) {
      styleGan2Synthesis(b, b.input(`wp_${form}`, [2, 4, 4]), {
        name: `g_${form}`,
        config: SMALL,
        form,
        batch: 2,
        noise: 'input',
      });
    }
    const known = new Set<string>(EMITTED_OPS);
    expect([...new Set(b.graph.nodes.map((n) => n.opType))].filter((op) => !known.has(op))).toEqual([]);
  });
});
