import type { ContrastiveTerm } from './infonce.ts';

/** Validation figures of the encoder at one step (inference mode: running BatchNorm statistics). */
export interface ValidationMetrics {
  step: number;
  clips: number;
  /** Mean cosine between a clip's embedding and its own caption's (with a text encoder). */
  captionCosine?: number;
  /** Zero-shot classification against class prompts (with labels and a text encoder). */
  zeroShotTop1?: number;
  zeroShotTop5?: number;
  /** Chance level of top-1 for this class count. */
  chanceTop1?: number;
}

export interface StepMetrics {
  step: number;
  epoch: number;
  lr: number;
  loss: number;
  /** Unweighted symmetric InfoNCE per active term. */
  terms: Partial<Record<ContrastiveTerm, number>>;
  /** In-batch top-1 retrieval, audio -> partner, per active term. */
  accuracy: Partial<Record<ContrastiveTerm, number>>;
  logitScale: number;
  /** Clips per second over this step (data assembly, network and optimiser together). */
  samplesPerSecond: number;
  elapsedS: number;
}

export type TrainingEvent =
  | { type: 'prepare'; stage: 'clips' | 'text' | 'image'; done: number; total: number }
  | {
      type: 'start';
      fromStep: number;
      totalSteps: number;
      stepsPerEpoch: number;
      trainableValues: number;
      resumedFrom?: string;
    }
  | ({ type: 'step'; totalSteps: number } & StepMetrics)
  | ({ type: 'validation' } & ValidationMetrics)
  | { type: 'checkpoint'; step: number; path: string }
  | { type: 'done'; step: number; exportDir: string; stopped: boolean };
