export * from './onnx/ir.ts';
export { OnnxModelError, type OnnxErrorCode } from './onnx/errors.ts';
export { decodeModel } from './onnx/decode.ts';
export { encodeModel, type EncodeOptions, type EncodedModel } from './onnx/encode.ts';
export { loadModel, saveModel, loadExternalData } from './onnx/model-file.ts';
export { GraphBuilder, type ParamInit } from './builder/graph-builder.ts';
export { float, floats, tensorAttr, type AttrInput } from './builder/attributes.ts';
export { Rng } from './builder/rng.ts';
export {
  buildGradientGraph,
  gradName,
  type GradientGraph,
  type GradientRequest,
} from './autodiff/backward.ts';
export { NoGradientRuleError, GradArityError, GradientSpecError } from './autodiff/errors.ts';
export type { GradContext, GradRule, GradRuleTable } from './autodiff/grad-context.ts';
export { GRAD_RULES } from './autodiff/rules/index.ts';
export type { ShapeTable } from './autodiff/shape-table.ts';
export {
  createSession,
  clearSessionCache,
  Session,
  RuntimeError,
  type SessionOptions,
} from './runtime/session.ts';
export {
  DEVICES,
  parseDevice,
  runtimeConfigFromEnv,
  DeviceConfigError,
  type Device,
} from './runtime/device.ts';
export { f32, i64, scalarValue, type HostTensor, type HostData } from './runtime/host-tensor.ts';
export * from './optim/index.ts';
export { probeShapes } from './runtime/probe-shapes.ts';
export {
  compileGradientProgram,
  liftParams,
  GradientProgram,
  type GradientProgramSpec,
  type StepResult,
} from './runtime/gradient-program.ts';
export { validateModel, SUPPORTED_OPSETS } from './onnx/validate.ts';
export {
  toTrainModeBatchNorm,
  updateRunningStats,
  BatchNormTransformError,
  type BatchNormTransformErrorCode,
  type BatchNormStatsLink,
  type TrainModeBatchNorm,
  type TrainModeBatchNormOptions,
} from './transforms/train-mode-batch-norm.ts';
export * from './builder/layers/index.ts';
export {
  PACK_PARTS,
  REQUIRED_PARTS,
  MANIFEST_FILE,
  PACK_FORMAT,
  type PackPart,
  type RequiredPart,
  type PackClass,
  type PackDefaults,
  type PackFileEntry,
  type PackManifest,
} from './pack/manifest.ts';
export { PACK_MANIFEST_SCHEMA } from './pack/manifest-schema.ts';
export { PackError, PACK_ERROR_CODES, type PackErrorCode } from './pack/errors.ts';
export {
  validateManifest,
  loadPack,
  verifyPack,
  describeFiles,
  listFiles,
  sha256File,
  type Pack,
  type PackVerification,
} from './pack/load-pack.ts';
export { packSearchDirs, findPacks, openPack, type FoundPacks } from './pack/find-packs.ts';
export { inlineModel } from './builder/inline-model.ts';
