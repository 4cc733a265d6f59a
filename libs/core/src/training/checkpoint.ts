import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataType, loadModel, saveModel, type Model, type OptimizerState } from '@soundedit/models';
import { TrainingError } from './errors.ts';

/**
 * A checkpoint is a folder: the inference graphs of what is being trained, with the weights (and
 * running statistics) so far, so any checkpoint is a usable network (`audio-encoder.onnx` for the
 * audio trainer; `image-encoder.onnx` and `text-encoder.onnx` for the image-text trainer), and
 * `trainer-state.json` (what resuming needs besides the weights). It is written under a temporary
 * name and renamed when complete, so a run killed mid-write leaves the previous checkpoint as the latest.
 */
export const CHECKPOINT_STATE = 'trainer-state.json';
export const CHECKPOINT_FORMAT = 'soundedit-trainer-checkpoint';
export const CHECKPOINT_VERSION = 1;
const PREFIX = 'step-';

export interface TrainerState {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  /** Optimiser steps taken. */
  step: number;
  /** The run's fingerprint (run.json); a checkpoint of another run is refused. */
  fingerprint: string;
  /** Values of trained tensors that are not encoder weights (the learnable log logit scale). */
  extra: Record<string, number[]>;
  optimizer: OptimizerState;
}

export interface Checkpoint {
  path: string;
  state: TrainerState;
  /** Every float tensor of every graph in the checkpoint, by state_dict name. */
  weights: Record<string, Float32Array>;
}

/** Copy of `model` with the named initializers' values replaced (shapes must match). */
export function withWeights(model: Model, values: Record<string, Float32Array>): Model {
  const initializers = model.graph.initializers.map((t) => {
    const v = values[t.name];
    if (!v) return t;
    const count = t.dims.reduce((a, d) => a * d, 1);
    if (t.dataType !== DataType.FLOAT || v.length !== count) {
      throw new TrainingError(
        'RUN_MISMATCH',
        `weight '${t.name}' has ${v.length} values, the graph wants ${count}`,
      );
    }
    return { ...t, data: v };
  });
  return { ...model, graph: { ...model.graph, initializers } };
}

export function checkpointName(step: number): string {
  return `${PREFIX}${String(step).padStart(8, '0')}`;
}

/** Saves each graph (file name -> inference graph) with the current weights, plus the trainer state. */
export async function saveCheckpoint(
  dir: string,
  models: Record<string, Model>,
  weights: Record<string, Float32Array>,
  state: TrainerState,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const final = join(dir, checkpointName(state.step));
  const temp = `${final}.partial`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp);
  for (const [file, model] of Object.entries(models))
    await saveModel(join(temp, file), withWeights(model, weights));
  await writeFile(join(temp, CHECKPOINT_STATE), JSON.stringify(state));
  await rm(final, { recursive: true, force: true });
  await rename(temp, final);
  return final;
}

/** Completed checkpoints in `dir`, oldest first. */
export async function listCheckpoints(dir: string): Promise<{ step: number; path: string }[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names
    .filter((n) => /^step-\d{8}$/.test(n))
    .map((n) => ({ step: Number(n.slice(PREFIX.length)), path: join(dir, n) }))
    .sort((a, b) => a.step - b.step);
}

export async function loadCheckpoint(path: string, fingerprint: string): Promise<Checkpoint> {
  let state: TrainerState;
  try {
    state = JSON.parse(await readFile(join(path, CHECKPOINT_STATE), 'utf8')) as TrainerState;
  } catch (cause) {
    throw new TrainingError(
      'RUN_MISMATCH',
      `checkpoint ${path} has no readable ${CHECKPOINT_STATE}: ${String(cause)}`,
    );
  }
  if (state.format !== CHECKPOINT_FORMAT || state.version !== CHECKPOINT_VERSION) {
    throw new TrainingError(
      'RUN_MISMATCH',
      `checkpoint ${path} is not a version-${CHECKPOINT_VERSION} soundedit trainer checkpoint`,
    );
  }
  if (state.fingerprint !== fingerprint) {
    throw new TrainingError(
      'RUN_MISMATCH',
      `checkpoint ${path} belongs to a run with other settings or data (fingerprint ${state.fingerprint}, this run ${fingerprint}); use a new run folder`,
    );
  }
  const weights: Record<string, Float32Array> = {};
  for (const file of (await readdir(path)).filter((f) => f.endsWith('.onnx')).sort()) {
    const model = await loadModel(join(path, file));
    for (const t of model.graph.initializers) {
      if (t.dataType === DataType.FLOAT) weights[t.name] = Float32Array.from(t.data as Float32Array);
    }
  }
  return { path, state, weights };
}

/** Removes all but the newest `keep` checkpoints. */
export async function pruneCheckpoints(dir: string, keep: number): Promise<void> {
  const all = await listCheckpoints(dir);
  for (const old of all.slice(0, Math.max(0, all.length - keep))) {
    await rm(old.path, { recursive: true, force: true });
  }
}
