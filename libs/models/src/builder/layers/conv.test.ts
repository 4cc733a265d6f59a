import { describe, expect, it } from 'vitest';
import { createSession } from '../../runtime/session.ts';
import { f32, type HostTensor } from '../../runtime/host-tensor.ts';
import { GraphBuilder } from '../graph-builder.ts';
import { Rng } from '../rng.ts';
import { conv2d, equalConv2d } from './conv.ts';

interface ConvRef {
  n: number;
  cin: number;
  h: number;
  w: number;
  cout: number;
  k: number;
  stride: number;
  pads: [number, number, number, number];
  groups: number;
}

/** A direct NCHW cross-correlation (what ONNX/PyTorch call convolution). */
function convRef(
  x: Float32Array,
  wt: Float32Array,
  bias: Float32Array | null,
  o: ConvRef,
  scale = 1,
): { data: number[]; dims: number[] } {
  const [pt, pl, pb, pr] = o.pads;
  const oh = Math.floor((o.h + pt + pb - o.k) / o.stride) + 1;
  const ow = Math.floor((o.w + pl + pr - o.k) / o.stride) + 1;
  const cpg = o.cin / o.groups;
  const opg = o.cout / o.groups;
  const data: number[] = [];
  for (let n = 0; n < o.n; n++)
    for (let co = 0; co < o.cout; co++)
      for (let y = 0; y < oh; y++)
        for (let xx = 0; xx < ow; xx++) {
          let s = 0;
          const g = Math.floor(co / opg);
          for (let ci = 0; ci < cpg; ci++)
            for (let ky = 0; ky < o.k; ky++)
              for (let kx = 0; kx < o.k; kx++) {
                const iy = y * o.stride + ky - pt;
                const ix = xx * o.stride + kx - pl;
                if (iy < 0 || ix < 0 || iy >= o.h || ix >= o.w) continue;
                s +=
                  x[((n * o.cin + g * cpg + ci) * o.h + iy) * o.w + ix]! *
                  wt[((co * cpg + ci) * o.k + ky) * o.k + kx]!;
              }
          data.push(s * scale + (bias ? bias[co]! : 0));
        }
  return { data, dims: [o.n, o.cout, oh, ow] };
}

async function run(b: GraphBuilder, y: string, x: HostTensor): Promise<HostTensor> {
  b.output(y);
  return (await (await createSession(b.model())).run({ x }))[y]!;
}

describe('conv layers', () => {
  it('conv2d with stride 2, asymmetric pads and groups matches a direct convolution', async () => {
    const o: ConvRef = { n: 2, cin: 4, h: 7, w: 6, cout: 6, k: 3, stride: 2, pads: [1, 0, 2, 1], groups: 2 };
    const b = new GraphBuilder('t', 1);
    const y = conv2d(b, b.input('x', [o.n, o.cin, o.h, o.w]), {
      name: 'layer.conv',
      inChannels: o.cin,
      outChannels: o.cout,
      kernel: o.k,
      stride: o.stride,
      pads: o.pads,
      groups: o.groups,
    });
    expect(b.findInitializer('layer.conv.weight')!.dims).toEqual([6, 2, 3, 3]);
    const xv = new Rng(4).fillNormal(new Float32Array(o.n * o.cin * o.h * o.w));
    const out = await run(b, y, f32(xv, [o.n, o.cin, o.h, o.w]));
    const ref = convRef(
      xv,
      b.findInitializer('layer.conv.weight')!.data as Float32Array,
      b.findInitializer('layer.conv.bias')!.data as Float32Array,
      o,
    );
    expect(out.dims).toEqual(ref.dims);
    ref.data.forEach((v, i) => expect(out.data[i]).toBeCloseTo(v, 5));
  });

  it('conv2d without bias, torch-style padding keeps the size', async () => {
    const b = new GraphBuilder('t');
    const y = conv2d(b, b.input('x', [1, 3, 5, 5]), {
      name: 'c',
      inChannels: 3,
      outChannels: 2,
      kernel: 3,
      padding: 1,
      bias: false,
    });
    expect(b.findInitializer('c.bias')).toBeUndefined();
    const out = await run(b, y, f32(new Float32Array(75).fill(1), [1, 3, 5, 5]));
    expect(out.dims).toEqual([1, 2, 5, 5]);
  });

  it('equalConv2d scales N(0,1) weights by 1/√(in·k²) at run time', async () => {
    const o: ConvRef = { n: 1, cin: 3, h: 5, w: 5, cout: 4, k: 3, stride: 1, pads: [1, 1, 1, 1], groups: 1 };
    const b = new GraphBuilder('t', 2);
    const y = equalConv2d(b, b.input('x', [1, 3, 5, 5]), {
      name: 'convs.0',
      inChannels: 3,
      outChannels: 4,
      kernel: 3,
      padding: 1,
    });
    const bias = b.findInitializer('convs.0.bias')!.data as Float32Array;
    bias.set([0.1, -0.2, 0.3, 0.4]);
    const xv = new Rng(5).fillNormal(new Float32Array(75));
    const out = await run(b, y, f32(xv, [1, 3, 5, 5]));
    const ref = convRef(
      xv,
      b.findInitializer('convs.0.weight')!.data as Float32Array,
      bias,
      o,
      1 / Math.sqrt(27),
    );
    ref.data.forEach((v, i) => expect(out.data[i]).toBeCloseTo(v, 5));
  });
});
