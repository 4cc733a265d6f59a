export {
  BaseOptimizer,
  decodeFloat32,
  encodeFloat32,
  GradientMismatchError,
  NonFiniteGradientError,
  OptimizerConfigError,
  OptimizerStateError,
  STATE_FORMAT,
  STATE_VERSION,
  type EncodedFloat32Array,
  type HyperValue,
  type Optimizer,
  type OptimizerKind,
  type OptimizerState,
  type ParamMap,
  type ParamSlot,
  type ParamSlotState,
} from './optimizer.ts';
export { SGD, type SgdHyper, type SgdOptions } from './sgd.ts';
export { Adam, AdamW, type AdamHyper, type AdamOptions } from './adam.ts';
export {
  constantLr,
  cosineAnnealingLr,
  cyclicCosineLr,
  linearWarmup,
  styleClipLr,
  type LrSchedule,
} from './schedules.ts';
