import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@soundedit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageEncoder } from '../encoders/clip-image/image-encoder.ts';
import { TextEncoder } from '../encoders/clip-text/text-encoder.ts';
import { WordLevelTokenizer } from '../text/word-level.ts';
import { trainImageText, type ImageTextEvent, type ImageTextExample } from './image-text-trainer.ts';
import { METRICS_FILE } from './run-folder.ts';

const SIZE = 16;
const COLOURS: Record<string, [number, number, number]> = {
  red: [230, 40, 40],
  green: [40, 200, 60],
  blue: [40, 60, 230],
};
const SHAPES = ['circle', 'square', 'bar'] as const;

/** A shape of a colour at a jittered place and size on a grey background. */
function picture(colour: string, shape: (typeof SHAPES)[number], rng: Rng): Uint8Array {
  const px = new Uint8Array(3 * SIZE * SIZE).fill(128);
  const cx = 5 + rng.next() * 6;
  const cy = 5 + rng.next() * 6;
  const r = 3 + rng.next() * 2;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const dx = x - cx;
      const dy = y - cy;
      const inside =
        shape === 'circle'
          ? dx * dx + dy * dy < r * r
          : shape === 'square'
            ? Math.max(Math.abs(dx), Math.abs(dy)) < r
            : Math.abs(dy) < 1.2 && Math.abs(dx) < r + 2;
      if (!inside) continue;
      for (let c = 0; c < 3; c++) px[c * SIZE * SIZE + y * SIZE + x] = COLOURS[colour]![c]!;
    }
  }
  return px;
}

function examples(perClass: number, seed: number): ImageTextExample[] {
  const rng = new Rng(seed);
  const out: ImageTextExample[] = [];
  for (let k = 0; k < perClass; k++) {
    for (const colour of Object.keys(COLOURS)) {
      for (const shape of SHAPES) {
        out.push({
          pixels: picture(colour, shape, rng),
          captions: [`a ${colour} ${shape}`, `a ${shape} that is ${colour}`],
        });
      }
    }
  }
  return out;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundedit-clip-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('trainImageText', () => {
  it('learns a shared space: held-out pictures retrieve their captions far above chance, and the export works', async () => {
    const train = examples(12, 1);
    const validation = examples(3, 2);
    const tokenizer = WordLevelTokenizer.fromTexts(
      train.flatMap((e) => e.captions),
      { contextLength: 8 },
    );
    const events: ImageTextEvent[] = [];
    const result = await trainImageText({
      runDir: join(dir, 'run'),
      examples: train,
      validation,
      vit: { inputResolution: SIZE, patchSize: 4, width: 32, layers: 2, heads: 4, outputDim: 16 },
      text: { width: 32, layers: 1, heads: 4 },
      tokenizer,
      batchSize: 18,
      steps: 400,
      optimizer: { kind: 'adamw', lr: 3e-3, weightDecay: 1e-4 },
      schedule: { kind: 'cosine', warmupSteps: 10 },
      temperature: { kind: 'learnable', init: 0.1 },
      seed: 3,
      validateEvery: 200,
      checkpointEvery: 200,
      session: { threads: 1 },
      onEvent: (e) => events.push(e),
    });
    const steps = events.flatMap((e) => (e.type === 'step' ? [e] : []));
    const mean = (xs: typeof steps) => xs.reduce((s, x) => s + x.loss, 0) / xs.length;
    console.log('image-text', mean(steps.slice(0, 10)), mean(steps.slice(-10)), result.lastValidation);
    expect(mean(steps.slice(-10))).toBeLessThan(0.6 * mean(steps.slice(0, 10)));
    // 9 distinct captions among 27 pictures: chance is 1/9.
    expect(result.lastValidation!.imageToText).toBeGreaterThan(0.6);
    expect(result.lastValidation!.textToImage).toBeGreaterThan(0.6);
    expect((await readFile(join(dir, 'run', METRICS_FILE), 'utf8')).trim().split('\n')).toHaveLength(402);

    const image = await ImageEncoder.load(join(result.exportDir, 'image-encoder'));
    const text = await TextEncoder.load(join(result.exportDir, 'text-encoder'));
    const red = await image.embedImages([
      {
        width: SIZE,
        height: SIZE,
        data: Float32Array.from(picture('red', 'circle', new Rng(9)), (v) => v / 255),
      },
    ]);
    const [rc, bs] = [await text.embed(['a red circle']), await text.embed(['a blue square'])];
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);
    expect(dot(red, rc)).toBeGreaterThan(dot(red, bs));
    await Promise.all([image.release(), text.release()]);
  }, 300_000);
});
