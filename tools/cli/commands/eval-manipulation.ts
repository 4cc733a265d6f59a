import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  EditEngine,
  EDIT_SPACES,
  evaluateManipulation,
  formatManipulationTable,
  ImageEncoder,
  PAPER_METHODS,
  type AudioInput,
  type ManipulationClass,
} from '@soundedit/core';
import { findPacks, openPack, Rng, type Pack } from '@soundedit/models';
import { isSoundClass, synthesizeSound } from '../../worlds/sounds/synthesize.ts';
import { choiceFlag, intFlag, numberFlag, parseFlags, type Command } from '../command.ts';
import { cliPackDirs } from '../pack-dirs.ts';
import { ProgressBar } from '../progress-bar.ts';
import { UsageError } from '../usage-error.ts';

const usage = `soundedit eval-manipulation [--pack NAME] [--seeds N] [--clips DIR] [options]
  (also: soundedit eval manipulation ...)

The paper's quantitative comparison in a pack's world: for every class with a probe attribute,
edits of N generated pictures guided by the class's sounds, the same with plain L2 instead of
adaptive layer masking, and guided by the class's text. Each edit is judged by the pack's
attribute probe; the table gives accuracy, attribute gain, cos(w_s, w_edited) mean and variance,
the final picture-guidance cosine and (with an identity encoder) identity similarity.

  --pack NAME|DIR          default: the first pack found
  --seeds N (8)            source pictures per class
  --first-seed N (1000)    seeds N .. N + seeds - 1 (the generator's seeds)
  --clips DIR              DIR/<class>/*.{wav,mp3,ogg,flac}; default: synthesised clips, seeded
  --clips-per-class N (4)  synthesised clips per class (seed i uses clip i mod N)
  --steps N                edit steps (default: the pack's)
  --space ${EDIT_SPACES.join('|')}            edit space (default: the pack's)
  --threshold X (0.25)     probe value the intended attribute must reach
  --out FILE               write the report (every edit, every summary) as JSON
  --json                   print the report as JSON instead of the table
  --threads N`;

/** Held out from every training seed the pack builder uses (1..5). */
const CLIP_SEED = 7_000_001;

export const evalManipulation: Command = {
  name: 'eval-manipulation',
  summary: 'sound- vs text-guided edits over many seeds, judged by the attribute probe',
  usage,
  async run(argv) {
    const f = parseFlags(
      argv,
      {
        pack: { type: 'string' },
        seeds: { type: 'string' },
        'first-seed': { type: 'string' },
        clips: { type: 'string' },
        'clips-per-class': { type: 'string' },
        steps: { type: 'string' },
        space: { type: 'string' },
        threshold: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        threads: { type: 'string' },
      },
      usage,
    );
    const seeds = intFlag(f.seeds, 'seeds', 8)!;
    const firstSeed = intFlag(f['first-seed'], 'first-seed', 1000)!;
    const perClass = intFlag(f['clips-per-class'], 'clips-per-class', 4)!;
    if (perClass < 1) throw new UsageError('--clips-per-class takes a whole number >= 1');
    const steps = intFlag(f.steps, 'steps');
    const space = f.space === undefined ? undefined : choiceFlag(f.space, 'space', EDIT_SPACES, 'w+');
    const threshold = numberFlag(f.threshold, 'threshold', 0.25)!;
    const threads = intFlag(f.threads, 'threads');
    const session = threads ? { threads } : {};

    const dirs = cliPackDirs();
    const pack = f.pack ? await openPack(f.pack, dirs) : (await findPacks(dirs)).packs[0];
    if (!pack)
      throw new UsageError(`no model pack found in ${dirs.join(', ')}; build one with npm run train:pack`);
    const probeRef = pack.manifest.parts.attributeProbe;
    if (!probeRef)
      throw new UsageError(`pack ${pack.manifest.name} has no attribute probe to judge edits with`);
    const classes = await classesOf(pack, f.clips, perClass);
    if (classes.length === 0) {
      throw new UsageError(
        `pack ${pack.manifest.name} names no class attributes (manifest classes[].attribute)`,
      );
    }

    const engine = await EditEngine.open(pack, session);
    const probe = await ImageEncoder.load(path.join(pack.dir, probeRef.dir), { kind: 'probe', session });
    const bar = new ProgressBar({ label: 'edits' });
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    try {
      const report = await evaluateManipulation({
        engine,
        probe,
        classes,
        seeds,
        firstSeed,
        methods: PAPER_METHODS,
        threshold,
        settings: { ...(steps !== undefined ? { steps } : {}), ...(space ? { space } : {}) },
        signal: controller.signal,
        onProgress: (done, total, detail) => bar.update(done, total, detail),
      });
      bar.finish();
      const record = { ...report, clips: f.clips ?? `synthesised, ${perClass} per class, seed ${CLIP_SEED}` };
      if (f.out)
        await writeFile(
          path.resolve(process.env.INIT_CWD ?? process.cwd(), f.out),
          `${JSON.stringify(record, null, 2)}\n`,
        );
      process.stdout.write(f.json ? `${JSON.stringify(record)}\n` : `${formatManipulationTable(report)}\n`);
    } finally {
      process.off('SIGINT', stop);
      await Promise.all([engine.release(), probe.release()]);
    }
  },
};

async function classesOf(
  pack: Pack,
  clipsDir: string | undefined,
  perClass: number,
): Promise<ManipulationClass[]> {
  const out: ManipulationClass[] = [];
  for (const c of pack.manifest.classes) {
    if (!c.attribute) continue;
    out.push({
      name: c.name,
      attribute: c.attribute,
      text: c.editPrompt ?? c.prompts[0]!,
      clips: clipsDir ? await clipsIn(path.join(clipsDir, c.name)) : synthesised(c.name, perClass),
    });
  }
  return out;
}

function synthesised(name: string, count: number): AudioInput[] {
  if (!isSoundClass(name)) {
    throw new UsageError(`class '${name}' has no sound synthesiser; give recordings with --clips DIR`);
  }
  const rng = new Rng(CLIP_SEED);
  return Array.from({ length: count }, () => {
    const clip = synthesizeSound(name, rng, { sampleRate: 16_000 });
    return { sampleRate: clip.sampleRate, channels: [clip.samples] };
  });
}

async function clipsIn(dir: string): Promise<AudioInput[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.(wav|mp3|ogg|oga|opus|flac|webm|m4a)$/i.test(n)).sort();
  } catch (e) {
    throw new UsageError(`cannot read clips folder ${dir}: ${(e as Error).message}`);
  }
  if (names.length === 0) throw new UsageError(`no audio files in ${dir}`);
  return Promise.all(names.map(async (n) => new Uint8Array(await readFile(path.join(dir, n)))));
}
