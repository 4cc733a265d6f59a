/**
 * Evaluation reports for people and for files: aligned plain-text tables for the CLI, and plain
 * objects that JSON.stringify writes without loss (no NaN, no typed arrays, no functions).
 */
import type { ClassResult } from './classification-metrics.ts';
import type { LinearProbeReport } from './linear-probe.ts';
import type { ZeroShotReport } from './zero-shot.ts';

export type ColumnAlign = 'left' | 'right';

/**
 * Columns padded to their widest cell, separated by two spaces, with a dashed rule under the header.
 * Numbers read best right-aligned, names left-aligned; `align` defaults to left for every column.
 */
export function formatAlignedTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ColumnAlign[] = [],
): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    widths
      .map((w, c) => {
        const cell = cells[c] ?? '';
        return align[c] === 'right' ? cell.padStart(w) : cell.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A share as a percentage with two decimals: 0.8725 -> "87.25%". */
export function formatPercent(share: number | null): string {
  return share === null || !Number.isFinite(share) ? '-' : `${(100 * share).toFixed(2)}%`;
}

export function formatZeroShotTable(report: ZeroShotReport): string {
  const ks = Object.keys(report.topK)
    .map(Number)
    .sort((a, b) => a - b);
  const summary = formatAlignedTable(
    ['metric', 'accuracy', 'chance'],
    [
      ...ks.map((k) => [
        `top-${k}`,
        formatPercent(report.topK[k] ?? null),
        formatPercent(report.chance[k] ?? null),
      ]),
      ['balanced top-1', formatPercent(report.balancedAccuracy), formatPercent(1 / report.classes.length)],
      ['majority class', formatPercent(report.majorityBaseline), ''],
    ],
    ['left', 'right', 'right'],
  );
  const notes = report.clippedTopK.map(
    (c) => `note: top-${c.requested} reported as top-${c.used} (only ${report.classes.length} classes)`,
  );
  return [
    `zero-shot classification: ${report.samples} clips, ${report.classes.length} classes`,
    '',
    summary,
    ...(notes.length > 0 ? ['', ...notes] : []),
    '',
    perClassTable(report.perClass),
  ].join('\n');
}

export function formatLinearProbeTable(report: LinearProbeReport): string {
  const folds = formatAlignedTable(
    ['fold', 'train', 'test', 'l2', 'accuracy', 'iterations', 'converged'],
    report.folds.map((f) => [
      f.fold === undefined ? String(f.index + 1) : String(f.fold),
      String(f.trainSize),
      String(f.testSize),
      formatL2(f.l2),
      formatPercent(f.accuracy),
      String(f.iterations),
      f.converged ? 'yes' : 'no',
    ]),
    ['right', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
  const how =
    report.selection === 'fixed'
      ? `l2 ${formatL2(report.l2Grid[0] ?? NaN)}`
      : `l2 chosen per fold by inner validation from {${report.l2Grid.map(formatL2).join(', ')}}`;
  return [
    `linear probe: ${report.samples} samples, ${report.classes.length} classes, ${report.folds.length} folds (${report.strategy}), ${how}`,
    '',
    folds,
    '',
    `accuracy ${formatPercent(report.meanAccuracy)} ± ${formatPercent(report.stdAccuracy)} (mean ± std over folds); ` +
      `pooled ${formatPercent(report.pooledAccuracy)}, balanced ${formatPercent(report.balancedAccuracy)}, ` +
      `chance ${formatPercent(report.chance)}, majority class ${formatPercent(report.majorityBaseline)}`,
    '',
    perClassTable(report.perClass),
  ].join('\n');
}

export interface ZeroShotReportJson {
  kind: 'zero-shot';
  samples: number;
  classes: string[];
  /** Keyed "top1", "top5", ... */
  topK: Record<string, number>;
  chance: Record<string, number>;
  clippedTopK: Array<{ requested: number; used: number }>;
  balancedAccuracy: number;
  majorityBaseline: number;
  perClass: ClassResult[];
  confusion: number[][];
  predictions: number[];
}

export function zeroShotReportJson(report: ZeroShotReport): ZeroShotReportJson {
  const keyed = (values: Record<number, number>): Record<string, number> =>
    Object.fromEntries(
      Object.entries(values)
        .sort((a, b) => Number(a[0]) - Number(b[0]))
        .map(([k, v]) => [`top${k}`, v]),
    );
  return {
    kind: 'zero-shot',
    samples: report.samples,
    classes: [...report.classes],
    topK: keyed(report.topK),
    chance: keyed(report.chance),
    clippedTopK: report.clippedTopK.map((c) => ({ ...c })),
    balancedAccuracy: report.balancedAccuracy,
    majorityBaseline: report.majorityBaseline,
    perClass: report.perClass.map((p) => ({ ...p })),
    confusion: report.confusion.map((r) => [...r]),
    predictions: [...report.predictions],
  };
}

export type LinearProbeReportJson = { kind: 'linear-probe' } & LinearProbeReport;

export function linearProbeReportJson(report: LinearProbeReport): LinearProbeReportJson {
  return {
    kind: 'linear-probe',
    ...report,
    classes: [...report.classes],
    l2Grid: [...report.l2Grid],
    folds: report.folds.map((f) => ({
      ...f,
      ...(f.l2Search === undefined ? {} : { l2Search: f.l2Search.map((t) => ({ ...t })) }),
    })),
    perClass: report.perClass.map((p) => ({ ...p })),
    confusion: report.confusion.map((r) => [...r]),
    predictions: [...report.predictions],
  };
}

function perClassTable(perClass: readonly ClassResult[]): string {
  return formatAlignedTable(
    ['class', 'support', 'predicted', 'top-1', 'precision'],
    perClass.map((p) => [
      p.name,
      String(p.support),
      String(p.predicted),
      formatPercent(p.top1),
      formatPercent(p.precision),
    ]),
    ['left', 'right', 'right', 'right', 'right'],
  );
}

function formatL2(l2: number): string {
  return Number(l2.toPrecision(3)).toExponential().replace('e+', 'e');
}
