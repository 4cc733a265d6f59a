import { elementCount } from '../../onnx/ir.ts';
import { fillParam, type GraphBuilder, type ParamInit } from '../graph-builder.ts';

/**
 * Joins a module path and a parameter key the way a PyTorch state_dict does, so the initializer
 * names of an authored network are the checkpoint keys an importer maps onto them.
 */
export function key(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

const stateKeys = new WeakMap<GraphBuilder, string[]>();

/**
 * The initializers the layers created under state_dict names (weights and fixed buffers such as
 * FIR kernels or noise), in creation order: what a checkpoint importer fills. Constants the layers
 * use internally (shapes, axes, scalars) are not listed.
 */
export function stateDictKeys(b: GraphBuilder): string[] {
  return [...(stateKeys.get(b) ?? [])];
}

/** A fixed tensor (a registered buffer in PyTorch terms) under an exact state_dict name. */
export function bufferAt(b: GraphBuilder, name: string, dims: number[], data: Float32Array): string {
  b.initializer(name, dims, data);
  let keys = stateKeys.get(b);
  if (!keys) stateKeys.set(b, (keys = []));
  keys.push(name);
  return name;
}

/** A weight under an exact (state_dict) name, filled from the builder's seeded RNG. */
export function paramAt(b: GraphBuilder, name: string, dims: number[], init: ParamInit): string {
  const data = fillParam(b.rng, new Float32Array(elementCount(dims)), init);
  return bufferAt(b, name, dims, data);
}

/** Multiplies by a constant, leaving the tensor alone when the factor is 1. */
export function scaleBy(b: GraphBuilder, x: string, factor: number): string {
  return factor === 1 ? x : b.op('Mul', [x, b.scalarF(factor)]);
}
