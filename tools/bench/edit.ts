/**
 * `npm run bench:edit [-- --steps N]`: one sound-guided edit (a synthesised clip of the pack's first
 * edit class, seed 7, the pack's defaults) on every pack in models/ (or SOUNDEDIT_MODELS), on the CPU:
 * wall time of the whole edit, the per-step time split into generator forward, image-tower forward
 * and the rest of the step (the backward pass, Adam and the copies), and the peak RSS.
 * Threads: SOUNDEDIT_THREADS (default 2).
 */
import { EditEngine, toUnitImage } from '@soundedit/core';
import { findPacks, Rng } from '@soundedit/models';
import { cliPackDirs } from '../cli/pack-dirs.ts';
import { synthesizeSound, type SoundClass } from '../worlds/sounds/synthesize.ts';
import { medianMs, peakRssMiB } from './measure.ts';

const stepsFlag = process.argv.indexOf('--steps');
const steps = stepsFlag >= 0 ? Number(process.argv[stepsFlag + 1]) : undefined;
const threads = Number(process.env.SOUNDEDIT_THREADS ?? 2);
const packs = (await findPacks(cliPackDirs())).packs;
if (packs.length === 0) {
  console.log(`bench:edit — no packs in ${cliPackDirs().join(', ')}; build one with npm run train:pack`);
  process.exit(0);
}
console.log(`bench:edit — onnxruntime CPU, ${threads} threads`);
for (const pack of packs) {
  const t0 = performance.now();
  const engine = await EditEngine.open(pack, { threads });
  const openMs = performance.now() - t0;
  const cls = pack.manifest.classes.find((c) => c.name !== 'ambient') ?? pack.manifest.classes[0]!;
  const clip = synthesizeSound(cls.name as SoundClass, new Rng(7), { sampleRate: 16_000 });
  const audio = { sampleRate: clip.sampleRate, channels: [clip.samples] };
  const settings = { ...(steps ? { steps } : {}), previewEvery: 0 };
  // One short edit first: sessions warm up and the edit graph is compiled before timing.
  await engine.run({
    source: { kind: 'seed', seed: 7 },
    guidance: { audio },
    settings: { steps: 2, previewEvery: 0 },
  });
  const t1 = performance.now();
  const outcome = await engine.run({ source: { kind: 'seed', seed: 7 }, guidance: { audio }, settings });
  const editMs = performance.now() - t1;
  const n = outcome.steps.length;
  const g = engine.models.generator;
  const w = outcome.wPlus;
  const generatorMs = await medianMs(20, () => g.synthesize(w));
  const picture = toUnitImage(await g.synthesize(w), g.resolution);
  const towerMs = await medianMs(20, () => engine.models.image.embedImages([picture]));
  const stepMs = editMs / n;
  const name = pack.manifest.name;
  console.log(
    `  ${name}: ${g.resolution} px, W+ ${g.styleLayers} x ${g.styleDim}; opened in ${openMs.toFixed(0)} ms`,
  );
  console.log(
    `  ${name}: ${n}-step edit ${(editMs / 1000).toFixed(2)} s (${stepMs.toFixed(1)} ms/step): generator ${generatorMs.toFixed(1)} ms, image tower ${towerMs.toFixed(1)} ms, backward + Adam + copies ${(stepMs - generatorMs - towerMs).toFixed(1)} ms`,
  );
  console.log(`bench:edit ${name}_edit_s ${(editMs / 1000).toFixed(2)}`);
  console.log(`bench:edit ${name}_step_ms ${stepMs.toFixed(1)}`);
  await engine.release();
}
console.log(`bench:edit peak_rss_mib ${peakRssMiB().toFixed(0)}`);
