import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../builder/graph-builder.ts';
import { saveModel } from '../onnx/model-file.ts';
import { findPacks, openPack, packSearchDirs } from './find-packs.ts';
import { describeFiles, loadPack, validateManifest, verifyPack } from './load-pack.ts';
import { MANIFEST_FILE, PACK_PARTS, type PackManifest } from './manifest.ts';

let root: string;

/** A pack folder with a small real graph and a description per part. */
async function writePack(
  dir: string,
  name: string,
  patch: Partial<PackManifest> = {},
): Promise<PackManifest> {
  const parts: PackManifest['parts'] = {
    generator: { dir: 'generator' },
    imageEncoder: { dir: 'image-encoder' },
    textEncoder: { dir: 'text-encoder' },
    audioEncoder: { dir: 'audio-encoder' },
  };
  for (const [part, ref] of Object.entries(parts) as [keyof typeof PACK_PARTS, { dir: string }][]) {
    await mkdir(join(dir, ref.dir), { recursive: true });
    const b = new GraphBuilder(part, 1);
    b.output(b.op('Relu', [b.input('x', [1, 4])]));
    await saveModel(join(dir, ref.dir, 'model.onnx'), b.model());
    await writeFile(
      join(dir, ref.dir, PACK_PARTS[part].description),
      JSON.stringify({ format: PACK_PARTS[part].format, version: 1 }),
    );
  }
  const manifest: PackManifest = {
    format: 'soundedit-pack',
    version: 1,
    name,
    title: `Test pack ${name}`,
    embedDim: 4,
    parts,
    classes: [{ name: 'rain', prompts: ['the sound of rain'] }],
    defaults: {
      steps: 300,
      lr: 0.1,
      lambdaId: 0,
      lambdaSim: 0.002,
      truncation: 0.7,
      audioLayers: [0, 4],
      textLayers: [5, 9],
    },
    provenance: { createdBy: 'pack.test.ts', created: '2026-11-27T12:00:00Z' },
    licence: 'MIT',
    files: await describeFiles(dir),
    ...patch,
  };
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  return manifest;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'soundedit-packs-'));
  await writePack(join(root, 'a', 'rainy'), 'rainy');
  await writePack(join(root, 'b', 'sunny'), 'sunny');
  await writePack(join(root, 'b', 'rainy-copy'), 'rainy');
  await mkdir(join(root, 'b', 'not-a-pack'));
  await mkdir(join(root, 'b', 'broken'));
  await writeFile(join(root, 'b', 'broken', MANIFEST_FILE), '{"format": "soundedit-pack"');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('pack manifests', () => {
  it('loads a valid pack and verifies every file', async () => {
    const pack = await loadPack(join(root, 'a', 'rainy'));
    expect(pack.manifest.name).toBe('rainy');
    const v = await verifyPack(pack);
    expect(v.checked).toBe(8);
    expect(v.unlisted).toEqual([]);
  });

  it('reports every schema problem with its place, at once', async () => {
    const good = JSON.parse(await readFile(join(root, 'a', 'rainy', MANIFEST_FILE), 'utf8'));
    const bad = {
      ...good,
      name: 'Bad Name',
      embedDim: -1,
      extra: 1,
      defaults: { ...good.defaults, steps: 0 },
    };
    delete bad.licence;
    try {
      validateManifest(bad);
      expect.unreachable();
    } catch (e) {
      const problems = (e as { problems: string[] }).problems;
      expect(e).toMatchObject({ code: 'BAD_MANIFEST' });
      expect(problems.join('\n')).toMatch(/\/name: must match pattern/);
      expect(problems.join('\n')).toMatch(/\/embedDim: must be >= 1/);
      expect(problems.join('\n')).toMatch(/must have required property 'licence'/);
      expect(problems.join('\n')).toMatch(/must NOT have additional properties 'extra'/);
      expect(problems.join('\n')).toMatch(/\/defaults\/steps/);
    }
    expect(() => validateManifest({ ...good, defaults: { ...good.defaults, audioLayers: [6, 2] } })).toThrow(
      /audioLayers: start 6 is after end 2/,
    );
    expect(() =>
      validateManifest({ ...good, files: { '../escape.onnx': { bytes: 1, sha256: 'a'.repeat(64) } } }),
    ).toThrow(/must match pattern/);
    const { 'generator/generator.json': _, ...files } = good.files;
    expect(() => validateManifest({ ...good, files })).toThrow(/generator\/generator.json is not listed/);
  });

  it('finds a damaged, edited or mislabelled file', async () => {
    const dir = join(root, 'damaged');
    await writePack(dir, 'damaged');
    await writeFile(join(dir, 'text-encoder', 'model.onnx'), 'oops');
    const bytes = await readFile(join(dir, 'generator', 'model.onnx'));
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    await writeFile(join(dir, 'generator', 'model.onnx'), bytes);
    await rm(join(dir, 'audio-encoder', 'model.onnx'));
    try {
      await verifyPack(await loadPack(dir));
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'BAD_FILE' });
      const problems = (e as { problems: string[] }).problems.join('\n');
      expect(problems).toMatch(/audio-encoder\/model.onnx: missing/);
      expect(problems).toMatch(/text-encoder\/model.onnx: 4 bytes/);
      expect(problems).toMatch(/generator\/model.onnx: SHA-256/);
    }
    const wrong = join(root, 'wrong-part');
    await writePack(wrong, 'wrong-part');
    await writeFile(
      join(wrong, 'image-encoder', 'image-encoder.json'),
      JSON.stringify({ format: 'soundedit-text-encoder' }),
    );
    const m = JSON.parse(await readFile(join(wrong, MANIFEST_FILE), 'utf8'));
    m.files = await describeFiles(wrong);
    await writeFile(join(wrong, MANIFEST_FILE), JSON.stringify(m));
    await expect(verifyPack(await loadPack(wrong))).rejects.toMatchObject({ code: 'BAD_PART' });
  });

  it('searches SOUNDEDIT_MODELS first, then the defaults; earlier folders win; broken packs are reported', async () => {
    const dirs = packSearchDirs([join(root, 'b')], { SOUNDEDIT_MODELS: join(root, 'a') });
    expect(dirs).toEqual([join(root, 'a'), join(root, 'b')]);
    const found = await findPacks(dirs);
    expect(found.packs.map((p) => [p.manifest.name, p.dir])).toEqual([
      ['rainy', join(root, 'a', 'rainy')],
      ['sunny', join(root, 'b', 'sunny')],
    ]);
    expect(found.broken.map((b) => b.dir)).toEqual([join(root, 'b', 'broken')]);
    expect((await openPack('sunny', dirs)).dir).toBe(join(root, 'b', 'sunny'));
    await expect(openPack('cloudy', dirs)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: /available: rainy, sunny/,
    });
    await expect(openPack('broken', dirs)).rejects.toMatchObject({ code: 'BAD_MANIFEST' });
    await expect(loadPack(join(root, 'b', 'not-a-pack'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
