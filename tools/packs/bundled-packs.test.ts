import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  EditEngine,
  evaluateManipulation,
  ImageEncoder,
  openPackModels,
  PAPER_METHODS,
  zeroShotClassify,
  type PackModels,
} from '@soundedit/core';
import { findPacks, Rng, verifyPack, type Pack } from '@soundedit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_MODELS } from '../cli/pack-dirs.ts';
import { synthesizeSound, type SoundClass } from '../worlds/sounds/synthesize.ts';
import { worldByName, type World } from './world-adapters.ts';

// The packs committed in models/: every one must verify, load, render deterministically and embed
// each modality where its world says it belongs.
const found = existsSync(REPO_MODELS) ? (await findPacks([REPO_MODELS])).packs : [];
if (found.length === 0) {
  console.warn(`no bundled packs in ${REPO_MODELS}: nothing to check`);
  it.skip(`bundled packs (none in ${REPO_MODELS})`, () => {});
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe.each(found.map((p) => [p.manifest.name, p] as const))('bundled pack %s', (_, pack: Pack) => {
  let models: PackModels;
  let world: World;
  beforeAll(async () => {
    models = await openPackModels(pack);
    world = worldByName(pack.manifest.name.replace(/^tiny-/, ''));
  });
  afterAll(async () => {
    await models.release();
  });

  it('verifies: every file has its size and SHA-256, and the pack is small enough to commit', async () => {
    const v = await verifyPack(pack);
    expect(v.unlisted).toEqual([]);
    expect(v.bytes).toBeLessThan(15 * 1024 * 1024);
  });

  it('renders the same picture for the same seed', async () => {
    const a = await models.generator.sample(7, pack.manifest.defaults.truncation);
    const b = await models.generator.sample(7, pack.manifest.defaults.truncation);
    expect(a.image).toEqual(b.image);
    const c = await models.generator.sample(8, pack.manifest.defaults.truncation);
    expect(c.image).not.toEqual(a.image);
  });

  it("puts each edit's text nearer pictures with that edit than pictures with the others", async () => {
    const edits = world.classes.filter((c) => c.edit !== undefined);
    const rng = new Rng(4242);
    const size = models.image.description.preprocess.size;
    const groups = [];
    for (const c of edits) {
      const pictures = Array.from({ length: 8 }, () => world.sample(rng, 0).withEdit(c.edit, 1).render(size));
      groups.push(await models.image.embedImages(pictures));
    }
    const dim = models.image.dim;
    const mean = (text: Float32Array, rows: Float32Array) => {
      let s = 0;
      for (let i = 0; i < rows.length / dim; i++) s += dot(text, rows.subarray(i * dim, (i + 1) * dim));
      return s / (rows.length / dim);
    };
    for (const [i, c] of edits.entries()) {
      const text = await models.text.embed([c.editPrompt]);
      const own = mean(text, groups[i]!);
      const others = groups.filter((_, j) => j !== i).map((g) => mean(text, g));
      expect(own, `"${c.editPrompt}" vs its own pictures and the others'`).toBeGreaterThan(
        Math.max(...others),
      );
    }
  });

  it('classifies new synthetic sounds zero-shot well above chance', async () => {
    const rng = new Rng(777);
    const audio: Float32Array[] = [];
    const labels: number[] = [];
    for (const [k, c] of world.classes.entries()) {
      for (let n = 0; n < 6; n++) {
        const clip = synthesizeSound(c.name, rng, { sampleRate: 16_000 });
        audio.push(
          await models.audio.embedder.embed({ sampleRate: clip.sampleRate, channels: [clip.samples] }),
        );
        labels.push(k);
      }
    }
    const classPrompts = [];
    for (const c of world.classes) {
      const rows = await models.text.embed(c.prompts);
      classPrompts.push(c.prompts.map((_, i) => rows.slice(i * models.text.dim, (i + 1) * models.text.dim)));
    }
    const report = zeroShotClassify({
      audio,
      labels,
      classNames: world.classes.map((c) => c.name),
      classPrompts,
      topK: [1],
    });
    expect(report.topK[1]).toBeGreaterThan(2 * report.chance[1]!);
  });

  it("moves a picture towards each class's attribute when a sound of the class guides the edit", async () => {
    const engine = await EditEngine.open(pack);
    const probe = await ImageEncoder.load(path.join(pack.dir, pack.manifest.parts.attributeProbe!.dir), {
      kind: 'probe',
    });
    try {
      const rng = new Rng(31);
      const classes = pack.manifest.classes
        .filter((c) => c.attribute !== undefined)
        .map((c) => {
          const clip = synthesizeSound(c.name as SoundClass, rng, { sampleRate: 16_000 });
          return {
            name: c.name,
            attribute: c.attribute!,
            text: c.editPrompt!,
            clips: [{ sampleRate: clip.sampleRate, channels: [clip.samples] }],
          };
        });
      const report = await evaluateManipulation({
        engine,
        probe,
        classes,
        // Three pictures per class, as in the README's table: one picture is too few (a seed whose
        // picture already holds the attribute can only lose it).
        seeds: 3,
        firstSeed: 1000,
        methods: [PAPER_METHODS[0]!],
      });
      const all = report.summaries.find((s) => s.className === 'all')!;
      console.log(`${pack.manifest.name}: mean attribute gain ${all.attributeGain.toFixed(3)}`);
      expect(all.attributeGain, JSON.stringify(report.summaries)).toBeGreaterThan(0.05);
    } finally {
      await Promise.all([engine.release(), probe.release()]);
    }
  }, 300_000);
});
