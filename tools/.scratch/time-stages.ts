import { trainGenerator, trainImageText, WordLevelTokenizer } from '@soundedit/core';
import { Rng } from '@soundedit/models';
import { packRecipe } from '../packs/pack-recipe.ts';
const r = packRecipe('full');
const rng = new Rng(1);
const n = 128;
const px = () => Uint8Array.from({ length: 3 * r.size * r.size }, () => Math.floor(rng.next() * 255));
const ex = Array.from({ length: n }, (_, i) => ({ pixels: px(), captions: [`a picture number ${i % 7}`] }));
const tok = WordLevelTokenizer.fromTexts(
  ex.flatMap((e) => e.captions),
  { contextLength: 32 },
);
let t = performance.now();
const times: number[] = [];
await trainImageText({
  runDir: `/tmp/time-clip-${Date.now()}`,
  examples: ex,
  vit: r.clip.vit,
  text: r.clip.text,
  tokenizer: tok,
  batchSize: 64,
  steps: 4,
  optimizer: { kind: 'adamw', lr: 1e-3 },
  schedule: { kind: 'constant' },
  temperature: { kind: 'learnable', init: 0.07 },
  seed: 1,
  checkpointEvery: 100,
  onEvent: (e) => {
    if (e.type === 'step') {
      const now = performance.now();
      times.push(now - t);
      t = now;
    }
  },
});
console.log('clip ms/step', times.map((x) => x.toFixed(0)).join(' '));
const gtimes: number[] = [];
const lat = Array.from({ length: 64 }, () => ({
  z: rng.fillNormal(new Float32Array(r.generator.config.styleDim)),
  pixels: px(),
}));
t = performance.now();
await trainGenerator({
  runDir: `/tmp/time-gen-${Date.now()}`,
  config: r.generator.config,
  examples: lat,
  batchSize: 16,
  steps: 4,
  optimizer: { kind: 'adamw', lr: 1e-3 },
  schedule: { kind: 'constant' },
  seed: 1,
  checkpointEvery: 100,
  onEvent: (e) => {
    if (e.type === 'step') {
      const now = performance.now();
      gtimes.push(now - t);
      t = now;
    }
  },
});
console.log('generator ms/step', gtimes.map((x) => x.toFixed(0)).join(' '));
