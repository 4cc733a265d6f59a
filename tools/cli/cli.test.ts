import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildAudioEncoder,
  encodeWav,
  exportAudioEncoder,
  Generator,
  buildImageEncoder,
  CLIP_MEAN,
  CLIP_STD,
  ImageEncoder,
  installPackPart,
  parseCsvTable,
  PAPER_LOG_MEL_CONFIG,
  TextEncoder,
  WordLevelTokenizer,
  writePack,
  type AudioEncoderConfig,
} from '@soundedit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOOLS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOUNDS = path.resolve(TOOLS, '..', '..', 'shared', 'data', 'sounds');
const haveSounds = existsSync(path.join(SOUNDS, 'SOURCES.csv'));
if (!haveSounds) console.warn(`skipping the CLI tests: ${SOUNDS} (the shared recordings) is absent`);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let models: string;

function soundedit(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@soundedit/source', '--import', 'tsx', 'cli/main.ts', ...args],
      { cwd: TOOLS, env: { ...process.env, SOUNDEDIT_THREADS: '1', SOUNDEDIT_MODELS: models } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
let csv: string;

/** Real recordings of three classes, short ones (under 20 s) so decoding stays quick. */
async function writeDatasetCsv(): Promise<string> {
  const table = parseCsvTable(await readFile(path.join(SOUNDS, 'SOURCES.csv'), 'utf8'), 'SOURCES.csv');
  const col = (name: string) => table.header.indexOf(name);
  const rows = ['audio,label'];
  for (const label of ['dog_bark', 'rain', 'church_bells']) {
    const picked = table.rows
      .map((r) => r.fields)
      .filter((f) => f[col('class')] === label)
      .filter((f) => Number(/([\d.]+) s/.exec(f[col('detail')] ?? '')?.[1] ?? 1e9) < 20)
      .slice(0, 6);
    for (const f of picked) rows.push(`${path.join(SOUNDS, f[col('file')]!)},${label}`);
  }
  const file = path.join(dir, 'dataset.csv');
  await writeFile(file, `${rows.join('\n')}\n`);
  return file;
}

const SMALL: AudioEncoderConfig = {
  arch: 'resnet18',
  baseWidth: 8,
  outputDim: 32,
  logMel: { ...PAPER_LOG_MEL_CONFIG, sampleRate: 16_000, nFft: 512, winLength: 512, hop: 256, nMels: 32 },
  clipSeconds: 1,
  crop: 'center',
  pad: 'end',
  batchSize: 8,
};

/** A small pack of seeded networks with the three classes the test data has, in SOUNDEDIT_MODELS. */
async function writeTestPack(): Promise<void> {
  const classes = ['dog_bark', 'rain', 'church_bells'];
  const prompts = classes.map((c) => `the sound of ${c.replace('_', ' ')}`);
  const tokenizer = WordLevelTokenizer.fromTexts(prompts, { contextLength: 12 });
  const text = await TextEncoder.create(
    { vocabSize: tokenizer.vocabSize, contextLength: 12, width: 16, layers: 1, heads: 2, embedDim: 32 },
    tokenizer,
  );
  const image = await ImageEncoder.create({
    inputResolution: 16,
    patchSize: 8,
    width: 16,
    layers: 1,
    heads: 2,
    outputDim: 32,
  });
  const generator = await Generator.create(
    {
      size: 16,
      styleDim: 16,
      nMlp: 2,
      lrMlp: 0.01,
      blurKernel: [1, 3, 3, 1],
      channels: { 4: 16, 8: 16, 16: 8 },
    },
    { wAvgSamples: 64 },
  );
  await exportAudioEncoder(buildAudioEncoder(SMALL).model, SMALL, path.join(dir, 'untrained'), {
    steps: 0,
    fingerprint: '-',
  });
  const pack = await writePack(
    path.join(models, 'cli-pack'),
    {
      name: 'cli-pack',
      title: 'CLI test pack',
      embedDim: 32,
      classes: classes.map((name, i) => ({
        name,
        prompts: [prompts[i]!],
        ...(name === 'rain' ? { attribute: 'rain', editPrompt: 'rain' } : {}),
      })),
      defaults: { steps: 10, lr: 0.1, lambdaId: 0, lambdaSim: 0.002, truncation: 0.7 },
      provenance: { createdBy: 'cli.test.ts', created: '2026-11-27T12:00:00Z' },
      licence: 'MIT',
    },
    { generator, text, image, audioDir: path.join(dir, 'untrained') },
  );
  const vit = { inputResolution: 16, patchSize: 8, width: 16, layers: 1, heads: 2, outputDim: 2 };
  const probe = await ImageEncoder.fromModel(
    buildImageEncoder(vit, 3, 'probe'),
    {
      preprocess: { size: 16, mean: CLIP_MEAN, std: CLIP_STD },
      embedDim: 2,
      vit,
      outputs: ['rain', 'clouds'],
    },
    { kind: 'probe' },
  );
  await probe.save(path.join(dir, 'probe'));
  await installPackPart(pack, 'attributeProbe', path.join(dir, 'probe'));
  await Promise.all([text.release(), image.release(), generator.release(), probe.release()]);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'soundedit-cli-'));
  models = path.join(dir, 'models');
  if (haveSounds) csv = await writeDatasetCsv();
  await writeFile(path.join(dir, 'encoder.json'), JSON.stringify(SMALL));
  await writeTestPack();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('soundedit CLI', () => {
  it('lists its commands and explains a bad command line', async () => {
    const help = await soundedit('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/train-audio\s+train the audio encoder/);
    const unknown = await soundedit('train-audio', '--bogus');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--bogus'[\s\S]*soundedit train-audio --dataset/);
    const missing = await soundedit(
      'eval-linear-probe',
      '--encoder',
      dir,
      '--dataset',
      'csv:/nonexistent.csv',
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/DatasetError/);
  });

  it.skipIf(!haveSounds)(
    'trains on real recordings with progress, resumes, exports, and evaluates the export',
    async () => {
      const text = path.join(dir, 'text');
      const init = await soundedit(
        'text-encoder-init',
        '--dataset',
        `csv:${csv}`,
        '--out',
        text,
        '--embed-dim',
        '32',
      );
      expect(init.code, init.stderr).toBe(0);

      const run = path.join(dir, 'run');
      const train = (steps: number) =>
        soundedit(
          'train-audio',
          ...['--dataset', `csv:${csv}`, '--run', run, '--text-encoder', text],
          ...[
            '--encoder-config',
            path.join(dir, 'encoder.json'),
            '--batch-size',
            '4',
            '--steps',
            String(steps),
          ],
          ...['--optimizer', 'adamw', '--lr', '1e-3', '--checkpoint-every', '3', '--validate-every', '3'],
          ...['--validation-fraction', '0.25'],
        );
      const first = await train(3);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toMatch(/training \[#+\] 100% 3\/3/);
      expect(first.stderr).toMatch(/zero-shot top-1 [\d.]+% \(chance 33\.3%\)/);
      // A longer run in the same folder is a different run (its schedule differs): refused.
      const other = await train(6);
      expect(other.code).toBe(1);
      expect(other.stderr).toMatch(/RUN_MISMATCH/);
      const again = await train(3);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/resuming from .*step-00000003: step 3 of 3/);
      expect(again.stdout).toMatch(/finished at step 3; encoder exported to/);

      const encoder = path.join(run, 'export');
      const json = path.join(dir, 'zero-shot.json');
      const zs = await soundedit(
        'eval-zero-shot',
        '--encoder',
        encoder,
        '--text-encoder',
        text,
        '--dataset',
        `csv:${csv}`,
        '--json',
        json,
      );
      expect(zs.code, zs.stderr).toBe(0);
      expect(zs.stdout).toMatch(/top-1/i);
      const zsReport = JSON.parse(await readFile(json, 'utf8'));
      expect(zsReport.samples).toBe(18);

      const probe = path.join(dir, 'probe.json');
      const lp = await soundedit(
        'eval-linear-probe',
        '--encoder',
        encoder,
        '--dataset',
        `csv:${csv}`,
        '--folds',
        '3',
        '--json',
        probe,
      );
      expect(lp.code, lp.stderr).toBe(0);
      const lpReport = JSON.parse(await readFile(probe, 'utf8'));
      expect(lpReport.folds).toHaveLength(3);
      expect(lpReport.meanAccuracy).toBeGreaterThanOrEqual(0);
    },
    240_000,
  );

  it('lists and verifies packs, and trains an audio encoder into a pack', async () => {
    const list = await soundedit('packs', 'list');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/cli-pack\s+CLI test pack — 3 classes/);
    const verify = await soundedit('packs', 'verify', 'cli-pack');
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/cli-pack: ok — \d+ files/);
    const unknown = await soundedit('packs', 'verify', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/PackError NOT_FOUND: no pack named 'nope'.*available: cli-pack/);
    if (!haveSounds) return;
    const before = JSON.parse(await readFile(path.join(models, 'cli-pack', 'manifest.json'), 'utf8'));
    const train = await soundedit(
      'train-audio',
      ...['--dataset', `csv:${csv}`, '--run', path.join(dir, 'pack-run'), '--pack', 'cli-pack', '--install'],
      ...['--encoder-config', path.join(dir, 'encoder.json'), '--batch-size', '4', '--steps', '2'],
    );
    expect(train.code, train.stderr).toBe(0);
    expect(train.stdout).toMatch(/installed into pack cli-pack/);
    const after = JSON.parse(await readFile(path.join(models, 'cli-pack', 'manifest.json'), 'utf8'));
    const key = 'audio-encoder/audio-encoder.onnx';
    expect(after.files[key].sha256).not.toBe(before.files[key].sha256);
    expect((await soundedit('packs', 'verify')).code).toBe(0);
  }, 120_000);

  it('edits a seed picture with a sound into pictures, a GIF and a JSON record, and refuses bad requests', async () => {
    const wav = path.join(dir, 'tone.wav');
    const samples = Float32Array.from({ length: 16_000 }, (_, i) => 0.3 * Math.sin(i / 5));
    await writeFile(wav, encodeWav([samples], 16_000, { encoding: 'pcm', bitsPerSample: 16 }));
    const out = path.join(dir, 'edit');
    const run = await soundedit(
      'edit',
      '--audio',
      wav,
      '--pack',
      'cli-pack',
      '--steps',
      '6',
      '--out',
      out,
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    const record = JSON.parse(run.stdout);
    expect(record.steps).toHaveLength(6);
    expect(record.layerWeights).toHaveLength(6);
    for (const file of record.files) expect(existsSync(path.join(out, file))).toBe(true);
    expect(JSON.parse(await readFile(path.join(out, 'edit.json'), 'utf8')).pack).toBe('cli-pack');
    const gif = await readFile(path.join(out, 'trajectory.gif'));
    expect(gif.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    expect(record.guidance.loudness).toBeNull();
    const louder = await soundedit(
      ...['edit', '--audio', wav, '--pack', 'cli-pack', '--steps', '2', '--loudness-gain'],
      ...['--out', path.join(dir, 'edit-loud'), '--json'],
    );
    expect(louder.code, louder.stderr).toBe(0);
    const loud = JSON.parse(louder.stdout);
    // A 0.3-amplitude sine is at -13.5 dBFS: 6.5 dB over the reference, a gain of 2^(6.5/12).
    expect(loud.guidance.loudness.rmsDb).toBeCloseTo(-13.5, 0);
    expect(loud.settings.guidance).toBeCloseTo(loud.guidance.loudness.gain, 6);
    expect(loud.guidance.loudness.gain).toBeCloseTo(2 ** (6.5 / 12), 1);

    const badSteps = await soundedit(
      'edit',
      '--audio',
      wav,
      '--pack',
      'cli-pack',
      '--steps',
      '0',
      '--out',
      out,
    );
    expect(badSteps.code, badSteps.stderr).toBe(1);
    expect(badSteps.stderr).toMatch(/EditError BAD_SETTING: steps must be/);
    const notAudio = path.join(dir, 'not-audio.wav');
    await writeFile(notAudio, 'this is text, not sound');
    const badAudio = await soundedit('edit', '--audio', notAudio, '--pack', 'cli-pack', '--out', out);
    expect(badAudio.code).toBe(1);
    expect(badAudio.stderr).toMatch(/AudioDecodeError/);
  }, 120_000);

  it('evaluates sound- against text-guided edits with the pack probe, and explains what it lacks', async () => {
    const report = path.join(dir, 'manipulation.json');
    const run = await soundedit(
      ...['eval', 'manipulation', '--pack', 'cli-pack', '--seeds', '2', '--steps', '2'],
      ...['--clips-per-class', '1', '--out', report],
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/manipulation: pack cli-pack, seeds 1000-1001, 2 steps/);
    expect(run.stdout).toMatch(/^all\s+sound, plain L2\s+2\s/m);
    const json = JSON.parse(await readFile(report, 'utf8'));
    expect(json.records).toHaveLength(2 * 3);
    expect(json.records.every((r: { className: string }) => r.className === 'rain')).toBe(true);
    const inW = await soundedit(
      ...['eval', 'manipulation', '--pack', 'cli-pack', '--seeds', '1', '--steps', '1', '--space', 'w'],
      '--clips-per-class',
      '1',
    );
    expect(inW.code, inW.stderr).toBe(0);
    expect(inW.stdout).toMatch(/1 steps in W,/);
    const badSpace = await soundedit('eval', 'manipulation', '--pack', 'cli-pack', '--space', 'z');
    expect(badSpace.code).toBe(2);
    expect(badSpace.stderr).toMatch(/--space/);
    const missing = await soundedit(
      'eval-manipulation',
      '--pack',
      'cli-pack',
      '--clips',
      path.join(dir, 'nowhere'),
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read clips folder .*nowhere.rain/);
  }, 120_000);
});
