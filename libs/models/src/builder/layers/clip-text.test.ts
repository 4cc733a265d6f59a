import { describe, expect, it } from 'vitest';
import { elementCount, DataType } from '../../onnx/ir.ts';
import { createSession } from '../../runtime/session.ts';
import { i64 } from '../../runtime/host-tensor.ts';
import { GraphBuilder } from '../graph-builder.ts';
import { EMITTED_OPS } from '../ops.ts';
import { Rng } from '../rng.ts';
import { CLIP_TEXT_B_32, textTransformer, type TextTransformerOptions } from './clip-text.ts';
import { stateDictKeys } from './params.ts';

const tiny: TextTransformerOptions = {
  name: '',
  vocabSize: 16,
  contextLength: 6,
  width: 8,
  layers: 2,
  heads: 2,
  embedDim: 5,
};
const SOT = 14;
const EOT = 15;

function buildText(batch: number | string = 'n', eotId?: number): { b: GraphBuilder; y: string } {
  const b = new GraphBuilder('text', 41);
  const options = eotId === undefined ? tiny : { ...tiny, eotId };
  const y = textTransformer(b, b.input('tokens', [batch, tiny.contextLength], DataType.INT64), options);
  b.output(y);
  // LN affine and biases start at 1/0; randomise them so the checks see every parameter.
  const rng = new Rng(42);
  for (const t of b.graph.initializers) {
    if (/(ln_|bias)/.test(t.name))
      rng.fillNormal(t.data as Float32Array, 0.3, t.name.endsWith('.weight') ? 1 : 0);
  }
  return { b, y };
}

async function encode(b: GraphBuilder, y: string, rows: number[][]): Promise<Float32Array[]> {
  const session = await createSession(b.model());
  const out = (await session.run({ tokens: i64(rows.flat(), [rows.length, tiny.contextLength]) }))[y]!;
  expect(out.dims).toEqual([rows.length, tiny.embedDim]);
  const data = out.data as Float32Array;
  return rows.map((_, r) => data.slice(r * tiny.embedDim, (r + 1) * tiny.embedDim));
}

function expectClose(actual: Float32Array, expected: Float32Array, digits = 5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

describe('CLIP text transformer', () => {
  it('has OpenAI CLIP state_dict keys and shapes (top level when name is empty)', () => {
    const { b } = buildText();
    const keys = stateDictKeys(b);
    expect(keys.filter((k) => !k.startsWith('transformer.'))).toEqual([
      'token_embedding.weight',
      'positional_embedding',
      'ln_final.weight',
      'ln_final.bias',
      'text_projection',
    ]);
    expect(keys.filter((k) => k.startsWith('transformer.resblocks.1.'))).toEqual([
      'transformer.resblocks.1.ln_1.weight',
      'transformer.resblocks.1.ln_1.bias',
      'transformer.resblocks.1.attn.in_proj_weight',
      'transformer.resblocks.1.attn.in_proj_bias',
      'transformer.resblocks.1.attn.out_proj.weight',
      'transformer.resblocks.1.attn.out_proj.bias',
      'transformer.resblocks.1.ln_2.weight',
      'transformer.resblocks.1.ln_2.bias',
      'transformer.resblocks.1.mlp.c_fc.weight',
      'transformer.resblocks.1.mlp.c_fc.bias',
      'transformer.resblocks.1.mlp.c_proj.weight',
      'transformer.resblocks.1.mlp.c_proj.bias',
    ]);
    expect(keys.length).toBe(5 + 2 * 12);
    expect(b.findInitializer('token_embedding.weight')!.dims).toEqual([16, 8]);
    expect(b.findInitializer('positional_embedding')!.dims).toEqual([6, 8]);
    expect(b.findInitializer('text_projection')!.dims).toEqual([8, 5]);
    // No stray scope prefix from the empty module path.
    expect(b.graph.nodes.filter((n) => n.name.startsWith('/') || n.outputs[0]!.startsWith('/'))).toEqual([]);
  });

  it('prefixes every key with a non-empty module path', () => {
    const b = new GraphBuilder('text');
    textTransformer(b, b.input('tokens', [1, 6], DataType.INT64), { ...tiny, name: 'clip' });
    const keys = stateDictKeys(b);
    expect(keys.every((k) => k.startsWith('clip.'))).toBe(true);
    expect(keys).toContain('clip.transformer.resblocks.0.attn.in_proj_weight');
    expect(keys).toContain('clip.text_projection');
  });

  it("has OpenAI ViT-B/32's text tower parameter count (63,428,096)", () => {
    const b = new GraphBuilder('b32');
    textTransformer(b, b.input('tokens', ['n', 77], DataType.INT64), { ...CLIP_TEXT_B_32, name: '' });
    const count = stateDictKeys(b).reduce((s, k) => s + elementCount(b.findInitializer(k)!.dims), 0);
    // Token 49408·512 + positional 77·512 + 12 blocks · 3,152,384 + ln_final 2·512 + projection 512·512,
    // i.e. CLIP ViT-B/32's 151,277,313 less the image tower's 87,849,216 and logit_scale.
    const block = 2 * 512 + (3 * 512 * 512 + 3 * 512) + (512 * 512 + 512) + 2 * 512;
    const mlp = 2048 * 512 + 2048 + 512 * 2048 + 512;
    expect(block + mlp).toBe(3_152_384);
    expect(count).toBe(49408 * 512 + 77 * 512 + 12 * (block + mlp) + 2 * 512 + 512 * 512);
    expect(count).toBe(63_428_096);
  }, 60_000);

  it('encodes batches of 1 and 3 through one graph with a symbolic batch, each row as if alone', async () => {
    const { b, y } = buildText('n');
    const rows = [
      [SOT, 3, 7, EOT, 0, 0],
      [SOT, EOT, 0, 0, 0, 0],
      [SOT, 1, 2, 3, 4, EOT],
    ];
    const all = await encode(b, y, rows);
    for (let r = 0; r < 3; r++) {
      const [alone] = await encode(b, y, [rows[r]!]);
      expectClose(alone!, all[r]!);
    }
    expect(maxAbsDiff(all[0]!, all[1]!)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(all[0]!, all[2]!)).toBeGreaterThan(1e-3);
  });

  it('is causal: the features ignore what follows the end-of-text token, not what precedes it', async () => {
    const { b, y } = buildText();
    const [base, laterChanged, earlierChanged] = await encode(b, y, [
      [SOT, 3, EOT, 0, 0, 0],
      [SOT, 3, EOT, 9, 4, 11],
      [SOT, 4, EOT, 0, 0, 0],
    ]);
    expectClose(laterChanged!, base!);
    expect(maxAbsDiff(earlierChanged!, base!)).toBeGreaterThan(1e-3);
  });

  it('reads the position of the largest id (the first one on ties), as tokens.argmax(-1)', async () => {
    const { b, y } = buildText();
    // With the blocks reduced to identities, features = ln_final(tok[id] + pos[p]) @ text_projection,
    // which pins down both the token and the position that were read.
    for (const t of b.graph.initializers)
      if (/\.(attn\.out_proj|mlp\.c_proj)\./.test(t.name)) (t.data as Float32Array).fill(0);
    const param = (k: string): Float32Array => b.findInitializer(k)!.data as Float32Array;
    const { width: w, embedDim: e } = tiny;
    const expected = (id: number, p: number): Float32Array => {
      const v = Array.from(
        { length: w },
        (_, i) => param('token_embedding.weight')[id * w + i]! + param('positional_embedding')[p * w + i]!,
      );
      const m = v.reduce((s, t) => s + t, 0) / w;
      const s2 = v.reduce((s, t) => s + (t - m) ** 2, 0) / w;
      const ln = v.map(
        (t, i) =>
          ((t - m) / Math.sqrt(s2 + 1e-5)) * param('ln_final.weight')[i]! + param('ln_final.bias')[i]!,
      );
      return Float32Array.from({ length: e }, (_, o) =>
        ln.reduce((s, t, i) => s + t * param('text_projection')[i * e + o]!, 0),
      );
    };
    const [atThree, tie, atEnd] = await encode(b, y, [
      [SOT, 3, 7, EOT, 0, 0],
      [5, 12, 9, 12, 0, 0],
      [SOT, 1, 2, 3, 4, EOT],
    ]);
    expectClose(atThree!, expected(EOT, 3), 4);
    expectClose(tie!, expected(12, 1), 4);
    expectClose(atEnd!, expected(EOT, 5), 4);
  });

  it('reads the first occurrence of eotId when given one (word-level vocabularies)', async () => {
    const END = 2;
    const { b, y } = buildText('n', END);
    const [after, padded, earlier, repeated, single] = await encode(b, y, [
      [SOT, 3, END, 9, 4, 11],
      [SOT, 3, END, 0, 0, 0],
      [SOT, 4, END, 0, 0, 0],
      [SOT, END, 3, END, 0, 0],
      [SOT, END, 0, 0, 0, 0],
    ]);
    expectClose(after!, padded!);
    expect(maxAbsDiff(earlier!, padded!)).toBeGreaterThan(1e-3);
    expectClose(repeated!, single!);
    expect(() => buildText('n', tiny.vocabSize)).toThrow(/eotId/);
  });

  it('emits only ops the autodiff engine knows, at opset 17', () => {
    const { b } = buildText();
    const known = new Set<string>(EMITTED_OPS);
    expect([...new Set(b.graph.nodes.map((n) => n.opType))].filter((op) => !known.has(op))).toEqual([]);
    expect(b.model().opsetImports).toEqual([{ domain: '', version: 17 }]);
  });

  it('rejects a token input of the wrong length and a bad config', () => {
    const b = new GraphBuilder('text');
    expect(() => textTransformer(b, b.input('tokens', [1, 7], DataType.INT64), tiny)).toThrow(
      /'tokens' holds 7 tokens per row, expected 6/,
    );
    const c = new GraphBuilder('text');
    expect(() =>
      textTransformer(c, c.input('tokens', [1, 6], DataType.INT64), { ...tiny, layers: 0 }),
    ).toThrow(/layers must be a positive integer/);
  });
});
