import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../builder/graph-builder.ts';
import { float } from '../builder/attributes.ts';
import { createSession, RuntimeError } from '../runtime/session.ts';
import { decodeModel } from './decode.ts';
import { encodeModel } from './encode.ts';
import { OnnxModelError } from './errors.ts';
import { DataType, type Model } from './ir.ts';
import { loadModel, saveModel } from './model-file.ts';
import { validateModel } from './validate.ts';

function smallModel(): Model {
  const b = new GraphBuilder('small', 3);
  const x = b.input('x', [2, 4]);
  const w = b.param('w', [4, 3], { kind: 'normal', std: 1 });
  const bias = b.param('bias', [3], { kind: 'normal', std: 1 });
  const y = b.op('LeakyRelu', [b.op('Add', [b.op('MatMul', [x, w]), bias])], { alpha: float(0.2) });
  b.output(b.op('ReduceSum', [y, b.constI64([-1])], { keepdims: 0 }));
  const m = b.model();
  m.metadata.purpose = 'codec test';
  return m;
}

const feeds = { x: { data: Float32Array.from([1, -2, 3, 0.5, -1, 2, 0.25, 4]), dims: [2, 4] } };

describe('ONNX protobuf codec', () => {
  it('round-trips a model and onnxruntime computes the same result from both encodings', async () => {
    const m = smallModel();
    const bytes = encodeModel(m).model;
    const back = decodeModel(bytes);
    expect(back.graph.nodes.map((n) => n.opType)).toEqual(m.graph.nodes.map((n) => n.opType));
    expect(back.graph.nodes[2]!.attributes.alpha).toEqual({ type: 'float', value: expect.closeTo(0.2, 6) });
    expect(back.opsetImports).toEqual([{ domain: '', version: 17 }]);
    expect(back.metadata.purpose).toBe('codec test');
    expect(Array.from(back.graph.initializers[0]!.data as Float32Array)).toEqual(
      Array.from(m.graph.initializers[0]!.data as Float32Array),
    );
    expect(encodeModel(back).model).toEqual(bytes);
    const out = await (await createSession(bytes)).run(feeds);
    const out2 = await (await createSession(back)).run(feeds);
    expect(Array.from(out2[m.graph.outputs[0]!.name]!.data as Float32Array)).toEqual(
      Array.from(out[m.graph.outputs[0]!.name]!.data as Float32Array),
    );
  });

  it('writes large initializers to an external-data file and loads them back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'soundedit-onnx-'));
    const m = smallModel();
    const big = new Float32Array(4096).map((_, i) => Math.sin(i));
    m.graph.initializers.push({ name: 'big', dims: [64, 64], dataType: DataType.FLOAT, data: big });
    await saveModel(join(dir, 'm.onnx'), m, { externalData: true, minBytes: 32 });
    const onDisk = await readFile(join(dir, 'm.onnx'));
    expect(onDisk.length).toBeLessThan(2000);
    const loaded = await loadModel(join(dir, 'm.onnx'));
    expect(Array.from(loaded.graph.initializers.find((t) => t.name === 'big')!.data as Float32Array)).toEqual(
      Array.from(big),
    );
    await writeFile(join(dir, 'm.onnx.data'), new Uint8Array(10));
    await expect(loadModel(join(dir, 'm.onnx'))).rejects.toMatchObject({
      code: 'MISSING_EXTERNAL_DATA',
      subject: expect.any(String),
    });
  });

  it('rejects empty, truncated and random bytes with typed errors', () => {
    const bytes = encodeModel(smallModel()).model;
    expect(() => decodeModel(new Uint8Array())).toThrow(OnnxModelError);
    for (const cut of [1, 7, 40, Math.floor(bytes.length / 2), bytes.length - 3]) {
      let err: unknown;
      try {
        decodeModel(bytes.subarray(0, cut));
      } catch (e) {
        err = e;
      }
      expect(err, `cut at ${cut}`).toBeInstanceOf(OnnxModelError);
    }
    let seed = 7;
    for (let trial = 0; trial < 300; trial++) {
      const junk = new Uint8Array(1 + (trial % 97)).map(
        () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24,
      );
      try {
        decodeModel(junk);
      } catch (e) {
        expect(e).toBeInstanceOf(OnnxModelError);
      }
    }
    const text = new TextEncoder().encode('this is a text file renamed to .onnx\n');
    expect(() => decodeModel(text)).toThrow(OnnxModelError);
  });

  it('flips single bytes without ever crashing the process', async () => {
    const bytes = encodeModel(smallModel()).model;
    for (let i = 0; i < bytes.length; i += 3) {
      const copy = bytes.slice();
      copy[i] = copy[i]! ^ 0xa5;
      try {
        const m = decodeModel(copy);
        validateModel(m);
        await createSession(m);
      } catch (e) {
        expect(e instanceof OnnxModelError || e instanceof RuntimeError, String(e)).toBe(true);
      }
    }
  });

  it('names an unsupported opset and a missing initializer', () => {
    const m = smallModel();
    m.opsetImports = [{ domain: '', version: 7 }];
    expect(() => validateModel(m)).toThrow(/opset 7.*13 to 21/);
    const m2 = smallModel();
    const w = m2.graph.initializers.shift()!;
    expect(() => validateModel(m2)).toThrow(new RegExp(`reads '${w.name}'`));
    try {
      validateModel(m2);
    } catch (e) {
      expect((e as OnnxModelError).code).toBe('MISSING_INITIALIZER');
      expect((e as OnnxModelError).subject).toBe(w.name);
    }
  });

  it('reports wrong feeds by tensor name, and the session keeps working', async () => {
    const s = await createSession(smallModel());
    await expect(s.run({ x: { data: new Float32Array(6), dims: [2, 3] } })).rejects.toThrow(
      /input 'x' expects shape \[2, 4\]/,
    );
    await expect(s.run({ x: { data: new Float32Array(8), dims: [2, 3] } })).rejects.toMatchObject({
      code: 'BAD_FEED',
      subject: 'x',
    });
    await expect(s.run({ y: feeds.x })).rejects.toThrow(/'y' is not an input/);
    await expect(s.run({})).rejects.toThrow(/input 'x' was not fed/);
    await expect(s.run({ x: { data: new BigInt64Array(8), dims: [2, 4] } })).rejects.toThrow(
      /expects float32 but was fed int64/,
    );
    const ok = await s.run(feeds);
    expect(Object.keys(ok)).toHaveLength(1);
  });
});
