import {
  Adam,
  compileGradientProgram,
  styleClipLr,
  type GradientProgram,
  type HostTensor,
  type SessionOptions,
} from '@soundedit/models';
import { buildEditGraph, EDIT_INPUTS, type EditGraph, type EditNetworks } from './edit-graph.ts';
import { EditError } from './errors.ts';
import { validateEditSettings, type EditSettings } from './edit-settings.ts';

export interface EditStep {
  step: number;
  lr: number;
  loss: number;
  cosine: number;
  similarity: number;
  identity?: number;
}

export interface EditProgress extends EditStep {
  totalSteps: number;
  /** The current picture, [3, R, R] in [-1, 1], every `previewEvery` steps. */
  preview?: Float32Array;
}

export interface LatentEditResult {
  /** The edited code, [L * D]. */
  wPlus: Float32Array;
  /** The edited picture, [3, R, R] in [-1, 1]. */
  image: Float32Array;
  sourceImage: Float32Array;
  steps: EditStep[];
  /** Layer weights g at the end (sigmoid of the adaptive logits; 1s for 'l2', 0s for 'off'). */
  layerWeights: number[];
  /** Euclidean change of each W+ layer, ||w_a - w_s||. */
  layerChange: number[];
  /** cos(E_img(G(w_a)), target) at the end, unscaled. */
  finalCosine: number;
  /** cos(R(G(w_s)), R(G(w_a))) at the end, with an identity encoder. */
  identitySimilarity?: number;
  /** Trajectory frames (source first), [3, R, R] each. */
  frames: Float32Array[];
}

/** A compiled edit objective for one pack: build once, run many edits one after another. */
export class LatentEditor {
  private constructor(
    readonly nets: EditNetworks,
    private readonly graph: EditGraph,
    private readonly program: GradientProgram,
  ) {}

  static async create(nets: EditNetworks, session: SessionOptions = {}): Promise<LatentEditor> {
    const graph = buildEditGraph(nets);
    const L = nets.generator.styleLayers;
    const D = nets.generator.styleDim;
    const example: Record<string, HostTensor> = {
      [EDIT_INPUTS.wPlus]: { data: new Float32Array(L * D), dims: [1, L, D] },
      [EDIT_INPUTS.wSource]: { data: new Float32Array(L * D), dims: [1, L, D] },
      [EDIT_INPUTS.mask]: { data: new Float32Array(L).fill(1), dims: [L] },
      [EDIT_INPUTS.target]: { data: unitVector(nets.image.dim), dims: [1, nets.image.dim] },
      [EDIT_INPUTS.guidance]: { data: Float32Array.of(1), dims: [] },
      [EDIT_INPUTS.lambdaSim]: { data: Float32Array.of(0), dims: [] },
    };
    if (nets.identity) {
      example[EDIT_INPUTS.identitySource] = {
        data: unitVector(nets.identity.dim),
        dims: [1, nets.identity.dim],
      };
      example[EDIT_INPUTS.lambdaId] = { data: Float32Array.of(0), dims: [] };
    }
    const fetch = [graph.cosine, graph.similarity, graph.layerChange, graph.image, graph.embedding];
    if (graph.identityLoss) fetch.push(graph.identityLoss);
    const program = await compileGradientProgram(graph.model, {
      loss: graph.loss,
      wrt: [EDIT_INPUTS.wPlus],
      fetch,
      exampleFeeds: example,
      session: { ...session, cache: false },
    });
    return new LatentEditor(nets, graph, program);
  }

  /**
   * Optimises W+ from `wSource` towards `target` (a unit embedding in the pack's space: a sound's,
   * a text's, or a blend) with Adam on the official schedule. Deterministic: no randomness inside.
   */
  async edit(
    wSource: Float32Array,
    target: Float32Array,
    settings: EditSettings,
    options: { signal?: AbortSignal; onProgress?: (p: EditProgress) => void } = {},
  ): Promise<LatentEditResult> {
    const s = validateEditSettings(settings);
    const { generator, image, identity } = this.nets;
    const L = generator.styleLayers;
    const D = generator.styleDim;
    if (wSource.length !== L * D || !wSource.every(Number.isFinite)) {
      throw new EditError(
        'BAD_INPUT',
        `the source code must be ${L} x ${D} finite values, got ${wSource.length}`,
        'wSource',
      );
    }
    const t = normalised(target, image.dim, 'target');
    if (s.lambdaId > 0 && !identity) {
      throw new EditError('MISSING_PART', 'lambdaId > 0 needs a pack with an identity encoder', 'lambdaId');
    }
    const sourceImage = await generator.synthesize(wSource);
    const feeds: Record<string, HostTensor> = {
      [EDIT_INPUTS.wSource]: { data: wSource, dims: [1, L, D] },
      [EDIT_INPUTS.target]: { data: t, dims: [1, image.dim] },
      [EDIT_INPUTS.guidance]: { data: Float32Array.of(s.guidance), dims: [] },
      [EDIT_INPUTS.lambdaSim]: { data: Float32Array.of(s.mask === 'off' ? 0 : s.lambdaSim), dims: [] },
    };
    if (identity) {
      const source = await identity.embedImages([toUnitImage(sourceImage, generator.resolution)]);
      feeds[EDIT_INPUTS.identitySource] = { data: source, dims: [1, identity.dim] };
      feeds[EDIT_INPUTS.lambdaId] = { data: Float32Array.of(s.lambdaId), dims: [] };
    }
    const w = Float32Array.from(wSource);
    const logits = new Float64Array(L).fill(1);
    const weights = () =>
      Float32Array.from(logits, (m) =>
        s.mask === 'adaptive' ? 1 / (1 + Math.exp(-m)) : s.mask === 'l2' ? 1 : 0,
      );
    const optimizer = new Adam({ w_plus: w }, { lr: s.lr });
    const schedule = styleClipLr({ lr: s.lr, totalSteps: s.steps });
    const steps: EditStep[] = [];
    const frames: Float32Array[] = s.previewEvery > 0 ? [sourceImage] : [];
    for (let step = 0; step < s.steps; step++) {
      options.signal?.throwIfAborted();
      const g = weights();
      const result = await this.program.step({
        ...feeds,
        [EDIT_INPUTS.wPlus]: { data: w, dims: [1, L, D] },
        [EDIT_INPUTS.mask]: { data: g, dims: [L] },
      });
      const scalar = (name: string) => Number(result.outputs[name]!.data[0]);
      if (s.mask === 'adaptive') {
        const change = result.outputs[this.graph.layerChange]!.data as Float32Array;
        for (let i = 0; i < L; i++) {
          const l = g[i]! * change[i]!;
          logits[i] = logits[i]! - 0.1 * l * (1 - l);
        }
      }
      const lr = schedule(step);
      const grad = result.grads[EDIT_INPUTS.wPlus]! as Float32Array;
      if (s.space === 'w') shareAcrossLayers(grad, L, D);
      optimizer.step({ w_plus: grad }, lr);
      const record: EditStep = {
        step: step + 1,
        lr,
        loss: result.loss,
        cosine: scalar(this.graph.cosine),
        similarity: scalar(this.graph.similarity),
        ...(this.graph.identityLoss ? { identity: scalar(this.graph.identityLoss) } : {}),
      };
      steps.push(record);
      const preview =
        s.previewEvery > 0 && (step + 1) % s.previewEvery === 0
          ? Float32Array.from(result.outputs[this.graph.image]!.data as Float32Array)
          : undefined;
      if (preview) frames.push(preview);
      options.onProgress?.({ ...record, totalSteps: s.steps, ...(preview ? { preview } : {}) });
    }
    // The last step's outputs are of the code before its update: render the final code once more.
    const finalImage = await generator.synthesize(w);
    const finalEmbedding = await image.embedImages([toUnitImage(finalImage, generator.resolution)]);
    let identitySimilarity: number | undefined;
    if (identity) {
      const r = await identity.embedImages([toUnitImage(finalImage, generator.resolution)]);
      identitySimilarity = dot(r, feeds[EDIT_INPUTS.identitySource]!.data as Float32Array);
    }
    const layerChange = Array.from({ length: L }, (_, i) => {
      let sq = 0;
      for (let d = 0; d < D; d++) sq += (w[i * D + d]! - wSource[i * D + d]!) ** 2;
      return Math.sqrt(sq);
    });
    if (s.previewEvery > 0) frames.push(finalImage);
    return {
      wPlus: w,
      image: finalImage,
      sourceImage,
      steps,
      layerWeights: [...weights()],
      layerChange,
      finalCosine: dot(finalEmbedding, t),
      ...(identitySimilarity !== undefined ? { identitySimilarity } : {}),
      frames,
    };
  }

  async release(): Promise<void> {
    await this.program.release();
  }
}

/** Replaces each layer's gradient by their sum: one shared step for every layer (edits in W). */
function shareAcrossLayers(grad: Float32Array, L: number, D: number): void {
  for (let d = 0; d < D; d++) {
    let sum = 0;
    for (let l = 0; l < L; l++) sum += grad[l * D + d]!;
    for (let l = 0; l < L; l++) grad[l * D + d] = sum;
  }
}

function unitVector(n: number): Float32Array {
  return new Float32Array(n).fill(1 / Math.sqrt(n));
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** A unit copy of an embedding, refusing the wrong size, NaN and the zero vector. */
export function normalised(v: Float32Array, dim: number, what: string): Float32Array {
  if (v.length !== dim || !v.every(Number.isFinite)) {
    throw new EditError('BAD_INPUT', `${what} must be ${dim} finite values, got ${v.length}`, what);
  }
  const n = Math.sqrt(dot(v, v));
  if (n < 1e-12) throw new EditError('BAD_INPUT', `${what} is the zero vector`, what);
  return v.map((x) => x / n);
}

/** A generator picture in [-1, 1] as the image towers take it. */
export function toUnitImage(image: Float32Array, size: number) {
  return { width: size, height: size, data: image.map((v) => Math.min(1, Math.max(0, (v + 1) / 2))) };
}
