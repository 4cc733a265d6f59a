import { describe, expect, it } from 'vitest';
import { linearProbe } from './linear-probe.ts';
import {
  formatAlignedTable,
  formatLinearProbeTable,
  formatPercent,
  formatZeroShotTable,
  linearProbeReportJson,
  zeroShotReportJson,
} from './report-table.ts';
import { gaussianClusters } from './test-fixtures.ts';
import { zeroShotClassify } from './zero-shot.ts';

const f32 = (...v: number[]): Float32Array => Float32Array.from(v);

function smallZeroShot(): ReturnType<typeof zeroShotClassify> {
  return zeroShotClassify({
    audio: [f32(1, 0.1, 0), f32(0.2, 1, 0), f32(0, 1, 0)],
    labels: [0, 0, 1],
    classNames: ['dog bark', 'rain', 'silence'],
    classPrompts: [[f32(2, 0, 0)], [f32(0, 5, 0)], [f32(0, 0, 1)]],
  });
}

describe('formatAlignedTable', () => {
  it('pads columns to their widest cell, right-aligning where asked', () => {
    const text = formatAlignedTable(
      ['name', 'n'],
      [
        ['a', '1'],
        ['long name', '100'],
      ],
      ['left', 'right'],
    );
    expect(text.split('\n')).toEqual([
      'name         n',
      '---------  ---',
      'a            1',
      'long name  100',
    ]);
  });

  it('formats shares as percentages, and missing values as a dash', () => {
    expect(formatPercent(0.8725)).toBe('87.25%');
    expect(formatPercent(1)).toBe('100.00%');
    expect(formatPercent(null)).toBe('-');
    expect(formatPercent(NaN)).toBe('-');
  });
});

describe('zero-shot report output', () => {
  it('lists top-k with chance, notes clipped k, and every class', () => {
    const text = formatZeroShotTable(smallZeroShot());
    expect(text).toContain('zero-shot classification: 3 clips, 3 classes');
    expect(text).toMatch(/top-1\s+66\.67%\s+33\.33%/);
    expect(text).toMatch(/top-3\s+100\.00%\s+100\.00%/);
    expect(text).toContain('note: top-5 reported as top-3 (only 3 classes)');
    expect(text).toMatch(/dog bark\s+2\s+1\s+50\.00%\s+100\.00%/);
    expect(text).toMatch(/silence\s+0\s+0\s+-\s+-/);
  });

  it('gives a JSON object that survives a round trip unchanged', () => {
    const json = zeroShotReportJson(smallZeroShot());
    expect(json.kind).toBe('zero-shot');
    expect(json.topK).toEqual({ top1: 2 / 3, top3: 1 });
    expect(json.chance).toEqual({ top1: 1 / 3, top3: 1 });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('linear probe report output', () => {
  const { x, y } = gaussianClusters(3, 3, 10, 4);
  const report = linearProbe(x, y, ['a', 'b', 'c'], { l2: [1e-2, 1], folds: 2 });

  it('has one row per fold and the mean ± std line', () => {
    const text = formatLinearProbeTable(report);
    expect(text).toContain('linear probe: 30 samples, 3 classes, 2 folds (stratified)');
    expect(text).toContain('l2 chosen per fold by inner validation from {1e-2, 1e0}');
    const lines = text.split('\n');
    const header = lines.findIndex((l) => l.startsWith('fold'));
    expect(lines[header + 2]).toMatch(/^ +1 +15 +15 +1e[-0-9]+ +\d+\.\d\d% +\d+ +(yes|no)$/);
    expect(text).toMatch(/accuracy \d+\.\d\d% ± \d+\.\d\d% \(mean ± std over folds\)/);
  });

  it('gives a JSON object that survives a round trip unchanged', () => {
    const json = linearProbeReportJson(report);
    expect(json.kind).toBe('linear-probe');
    expect(json.folds[0]?.l2Search).toHaveLength(2);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
