import { Rng } from '@soundedit/models';
import { describe, expect, it } from 'vitest';
import { clipFeatures, nearestCentroidReport } from './clip-features.ts';
import { clipSeed, SOUND_CLASSES, synthesizeSound } from './synthesize.ts';

const CLIPS_PER_CLASS = 20;

/**
 * Nearest-centroid accuracy on held-out clips (two folds of ten) from simple spectral and envelope
 * statistics. Chance is 10 %; if these few numbers already separate the classes, the audio encoder
 * trained on the clips has real differences to learn rather than recording artefacts.
 */
function accuracy(mix: boolean): { accuracy: number; confusion: number[][] } {
  const features: Float64Array[] = [];
  const labels: number[] = [];
  for (const [c, label] of SOUND_CLASSES.entries()) {
    for (let k = 0; k < CLIPS_PER_CLASS; k++) {
      const clip = synthesizeSound(label, new Rng(clipSeed(2024, c, k)), { mix });
      features.push(clipFeatures(clip.samples, clip.sampleRate));
      labels.push(c);
    }
  }
  return nearestCentroidReport(features, labels, SOUND_CLASSES.length);
}

function table(confusion: number[][]): string {
  return SOUND_CLASSES.map(
    (label, i) => `${label.padEnd(20)}${(confusion[i] ?? []).map((v) => String(v).padStart(3)).join('')}`,
  ).join('\n');
}

describe('class distinctiveness', () => {
  it('classes alone: a nearest-centroid classifier on held-out clips gets at least 75 %', () => {
    const report = accuracy(false);
    expect(report.accuracy, table(report.confusion)).toBeGreaterThanOrEqual(0.75);
  });

  it('with mixtures and ambient beds: still at least 70 %', () => {
    const report = accuracy(true);
    expect(report.accuracy, table(report.confusion)).toBeGreaterThanOrEqual(0.7);
  });

  it('the classifier is not trivially right: shuffled labels fall to near chance', () => {
    const features: Float64Array[] = [];
    const labels: number[] = [];
    const rng = new Rng(5);
    for (const [c, label] of SOUND_CLASSES.entries()) {
      for (let k = 0; k < 8; k++) {
        features.push(
          clipFeatures(synthesizeSound(label, new Rng(clipSeed(77, c, k)), { durationS: 2 }).samples, 16_000),
        );
        labels.push(Math.floor(rng.next() * SOUND_CLASSES.length));
      }
    }
    expect(nearestCentroidReport(features, labels, SOUND_CLASSES.length).accuracy).toBeLessThan(0.35);
  });
});

describe('clipFeatures', () => {
  it('ignores the overall level and gives the same length at 16 and 44.1 kHz', () => {
    const clip = synthesizeSound('rain', new Rng(1), { durationS: 2 });
    const quiet = clip.samples.map((v) => v * 0.1);
    const a = clipFeatures(clip.samples, 16_000);
    const b = clipFeatures(quiet, 16_000);
    for (let d = 0; d < a.length; d++) expect(b[d]).toBeCloseTo(a[d] as number, 3);
    const hi = synthesizeSound('rain', new Rng(1), { durationS: 2, sampleRate: 44_100 });
    expect(clipFeatures(hi.samples, 44_100).length).toBe(a.length);
  });
});
