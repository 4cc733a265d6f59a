import { DataType, type GraphBuilder } from '@soundedit/models';
import { TrainingError } from './errors.ts';

/**
 * The paper's contrastive objective as ONNX graph nodes:
 * L = w_av InfoNCE(a<->v) + w_at InfoNCE(a<->t) + w_aa InfoNCE(a<->a'),
 * each term CLIP's symmetric cross-entropy of a scaled cosine-similarity matrix against its diagonal.
 */

export interface L2NormalizeOptions {
  /** Default -1 (the embedding axis). */
  axis?: number;
  /** Lower bound on the norm, as torch.nn.functional.normalize. Default 1e-12. */
  eps?: number;
}

/** x / max(||x||_2, eps) along `axis`. */
export function l2Normalize(b: GraphBuilder, x: string, options: L2NormalizeOptions = {}): string {
  const axis = options.axis ?? -1;
  const eps = options.eps ?? 1e-12;
  if (!Number.isFinite(eps) || eps <= 0 || Math.fround(eps * eps) === 0) {
    throw new TrainingError(
      'BAD_EPSILON',
      `l2Normalize eps must be a finite positive number whose square is a non-zero float32 (>= 1e-19), got ${eps}`,
      { subject: 'eps' },
    );
  }
  const squared = b.op('ReduceSumSquare', [x], { axes: [axis], keepdims: 1 });
  // The floor goes on the squared norm, before Sqrt: flooring after Sqrt would still differentiate
  // sqrt at 0 for an all-zero row, and 0 * inf = NaN would poison the whole gradient.
  const norm = b.op('Sqrt', [b.op('Max', [squared, b.scalarF(eps * eps)])]);
  return b.op('Div', [x, norm]);
}

/** How logits are scaled: sim / temperature. */
export type Temperature =
  /** A constant temperature tau (logit scale 1 / tau). */
  | { kind: 'fixed'; value: number }
  /**
   * CLIP's learnable logit scale exp(s), with s initialised to log(1 / init) (CLIP: init 0.07) and
   * the scale clamped to at most `maxScale` (default 100, as CLIP). Past the clamp the parameter
   * gets no gradient, which is what CLIP's in-place clamp amounts to.
   */
  | { kind: 'learnable'; init: number; maxScale?: number; name?: string };

export type ContrastiveTerm = 'audioImage' | 'audioText' | 'audioAudio';

export const CONTRASTIVE_TERMS: readonly ContrastiveTerm[] = ['audioImage', 'audioText', 'audioAudio'];

export interface ContrastiveLossOptions {
  /** L2-normalised audio embeddings a, [B, D]. */
  audio: string;
  /** L2-normalised image embeddings v, [B, D]; omitted switches the a<->v term off. */
  image?: string;
  /** L2-normalised text embeddings t, [B, D]; omitted switches the a<->t term off. */
  text?: string;
  /** L2-normalised embeddings a' of an augmented (SpecAugment) view of the audio, [B, D]. */
  audioAug?: string;
  temperature: Temperature;
  /** Per-term weights (default 1); 0 switches a term off. */
  weights?: Partial<Record<ContrastiveTerm, number>>;
  /** Also emit top-1 retrieval accuracy per active term, both directions (not differentiable). */
  accuracy?: boolean;
}

export interface RetrievalAccuracy {
  /** Audio -> other: the fraction of rows whose best match is their own pair. */
  forward: string;
  /** Other -> audio. */
  backward: string;
}

export interface ContrastiveLossResult {
  /** Scalar weighted sum of the active terms. */
  loss: string;
  /** Scalar unweighted symmetric InfoNCE per active term, for logging. */
  terms: Partial<Record<ContrastiveTerm, string>>;
  /** Scalar logit scale applied to the cosine similarities (1 / temperature). */
  logitScale: string;
  /** The initializer holding s (logit scale = exp(s)) when the temperature is learnable: train it as a param. */
  temperatureParam?: string;
  accuracy?: Partial<Record<ContrastiveTerm, RetrievalAccuracy>>;
}

export function contrastiveLoss(b: GraphBuilder, options: ContrastiveLossOptions): ContrastiveLossResult {
  const others: Record<ContrastiveTerm, string | undefined> = {
    audioImage: options.image,
    audioText: options.text,
    audioAudio: options.audioAug,
  };
  const active: { term: ContrastiveTerm; other: string; weight: number }[] = [];
  for (const term of CONTRASTIVE_TERMS) {
    const weight = options.weights?.[term] ?? 1;
    if (!Number.isFinite(weight) || weight < 0) {
      throw new TrainingError('BAD_WEIGHT', `weight of ${term} must be finite and >= 0, got ${weight}`, {
        subject: term,
      });
    }
    const other = others[term];
    if (other !== undefined && weight > 0) active.push({ term, other, weight });
  }
  if (active.length === 0) {
    throw new TrainingError(
      'NO_TERMS',
      'contrastive loss has no active term: give image, text or audioAug embeddings with a weight above 0',
    );
  }

  return b.scope('contrastive', () => {
    const { scale, param } = logitScale(b, options.temperature);
    const terms: Partial<Record<ContrastiveTerm, string>> = {};
    const accuracy: Partial<Record<ContrastiveTerm, RetrievalAccuracy>> = {};
    const weighted: string[] = [];
    for (const { term, other, weight } of active) {
      b.scope(term, () => {
        const sim = b.op('MatMul', [options.audio, b.op('Transpose', [other], { perm: [1, 0] })]);
        const loss = symmetricCrossEntropy(b, b.op('Mul', [sim, scale]));
        terms[term] = loss;
        weighted.push(weight === 1 ? loss : b.op('Mul', [loss, b.scalarF(weight)]));
        if (options.accuracy) {
          accuracy[term] = { forward: top1Accuracy(b, sim, 1), backward: top1Accuracy(b, sim, 0) };
        }
      });
    }
    const loss = weighted.length === 1 ? weighted[0]! : b.op('Sum', weighted);
    const result: ContrastiveLossResult = { loss, terms, logitScale: scale };
    if (param !== undefined) result.temperatureParam = param;
    if (options.accuracy) result.accuracy = accuracy;
    return result;
  });
}

function logitScale(b: GraphBuilder, temperature: Temperature): { scale: string; param?: string } {
  const positive = (what: string, x: number) => {
    if (!Number.isFinite(x) || x <= 0) {
      throw new TrainingError('BAD_TEMPERATURE', `${what} must be a finite positive number, got ${x}`, {
        subject: what,
      });
    }
  };
  if (temperature.kind === 'fixed') {
    positive('temperature.value', temperature.value);
    return { scale: b.scalarF(1 / temperature.value) };
  }
  positive('temperature.init', temperature.init);
  const maxScale = temperature.maxScale ?? 100;
  positive('temperature.maxScale', maxScale);
  if (1 / temperature.init > maxScale) {
    throw new TrainingError(
      'BAD_TEMPERATURE',
      `initial logit scale 1/${temperature.init} = ${1 / temperature.init} is above maxScale ${maxScale}: the clamp would freeze it from the start`,
      { subject: 'temperature.init' },
    );
  }
  // Learning log-scale keeps the scale positive and makes steps relative, as CLIP does.
  const param = b.param(temperature.name ?? 'logit_scale', [], {
    kind: 'constant',
    value: Math.log(1 / temperature.init),
  });
  const scale = b.op('Min', [b.op('Exp', [param]), b.scalarF(maxScale)]);
  return { scale, param };
}

/**
 * Mean of the two cross-entropies of `logits` [B, B] against the diagonal: rows (audio retrieves
 * the other modality) and columns (the other modality retrieves audio). LogSoftmax subtracts the
 * running max, so large scales cannot overflow.
 */
function symmetricCrossEntropy(b: GraphBuilder, logits: string): string {
  const rows = b.op('LogSoftmax', [logits], { axis: 1 });
  const cols = b.op('LogSoftmax', [logits], { axis: 0 });
  // EyeLike takes B from the run-time shape, so one graph serves every batch size.
  const eye = b.op('EyeLike', [logits]);
  const diagonal = b.op('ReduceSum', [b.op('Mul', [b.op('Add', [rows, cols]), eye]), b.constI64([1])], {
    keepdims: 0,
  });
  return b.op('Mul', [b.op('ReduceMean', [diagonal], { axes: [0], keepdims: 0 }), b.scalarF(-0.5)]);
}

/** Fraction of positions along the other axis whose argmax over `axis` is their own index. */
function top1Accuracy(b: GraphBuilder, sim: string, axis: 0 | 1): string {
  const best = b.op('ArgMax', [sim], { axis, keepdims: 0 });
  const count = b.op('Gather', [b.op('Shape', [sim]), b.constI64([axis], [])]);
  const labels = b.op('Range', [b.constI64([0], []), count, b.constI64([1], [])]);
  const hits = b.op('Cast', [b.op('Equal', [best, labels])], { to: DataType.FLOAT });
  return b.op('ReduceMean', [hits], { axes: [0], keepdims: 0 });
}
