/**
 * Zero-shot classification as in CLIP and Wav2CLIP: each class is described by text prompts, the
 * class embedding is the renormalised mean of its L2-normalised prompt embeddings (CLIP's prompt
 * ensembling), and a clip is scored against every class by cosine similarity. No training is
 * involved, so the figures measure how well audio and text embeddings share one space.
 */
import { summariseClassification, type ClassResult } from './classification-metrics.ts';
import { checkEmbeddings, checkLabels, vectorNorm } from './embedding-checks.ts';
import { EvaluationError } from './errors.ts';

/** Templates in the style of CLIP's and Wav2CLIP's prompt sets; `{label}` is replaced by the class name. */
export const DEFAULT_PROMPT_TEMPLATES: readonly string[] = [
  'the sound of {label}',
  'a recording of {label}',
  'an audio clip of {label}',
  'a sound of {label} can be heard',
];

export const DEFAULT_TOP_K: readonly number[] = [1, 5];

export interface ZeroShotInput {
  /** One embedding per clip. */
  audio: readonly Float32Array[];
  /** Class index per clip. */
  labels: readonly number[];
  classNames: readonly string[];
  /** Per class, the text embeddings of its prompts (one or more). */
  classPrompts: readonly (readonly Float32Array[])[];
  /** Which top-k accuracies to report; default [1, 5]. Each k above the class count is clipped to it. */
  topK?: readonly number[];
}

export interface ZeroShotReport {
  samples: number;
  classes: string[];
  /** Accuracy by the k actually used (after clipping): share of clips whose class ranks in the top k. */
  topK: Record<number, number>;
  /** What ranking the classes at random would score for each reported k: k / classes. */
  chance: Record<number, number>;
  /** Requested k values larger than the class count, and the k they were reported as. */
  clippedTopK: Array<{ requested: number; used: number }>;
  /** Mean top-1 recall over classes with clips. */
  balancedAccuracy: number;
  /** Share of the most common class, the score of always guessing it. */
  majorityBaseline: number;
  perClass: ClassResult[];
  /** confusion[true][predicted] counts of top-1 predictions. */
  confusion: number[][];
  /** Top-1 class index per clip. */
  predictions: number[];
}

/** The prompts for one class: every template with `{label}` replaced by the label as given. */
export function promptsFor(label: string, templates: readonly string[] = DEFAULT_PROMPT_TEMPLATES): string[] {
  if (label.trim() === '')
    throw new EvaluationError('INVALID_OPTION', 'cannot build prompts for an empty label', {
      subject: 'label',
    });
  if (templates.length === 0)
    throw new EvaluationError('EMPTY', 'no prompt templates given', { subject: 'templates' });
  return templates.map((template, i) => {
    if (!template.includes('{label}'))
      throw new EvaluationError(
        'INVALID_OPTION',
        `template ${i} ${JSON.stringify(template)} has no {label} placeholder, so every class would get the same prompt`,
        { subject: `templates[${i}]` },
      );
    return template.replaceAll('{label}', label);
  });
}

/**
 * Dataset class names written as words: ESC-50 writes `crying_baby`, and a text encoder trained on
 * captions has rarely seen underscores between words.
 */
export function spokenLabel(label: string): string {
  return label.replace(/[_]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * CLIP's prompt ensembling: normalise each prompt embedding, average, normalise again. Averaging
 * unit vectors keeps one long prompt vector from dominating the class direction.
 */
export function ensemblePromptEmbeddings(prompts: readonly Float32Array[], name = 'prompts'): Float32Array {
  const dim = checkEmbeddings(prompts, name);
  const sum = new Float64Array(dim);
  prompts.forEach((p, i) => {
    const norm = vectorNorm(p);
    if (norm === 0)
      throw new EvaluationError('ZERO_VECTOR', `${name}[${i}] has norm 0 and no direction`, {
        subject: `${name}[${i}]`,
      });
    for (let j = 0; j < dim; j++) sum[j] = (sum[j] as number) + (p[j] as number) / norm;
  });
  const norm = vectorNorm(sum);
  if (norm < 1e-9 * prompts.length)
    throw new EvaluationError(
      'ZERO_VECTOR',
      `the prompts of ${name} cancel out: their normalised mean has norm ${norm}`,
      { subject: name },
    );
  return Float32Array.from(sum, (v) => v / norm);
}

export function zeroShotClassify(input: ZeroShotInput): ZeroShotReport {
  const { audio, labels, classNames, classPrompts } = input;
  const c = classNames.length;
  if (c === 0) throw new EvaluationError('EMPTY', 'classNames is empty', { subject: 'classNames' });
  if (classPrompts.length !== c)
    throw new EvaluationError(
      'LENGTH_MISMATCH',
      `classPrompts has ${classPrompts.length} entries for ${c} class names`,
      { subject: 'classPrompts' },
    );
  const dim = checkEmbeddings(audio, 'audio');
  checkLabels(labels, audio.length, c);
  const classVectors = classPrompts.map((prompts, k) => {
    const name = `classPrompts[${k}]`;
    if (prompts.length === 0)
      throw new EvaluationError(
        'EMPTY',
        `${name} (${JSON.stringify(classNames[k])}) has no prompt embeddings`,
        {
          subject: name,
        },
      );
    checkEmbeddings(prompts, name, dim);
    return ensemblePromptEmbeddings(prompts, name);
  });
  const { used, clipped } = resolveTopK(input.topK ?? DEFAULT_TOP_K, c);

  const predictions: number[] = [];
  const hits = new Array<number>(used.length).fill(0);
  const scores = new Float64Array(c);
  audio.forEach((a, i) => {
    const norm = vectorNorm(a);
    if (norm === 0)
      throw new EvaluationError(
        'ZERO_VECTOR',
        `audio[${i}] has norm 0, so its cosine to every class is undefined`,
        {
          subject: `audio[${i}]`,
        },
      );
    let best = 0;
    for (let k = 0; k < c; k++) {
      const v = classVectors[k] as Float32Array;
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += (a[j] as number) * (v[j] as number);
      scores[k] = dot / norm;
      if ((scores[k] as number) > (scores[best] as number)) best = k;
    }
    predictions.push(best);
    const rank = rankOf(scores, labels[i] as number);
    used.forEach((k, t) => {
      if (rank < k) hits[t] = (hits[t] as number) + 1;
    });
  });

  const summary = summariseClassification(labels, predictions, classNames);
  const topK: Record<number, number> = {};
  const chance: Record<number, number> = {};
  used.forEach((k, t) => {
    topK[k] = (hits[t] as number) / audio.length;
    chance[k] = k / c;
  });
  return {
    samples: audio.length,
    classes: [...classNames],
    topK,
    chance,
    clippedTopK: clipped,
    balancedAccuracy: summary.balancedAccuracy,
    majorityBaseline: summary.majorityBaseline,
    perClass: summary.perClass,
    confusion: summary.confusion,
    predictions,
  };
}

/**
 * 0-based rank of the true class. Ties go to the lower class index, the same rule that picks the
 * top-1 prediction, so top-1 accuracy and the confusion matrix's diagonal always agree.
 */
function rankOf(scores: Float64Array, label: number): number {
  const s = scores[label] as number;
  let rank = 0;
  for (let k = 0; k < scores.length; k++) {
    const other = scores[k] as number;
    if (other > s || (other === s && k < label)) rank++;
  }
  return rank;
}

function resolveTopK(
  requested: readonly number[],
  classes: number,
): { used: number[]; clipped: Array<{ requested: number; used: number }> } {
  if (requested.length === 0)
    throw new EvaluationError('INVALID_OPTION', 'topK is empty: name at least one k', { subject: 'topK' });
  const clipped: Array<{ requested: number; used: number }> = [];
  const used = new Set<number>();
  for (const k of requested) {
    if (!Number.isInteger(k) || k < 1)
      throw new EvaluationError('INVALID_OPTION', `top-k must be a positive integer, got ${k}`, {
        subject: 'topK',
      });
    if (k > classes) clipped.push({ requested: k, used: classes });
    used.add(Math.min(k, classes));
  }
  return { used: [...used].sort((a, b) => a - b), clipped };
}
