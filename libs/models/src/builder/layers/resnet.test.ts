import { describe, expect, it } from 'vitest';
import { createSession } from '../../runtime/session.ts';
import { f32, type HostTensor } from '../../runtime/host-tensor.ts';
import { GraphBuilder } from '../graph-builder.ts';
import { Rng } from '../rng.ts';
import { stateDictKeys } from './params.ts';
import { RESNET18, RESNET50, audioEncoder, basicBlock, bottleneck, resnet } from './resnet.ts';

/** Parameter count as PyTorch's sum(p.numel() for p in model.parameters()): BN running stats are buffers. */
function parameterCount(b: GraphBuilder): number {
  return stateDictKeys(b)
    .filter((k) => !/running_(mean|var)$/.test(k))
    .reduce((s, k) => s + b.findInitializer(k)!.data.length, 0);
}

async function run1(b: GraphBuilder, y: string, feeds: Record<string, HostTensor>): Promise<HostTensor> {
  b.output(y);
  return (await (await createSession(b.model())).run(feeds))[y]!;
}

const zero = (b: GraphBuilder, ...names: string[]): void => {
  for (const n of names) (b.findInitializer(n)!.data as Float32Array).fill(0);
};

describe('ResNet', () => {
  it('ResNet-18 and ResNet-50 have torchvision parameter counts and keys', () => {
    const b18 = new GraphBuilder('r18');
    resnet(b18, b18.input('x', [1, 3, 224, 224]), { ...RESNET18, name: '', outputDim: 1000 });
    expect(parameterCount(b18)).toBe(11_689_512);
    const k18 = stateDictKeys(b18);
    expect(k18).toContain('layer2.0.downsample.0.weight');
    expect(k18).toContain('layer4.1.bn2.running_var');
    expect(k18).not.toContain('layer1.0.downsample.0.weight');
    expect(b18.findInitializer('fc.weight')!.dims).toEqual([1000, 512]);

    const b50 = new GraphBuilder('r50');
    resnet(b50, b50.input('x', [1, 3, 224, 224]), { ...RESNET50, name: '', outputDim: 1000 });
    expect(parameterCount(b50)).toBe(25_557_032);
    expect(stateDictKeys(b50)).toContain('layer1.0.downsample.1.running_mean');
    expect(b50.findInitializer('layer3.5.conv3.weight')!.dims).toEqual([1024, 256, 1, 1]);
  });

  it('a BasicBlock whose last BN outputs zero is relu(x) (identity shortcut)', async () => {
    const b = new GraphBuilder('t');
    const y = basicBlock(b, b.input('x', [2, 4, 5, 5]), { name: 'blk', inChannels: 4, planes: 4 });
    zero(b, 'blk.bn2.weight', 'blk.bn2.bias');
    const xv = new Rng(1).fillNormal(new Float32Array(200));
    const out = await run1(b, y, { x: f32(xv, [2, 4, 5, 5]) });
    xv.forEach((v, i) => expect(out.data[i]).toBeCloseTo(Math.max(v, 0), 6));
  });

  it('a strided Bottleneck shortcut is the 1x1 stride-2 conv + BN', async () => {
    const b = new GraphBuilder('t');
    const y = bottleneck(b, b.input('x', [1, 4, 6, 6]), {
      name: 'blk',
      inChannels: 4,
      planes: 2,
      stride: 2,
      downsample: true,
    });
    zero(b, 'blk.bn3.weight', 'blk.bn3.bias');
    // Shortcut conv picks input channel o % 4 for output channel o; BN there stays the identity (to 1e-5).
    const w = b.findInitializer('blk.downsample.0.weight')!;
    expect(w.dims).toEqual([8, 4, 1, 1]);
    const wd = w.data as Float32Array;
    wd.fill(0);
    for (let o = 0; o < 8; o++) wd[o * 4 + (o % 4)] = 1;
    const xv = new Rng(2).fillNormal(new Float32Array(144));
    const out = await run1(b, y, { x: f32(xv, [1, 4, 6, 6]) });
    expect(out.dims).toEqual([1, 8, 3, 3]);
    for (let o = 0; o < 8; o++)
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          const ref = Math.max(xv[(o % 4) * 36 + 2 * i * 6 + 2 * j]! / Math.sqrt(1 + 1e-5), 0);
          expect(out.data[o * 9 + i * 3 + j]).toBeCloseTo(ref, 5);
        }
  });

  it('a small bottleneck ResNet runs: [2, 3, 32, 32] -> [2, 10]', async () => {
    const b = new GraphBuilder('t', 3);
    const y = resnet(b, b.input('x', [2, 3, 32, 32]), {
      block: 'bottleneck',
      layers: [1, 2, 1, 1],
      widths: [4, 4, 8, 8],
      name: 'net',
      outputDim: 10,
    });
    const out = await run1(b, y, {
      x: f32(new Rng(4).fillNormal(new Float32Array(2 * 3 * 32 * 32)), [2, 3, 32, 32]),
    });
    expect(out.dims).toEqual([2, 10]);
    expect([...(out.data as Float32Array)].every(Number.isFinite)).toBe(true);
  });

  it("the paper's audio encoder: 1->3 3x3 stem + ResNet-18 with a 512-d head", async () => {
    const b = new GraphBuilder('audio', 5);
    const y = audioEncoder(b, b.input('spec', ['n', 1, 'f', 't']), { name: '' });
    expect(b.findInitializer('conv.weight')!.dims).toEqual([3, 1, 3, 3]);
    expect(b.findInitializer('conv.bias')!.dims).toEqual([3]);
    expect(b.findInitializer('feature_extractor.fc.weight')!.dims).toEqual([512, 512]);
    // ResNet-18 with a 512-way fc (11,439,168) plus the stem's 30.
    expect(parameterCount(b)).toBe(11_439_198);
    const out = await run1(b, y, {
      spec: f32(new Rng(6).fillNormal(new Float32Array(2 * 66 * 50)), [2, 1, 66, 50]),
    });
    expect(out.dims).toEqual([2, 512]);
    expect([...(out.data as Float32Array)].every(Number.isFinite)).toBe(true);
  });
});
