/**
 * The graph builder's CLIP text tower against PyTorch. test/fixtures/clip_text.json is written by
 * tools/reference/clip_text_fixture.py: a small text tower laid out as OpenAI's model.py (seeded
 * random weights), its full state_dict, a batch of token rows with the end-of-text token at varying
 * positions, and torch's encode_text features for them. Here the same tower is built with
 * textTransformer, every parameter is filled by its state_dict name, and onnxruntime's features are
 * compared with torch's: the check that real OpenAI checkpoints load by name and compute the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../src/builder/graph-builder.ts';
import { textTransformer, type TextTransformerConfig } from '../src/builder/layers/clip-text.ts';
import { stateDictKeys } from '../src/builder/layers/params.ts';
import { DataType } from '../src/onnx/ir.ts';
import { i64 } from '../src/runtime/host-tensor.ts';
import { createSession } from '../src/runtime/session.ts';

interface EncodedTensor {
  dims: number[];
  /** base64 of little-endian float32 values. */
  data: string;
}

interface ClipTextFixture {
  config: TextTransformerConfig;
  tokens: { dims: number[]; data: number[] };
  features: EncodedTensor;
  /** The PyTorch module's state_dict, every entry. */
  stateDict: Record<string, EncodedTensor>;
  /** max |fp32 - fp64| / max |fp64| of torch's own features: the floor for any tolerance. */
  fp32VsFp64RelError: number;
}

/*
 * |ours - torch| <= ATOL + RTOL * |torch| element-wise. Torch's float32 features are ~1e-7 (relative)
 * from its float64 re-run; onnxruntime differs only by summation order and fused kernels. A wrong
 * key, a transposed weight, a missing mask or the wrong pooled position moves features by O(1).
 */
const ATOL = 1e-4;
const RTOL = 1e-4;

function loadFixture(): ClipTextFixture {
  // Read unconditionally: a missing fixture is a failure, never a skip.
  return JSON.parse(
    readFileSync(new URL('./fixtures/clip_text.json', import.meta.url), 'utf8'),
  ) as ClipTextFixture;
}

function decode(t: EncodedTensor): Float32Array {
  const raw = Buffer.from(t.data, 'base64');
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const data = new Float32Array(raw.byteLength / 4);
  for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(4 * i, true);
  expect(data.length).toBe(t.dims.reduce((a, b) => a * b, 1));
  return data;
}

/** The fixture's tower built by the graph builder, with torch's weights loaded by state_dict name. */
function buildLoaded(fixture: ClipTextFixture): { b: GraphBuilder; y: string } {
  const b = new GraphBuilder('clip_text', 7);
  const y = textTransformer(b, b.input('tokens', ['n', fixture.config.contextLength], DataType.INT64), {
    ...fixture.config,
    name: '',
  });
  b.output(y);
  for (const k of stateDictKeys(b)) {
    const init = b.findInitializer(k)!;
    const saved = fixture.stateDict[k];
    if (!saved) throw new Error(`the torch state_dict has no '${k}'`);
    expect(init.dims, k).toEqual(saved.dims);
    init.data = decode(saved);
  }
  return { b, y };
}

describe('PyTorch reference: clip_text', () => {
  it('has exactly the state_dict keys of the OpenAI-layout torch module', () => {
    const fixture = loadFixture();
    const { b } = buildLoaded(fixture);
    expect([...stateDictKeys(b)].sort()).toEqual(Object.keys(fixture.stateDict).sort());
  });

  it('computes encode_text as torch does, for the whole batch and row by row', async () => {
    const fixture = loadFixture();
    expect(fixture.fp32VsFp64RelError).toBeLessThan(1e-5);
    const { b, y } = buildLoaded(fixture);
    const session = await createSession(b.model());
    const [rows, ctx] = fixture.tokens.dims as [number, number];
    const expected = decode(fixture.features);
    const embed = fixture.config.embedDim;

    const check = (actual: Float32Array, from: number): void => {
      let worst = 0;
      for (let i = 0; i < actual.length; i++) {
        const e = expected[from + i]!;
        const err = Math.abs(actual[i]! - e) / (ATOL + RTOL * Math.abs(e));
        worst = Number.isNaN(err) ? Infinity : Math.max(worst, err);
      }
      expect(worst).toBeLessThanOrEqual(1);
    };

    const all = (await session.run({ tokens: i64(fixture.tokens.data, [rows, ctx]) }))[y]!;
    expect(all.dims).toEqual(fixture.features.dims);
    check(all.data as Float32Array, 0);
    for (let r = 0; r < rows; r++) {
      const one = (
        await session.run({ tokens: i64(fixture.tokens.data.slice(r * ctx, (r + 1) * ctx), [1, ctx]) })
      )[y]!;
      expect(one.dims).toEqual([1, embed]);
      check(one.data as Float32Array, r * embed);
    }
  });
});
