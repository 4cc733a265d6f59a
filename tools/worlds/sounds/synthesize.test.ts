import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeAudio, loadCsvDataset } from '@soundedit/core';
import { Rng } from '@soundedit/models';
import { afterAll, describe, expect, it } from 'vitest';
import { CLASS_KEYWORDS } from './captions.ts';
import { peak, rmsDbfs } from './dsp.ts';
import { LEVEL_DBFS } from './recording.ts';
import {
  clipSeed,
  DURATION_RANGE_S,
  SOUND_CLASSES,
  SOUND_SYNTHS,
  SoundSynthError,
  synthesizeSound,
  writeSoundSet,
  type SoundClass,
} from './synthesize.ts';

const CLIPS_PER_CLASS = 6;

/** Bitwise equality; vitest's deep equality walks typed arrays element by element, slowly. */
function sameSamples(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

/** A few clips of every class, shared by the property checks below. */
const clips = SOUND_CLASSES.flatMap((label, c) =>
  Array.from({ length: CLIPS_PER_CLASS }, (_, k) => synthesizeSound(label, new Rng(clipSeed(11, c, k)))),
);

describe('synthesizeSound', () => {
  it('replays exactly from a seed, and another seed gives another clip', () => {
    for (const label of SOUND_CLASSES) {
      const a = synthesizeSound(label, new Rng(42));
      const b = synthesizeSound(label, new Rng(42));
      expect(sameSamples(b.samples, a.samples), label).toBe(true);
      expect(b.caption).toBe(a.caption);
      const other = synthesizeSound(label, new Rng(43));
      expect(sameSamples(other.samples, a.samples), label).toBe(false);
    }
  });

  it('gives finite samples within [-1, 1], durations in [1.5, 8] s and levels in the recording range', () => {
    for (const clip of clips) {
      const seconds = clip.samples.length / clip.sampleRate;
      expect(seconds).toBeGreaterThanOrEqual(DURATION_RANGE_S[0] - 1e-3);
      expect(seconds).toBeLessThanOrEqual(DURATION_RANGE_S[1] + 1e-3);
      expect(clip.samples.every(Number.isFinite), clip.label).toBe(true);
      expect(peak(clip.samples), clip.label).toBeLessThanOrEqual(1);
      // Spiky sounds are turned down rather than squashed, so they may sit below the range.
      expect(rmsDbfs(clip.samples), clip.label).toBeLessThanOrEqual(LEVEL_DBFS[1] + 0.5);
      expect(rmsDbfs(clip.samples), clip.label).toBeGreaterThan(LEVEL_DBFS[0] - 25);
    }
  });

  it('varies widely within a class: durations and levels spread out', () => {
    for (const label of SOUND_CLASSES) {
      const mine = clips.filter((c) => c.label === label);
      const seconds = mine.map((c) => c.samples.length / c.sampleRate);
      const levels = mine.map((c) => rmsDbfs(c.samples));
      expect(Math.max(...seconds) - Math.min(...seconds), label).toBeGreaterThan(1.5);
      expect(Math.max(...levels) - Math.min(...levels), label).toBeGreaterThan(3);
      expect(new Set(mine.map((c) => c.caption)).size, label).toBeGreaterThan(1);
    }
  });

  it('captions name their class, and mixtures name both sounds', () => {
    let mixtures = 0;
    for (const clip of clips) {
      expect(clip.caption, clip.label).toMatch(CLASS_KEYWORDS[clip.label]);
      expect(clip.components[0]?.label).toBe(clip.label);
      for (const part of clip.components.slice(1).filter((p) => p.label !== 'ambient')) {
        mixtures++;
        expect(clip.caption, `${clip.label} + ${part.label}`).toMatch(CLASS_KEYWORDS[part.label]);
      }
    }
    expect(mixtures).toBeGreaterThan(0);
  });

  it('mixes thunder with rain often, and never mixes when asked not to', () => {
    const storms = Array.from({ length: 20 }, (_, k) =>
      synthesizeSound('thunderstorm', new Rng(100 + k), { durationS: 2 }),
    );
    const withRain = storms.filter((s) => s.components.some((c) => c.label === 'rain'));
    expect(withRain.length).toBeGreaterThan(5);
    for (const s of withRain) expect(s.caption).toMatch(/thunder/);
    for (const s of withRain) expect(s.caption).toMatch(CLASS_KEYWORDS.rain);
    const alone = synthesizeSound('thunderstorm', new Rng(100), { mix: false, durationS: 2 });
    expect(alone.components.map((c) => c.label)).toEqual(['thunderstorm']);
  });

  it('works at 44.1 kHz with the requested duration', () => {
    for (const label of SOUND_CLASSES) {
      const clip = synthesizeSound(label, new Rng(5), { sampleRate: 44_100, durationS: 2 });
      expect(clip.samples.length).toBe(88_200);
      expect(clip.samples.every(Number.isFinite)).toBe(true);
      expect(peak(clip.samples)).toBeLessThanOrEqual(1);
    }
  });

  it('class modules synthesize finished clips on their own', () => {
    const x = SOUND_SYNTHS.rain.synthesize(new Rng(1), { durationS: 2 });
    expect(x.length).toBe(32_000);
    expect(peak(x)).toBeLessThanOrEqual(1);
  });

  it('rejects an unknown class, a bad sample rate and a bad duration with typed errors', () => {
    const call = (label: string, options: object): unknown =>
      synthesizeSound(label as SoundClass, new Rng(1), options);
    expect(() => call('laughing', {})).toThrow(SoundSynthError);
    expect(() => call('laughing', {})).toThrow(/unknown sound class "laughing" \(known: giggling/);
    expect(() => call('rain', { sampleRate: 100 })).toThrow(
      expect.objectContaining({ code: 'BAD_SAMPLE_RATE' }),
    );
    expect(() => call('rain', { durationS: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'BAD_DURATION' }),
    );
  });
});

describe('writeSoundSet', () => {
  let dir = '';
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('writes WAVs and a metadata.csv that loadCsvDataset reads back', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'soundedit-sounds-'));
    const result = await writeSoundSet(dir, 2, 3, 16_000, { durationS: 1.5 });
    expect(result.clips).toBe(2 * SOUND_CLASSES.length);
    const dataset = await loadCsvDataset(result.metadataFile);
    expect(dataset.items).toHaveLength(result.clips);
    expect(dataset.problems).toEqual([]);
    expect(dataset.classes).toEqual([...SOUND_CLASSES].sort());
    const first = dataset.items[0]!;
    expect(first.caption).toMatch(CLASS_KEYWORDS[first.label as SoundClass]);
    const audio = await decodeAudio(new Uint8Array(await readFile(first.audioPath)));
    expect(audio.sampleRate).toBe(16_000);
    expect(audio.channels[0]!.length).toBe(24_000);
  });

  it('rejects a count below one', async () => {
    await expect(writeSoundSet(path.join(tmpdir(), 'never'), 0, 1)).rejects.toThrow(SoundSynthError);
  });
});
