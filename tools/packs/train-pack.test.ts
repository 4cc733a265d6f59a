import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPackModels } from '@soundedit/core';
import { loadPack, verifyPack } from '@soundedit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainPack } from './train-pack.ts';
import { FACES, SCENES } from './world-adapters.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'soundedit-train-pack-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('train:pack (smoke recipe: every stage, a few steps each)', () => {
  it.each([SCENES, FACES])(
    'builds a loadable, verified $name pack with a model card, and resumes as done',
    async (world) => {
      const options = {
        world,
        recipe: 'smoke' as const,
        runDir: path.join(dir, `run-${world.name}`),
        outDir: path.join(dir, `tiny-${world.name}`),
        seed: 1,
        threads: 1,
        command: 'test',
      };
      await trainPack(options);
      const pack = await loadPack(options.outDir);
      const v = await verifyPack(pack);
      expect(v.unlisted).toEqual([]);
      expect(Object.keys(pack.manifest.parts).sort()).toEqual(
        world.name === 'faces'
          ? ['attributeProbe', 'audioEncoder', 'generator', 'identityEncoder', 'imageEncoder', 'textEncoder']
          : ['attributeProbe', 'audioEncoder', 'generator', 'imageEncoder', 'textEncoder'],
      );
      expect(pack.manifest.classes.map((c) => c.name)).toContain('ambient');
      const card = await readFile(path.join(options.outDir, 'MODEL_CARD.md'), 'utf8');
      expect(card).toMatch(/text->image retrieval/);
      expect(card).toMatch(/zero-shot audio classification, held-out synthetic clips/);
      if (world.name === 'faces') expect(card).toMatch(/identity verification/);

      const models = await openPackModels(pack);
      const a = await models.generator.sample(3, 0.7);
      const b = await models.generator.sample(3, 0.7);
      expect(a.image).toEqual(b.image);
      expect((await models.text.embed([world.classes[0]!.prompts[0]!])).length).toBe(pack.manifest.embedDim);
      await models.release();

      // Every stage is done: a second run only re-reads them (and rebuilds nothing).
      const before = (await readFile(path.join(options.outDir, 'manifest.json'), 'utf8')).length;
      await trainPack(options);
      expect((await readFile(path.join(options.outDir, 'manifest.json'), 'utf8')).length).toBe(before);
    },
    300_000,
  );
});
