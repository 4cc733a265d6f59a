/**
 * The paper's quantitative comparison, in a pack's own world: for every class, edits of many
 * random pictures guided by the class's sounds and by its text, each judged by the pack's attribute
 * probe (did the intended attribute appear, and more than any other?), by how far the code moved
 * (cos(w_s, w_edited), mean and variance over seeds) and, with an identity encoder, by identity
 * similarity. Running the sound edits with plain L2 as well reproduces the masking ablation.
 */
import type { AudioInput } from '../encoders/audio-resnet/embed-audio.ts';
import type { ImageEncoder } from '../encoders/clip-image/image-encoder.ts';
import type { EditEngine } from '../edit/edit-engine.ts';
import type { EditSettings, MaskMode } from '../edit/edit-settings.ts';
import { toUnitImage } from '../edit/latent-edit.ts';
import { EvaluationError } from './errors.ts';
import { formatAlignedTable, formatPercent } from './report-table.ts';

export interface ManipulationClass {
  /** The pack's class (its sound class). */
  name: string;
  /** The probe output this class's edit should raise. */
  attribute: string;
  /** Recordings of the class; seed i takes clip i mod clips.length. */
  clips: readonly AudioInput[];
  /** The text-guided baseline's prompt. */
  text: string;
}

export interface ManipulationMethod {
  label: string;
  guidance: 'audio' | 'text';
  mask: MaskMode;
}

/** Sound-guided edits, their plain-L2 ablation and the text-guided (StyleCLIP-style) baseline. */
export const PAPER_METHODS: readonly ManipulationMethod[] = [
  { label: 'sound', guidance: 'audio', mask: 'adaptive' },
  { label: 'sound, plain L2', guidance: 'audio', mask: 'l2' },
  { label: 'text', guidance: 'text', mask: 'adaptive' },
];

export interface ManipulationOptions {
  engine: EditEngine;
  /** The pack's attribute probe (an ImageEncoder of kind 'probe' whose description names its outputs). */
  probe: ImageEncoder;
  classes: readonly ManipulationClass[];
  /** Source pictures per class: seeds firstSeed .. firstSeed + seeds - 1. */
  seeds: number;
  firstSeed?: number;
  methods?: readonly ManipulationMethod[];
  /** Edit settings over the pack's defaults (mask and previews are set per method). */
  settings?: Partial<EditSettings>;
  /** Probe value the intended attribute must reach for an edit to count as a success. Default 0.25. */
  threshold?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, detail: string) => void;
}

/** One edit, judged. */
export interface ManipulationRecord {
  className: string;
  method: string;
  seed: number;
  /** The intended attribute before and after, by the probe. */
  sourceScore: number;
  editedScore: number;
  /** The class attribute the probe rates highest on the edited picture. */
  strongest: string;
  success: boolean;
  /** cos(w_s, w_edited) over the flattened W+ codes. */
  latentCosine: number;
  /** cos(E_img(G(w_edited)), guidance) at the end. */
  finalCosine: number;
  identitySimilarity?: number;
}

export interface ManipulationSummary {
  /** A class name, or 'all'. */
  className: string;
  method: string;
  edits: number;
  accuracy: number;
  /** Mean rise of the intended attribute. */
  attributeGain: number;
  latentCosineMean: number;
  latentCosineVariance: number;
  finalCosineMean: number;
  identityMean?: number;
}

export interface ManipulationReport {
  pack: string;
  seeds: number;
  firstSeed: number;
  threshold: number;
  settings: EditSettings;
  records: ManipulationRecord[];
  summaries: ManipulationSummary[];
}

export async function evaluateManipulation(o: ManipulationOptions): Promise<ManipulationReport> {
  const methods = o.methods ?? PAPER_METHODS;
  const threshold = o.threshold ?? 0.25;
  const firstSeed = o.firstSeed ?? 0;
  const outputs = o.probe.description.outputs;
  check(
    Number.isInteger(o.seeds) && o.seeds >= 1,
    `seeds must be a whole number >= 1, got ${o.seeds}`,
    'seeds',
  );
  check(
    Number.isSafeInteger(firstSeed) && firstSeed >= 0,
    `firstSeed must be a whole number >= 0, got ${firstSeed}`,
    'firstSeed',
  );
  check(threshold > 0 && threshold < 1, `threshold must be in (0, 1), got ${threshold}`, 'threshold');
  check(
    o.classes.length > 0 && methods.length > 0,
    'nothing to evaluate: no classes or no methods',
    'classes',
  );
  if (!outputs) {
    throw new EvaluationError('INVALID_OPTION', 'the attribute probe does not name its outputs', {
      subject: 'probe',
    });
  }
  const attributeIndex = new Map(outputs.map((name, i) => [name, i]));
  for (const c of o.classes) {
    check(
      attributeIndex.has(c.attribute),
      `class '${c.name}': the probe has no output '${c.attribute}' (it has ${outputs.join(', ')})`,
      c.name,
    );
    check(
      !methods.some((m) => m.guidance === 'audio') || c.clips.length > 0,
      `class '${c.name}' has no clips`,
      c.name,
    );
  }
  const rivals = [...new Set(o.classes.map((c) => c.attribute))];
  const base = o.engine.settingsFor({
    source: { kind: 'seed', seed: 0 },
    guidance: {},
    settings: o.settings ?? {},
  });

  const sourceScores = new Map<number, Float32Array>();
  const sourceCodes = new Map<number, Float32Array>();
  const scores = async (image: Float32Array): Promise<Float32Array> => {
    const size = Math.round(Math.sqrt(image.length / 3));
    return o.probe.embedImages([toUnitImage(image, size)]);
  };
  const records: ManipulationRecord[] = [];
  const total = o.classes.length * o.seeds * methods.length;
  for (const c of o.classes) {
    const at = attributeIndex.get(c.attribute)!;
    for (let k = 0; k < o.seeds; k++) {
      const seed = firstSeed + k;
      let wSource = sourceCodes.get(seed);
      if (!wSource)
        sourceCodes.set(seed, (wSource = (await o.engine.sourceCode({ kind: 'seed', seed })).wPlus));
      for (const method of methods) {
        o.signal?.throwIfAborted();
        const outcome = await o.engine.run(
          {
            source: { kind: 'seed', seed },
            guidance:
              method.guidance === 'audio' ? { audio: c.clips[k % c.clips.length]! } : { text: c.text },
            settings: { ...(o.settings ?? {}), mask: method.mask, previewEvery: 0 },
          },
          o.signal ? { signal: o.signal } : {},
        );
        let before = sourceScores.get(seed);
        if (!before) sourceScores.set(seed, (before = await scores(outcome.sourceImage)));
        const after = await scores(outcome.image);
        const strongest = rivals.reduce((best, a) =>
          after[attributeIndex.get(a)!]! > after[attributeIndex.get(best)!]! ? a : best,
        );
        records.push({
          className: c.name,
          method: method.label,
          seed,
          sourceScore: before[at]!,
          editedScore: after[at]!,
          strongest,
          success: after[at]! >= threshold && strongest === c.attribute,
          latentCosine: cosine(wSource, outcome.wPlus),
          finalCosine: outcome.finalCosine,
          ...(outcome.identitySimilarity !== undefined
            ? { identitySimilarity: outcome.identitySimilarity }
            : {}),
        });
        o.onProgress?.(records.length, total, `${c.name} seed ${seed} ${method.label}`);
      }
    }
  }
  return {
    pack: o.engine.pack.manifest.name,
    seeds: o.seeds,
    firstSeed,
    threshold,
    settings: base,
    records,
    summaries: summarise(
      records,
      o.classes.map((c) => c.name),
      methods,
    ),
  };
}

function check(ok: boolean, message: string, subject: string): void {
  if (!ok) throw new EvaluationError('INVALID_OPTION', message, { subject });
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Per class and method, then over all classes per method. */
export function summarise(
  records: readonly ManipulationRecord[],
  classNames: readonly string[],
  methods: readonly ManipulationMethod[],
): ManipulationSummary[] {
  const one = (className: string, method: string, rs: readonly ManipulationRecord[]): ManipulationSummary => {
    const cos = rs.map((r) => r.latentCosine);
    const m = mean(cos);
    const ids = rs.flatMap((r) => (r.identitySimilarity === undefined ? [] : [r.identitySimilarity]));
    return {
      className,
      method,
      edits: rs.length,
      accuracy: rs.filter((r) => r.success).length / rs.length,
      attributeGain: mean(rs.map((r) => r.editedScore - r.sourceScore)),
      latentCosineMean: m,
      latentCosineVariance: mean(cos.map((v) => (v - m) ** 2)),
      finalCosineMean: mean(rs.map((r) => r.finalCosine)),
      ...(ids.length ? { identityMean: mean(ids) } : {}),
    };
  };
  const out: ManipulationSummary[] = [];
  for (const className of [...classNames, 'all']) {
    for (const { label } of methods) {
      const rs = records.filter(
        (r) => r.method === label && (className === 'all' || r.className === className),
      );
      if (rs.length) out.push(one(className, label, rs));
    }
  }
  return out;
}

export function formatManipulationTable(report: ManipulationReport): string {
  const withIdentity = report.summaries.some((s) => s.identityMean !== undefined);
  const header = [
    'class',
    'method',
    'edits',
    'accuracy',
    'attr gain',
    'cos(w_s,w) mean',
    'cos var',
    'final cos',
    ...(withIdentity ? ['identity'] : []),
  ];
  const rows = report.summaries.map((s) => [
    s.className,
    s.method,
    String(s.edits),
    formatPercent(s.accuracy),
    s.attributeGain.toFixed(3),
    s.latentCosineMean.toFixed(4),
    s.latentCosineVariance.toExponential(2),
    s.finalCosineMean.toFixed(3),
    ...(withIdentity ? [s.identityMean === undefined ? '-' : s.identityMean.toFixed(3)] : []),
  ]);
  const s = report.settings;
  return [
    `manipulation: pack ${report.pack}, seeds ${report.firstSeed}-${report.firstSeed + report.seeds - 1}, ` +
      `${s.steps} steps in ${s.space.toUpperCase()}, lr ${s.lr}, lambda_sim ${s.lambdaSim}, lambda_id ${s.lambdaId}; ` +
      `success = the probe rates the intended attribute >= ${report.threshold} and above every other class's`,
    '',
    formatAlignedTable(header, rows, [
      'left',
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
    ]),
  ].join('\n');
}
