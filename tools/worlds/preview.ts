/**
 * Writes preview grids of a world, to look at what the packs will be trained on:
 *
 *   node --conditions=@soundedit/source --import tsx worlds/preview.ts \
 *     --world scenes|faces --size 64 --count 64 --seed 1 --out /tmp/x.png
 *
 * OUT gets a grid of random samples (8 wide, upscaled 2x, nearest neighbour) and OUT-edits.png one
 * row per edit attribute or expression: two base images, each at intensities 0, 0.33, 0.66 and 1.
 * The captions of the grid go to OUT.txt, one per line in grid order.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { RgbImage } from '@soundedit/core';
import { Rng } from '@soundedit/models';
import {
  captionFace,
  FACE_EXPRESSION_NAMES,
  renderFace,
  sampleFaceParams,
  withExpression,
} from './faces/index.ts';
import {
  captionScene,
  renderScene,
  sampleSceneParams,
  SCENE_ATTRIBUTE_NAMES,
  withSceneEdits,
} from './scenes/index.ts';
import { tileImages, writePng } from './png.ts';

const USAGE = 'usage: preview.ts --world scenes|faces [--size 64] [--count 64] [--seed 1] --out FILE.png';
const LEVELS = [0, 0.33, 0.66, 1];

interface World {
  sample(rng: Rng): { image: RgbImage; caption: string };
  /** For each attribute, two bases at each level. */
  editRows(rng: Rng): RgbImage[];
}

function scenes(size: number): World {
  return {
    sample(rng) {
      const params = sampleSceneParams(rng);
      return { image: renderScene(params, size), caption: captionScene(params, rng) };
    },
    editRows(rng) {
      const bases = [
        sampleSceneParams(rng, { editProbability: 0 }),
        sampleSceneParams(rng, { editProbability: 0 }),
      ];
      return SCENE_ATTRIBUTE_NAMES.flatMap((name) =>
        bases.flatMap((base) => LEVELS.map((v) => renderScene(withSceneEdits(base, { [name]: v }), size))),
      );
    },
  };
}

function faces(size: number): World {
  return {
    sample(rng) {
      const params = sampleFaceParams(rng);
      return { image: renderFace(params, size), caption: captionFace(params, rng) };
    },
    editRows(rng) {
      const bases = [
        sampleFaceParams(rng, { expressionProbability: 0 }),
        sampleFaceParams(rng, { expressionProbability: 0 }),
      ];
      return FACE_EXPRESSION_NAMES.flatMap((name) =>
        bases.flatMap((base) => LEVELS.map((v) => renderFace(withExpression(base, { [name]: v }), size))),
      );
    },
  };
}

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`--${name} must be a positive integer, got '${text}'\n${USAGE}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      world: { type: 'string' },
      size: { type: 'string', default: '64' },
      count: { type: 'string', default: '64' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
    },
    strict: true,
  });
  if (values.world !== 'scenes' && values.world !== 'faces')
    throw new Error(`--world must be scenes or faces\n${USAGE}`);
  if (!values.out) throw new Error(`--out is required\n${USAGE}`);
  const size = positiveInt('size', values.size);
  const count = positiveInt('count', values.count);
  const rng = new Rng(positiveInt('seed', values.seed));
  const world = values.world === 'scenes' ? scenes(size) : faces(size);

  const started = performance.now();
  const samples = Array.from({ length: count }, () => world.sample(rng));
  const perImage = (performance.now() - started) / count;
  const out = values.out;
  const stem = out.replace(/\.png$/i, '');
  await writePng(
    tileImages(
      samples.map((s) => s.image),
      8,
      2,
    ),
    out,
  );
  await writeFile(`${stem}.txt`, samples.map((s) => s.caption).join('\n') + '\n');
  await writePng(tileImages(world.editRows(rng), 8, 2), `${stem}-edits.png`);
  console.log(
    `${out}: ${count} ${values.world} at ${size}px (${perImage.toFixed(1)} ms each, with captions)`,
  );
  console.log(`${stem}.txt: captions`);
  console.log(`${stem}-edits.png: rows per attribute, two bases at ${LEVELS.join(', ')}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 2;
});
