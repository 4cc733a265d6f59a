/**
 * A frozen encoder of the shared embedding space (a pack's CLIP text or image tower): keys in, one
 * embedding row each out, [n, dim] row-major. Text encoders take strings; image encoders take file
 * paths. The trainer only ever reads these, so their weights never change during a run.
 */
export interface FrozenEncoder {
  readonly dim: number;
  embed(keys: readonly string[]): Promise<Float32Array>;
}
