// Text front end: tokenizers and EDA augmentation.
export { TextError, type TextErrorCode } from './text/errors.ts';
export type { Tokenizer, OverflowPolicy } from './text/tokenizer.ts';
export {
  ClipBpeTokenizer,
  CLIP_SOT,
  CLIP_EOT,
  CLIP_CONTEXT_LENGTH,
  CLIP_MERGE_COUNT,
  type ClipBpeOptions,
} from './text/clip-bpe.ts';
export { clipCleanText, htmlUnescape } from './text/clip-clean.ts';
export {
  WordLevelTokenizer,
  DEFAULT_WORD_SPECIALS,
  type WordLevelOptions,
  type WordLevelSpecials,
} from './text/word-level.ts';
export { bundledThesaurus, MapThesaurus, type Thesaurus, type SynonymFilter } from './text/thesaurus.ts';
export {
  EdaAugmenter,
  synonymReplacement,
  randomInsertion,
  randomSwap,
  randomDeletion,
  type EdaOptions,
  type EdaAmount,
  type EdaResult,
  type EdaChange,
  type EdaOperation,
  type EdaContext,
} from './text/eda.ts';
export { ENGLISH_STOP_WORDS } from './text/stop-words.ts';

// Audio features: downmix, resampling, crop/pad, STFT, mel filterbank, log-mel, SpecAugment.
export {
  FeatureConfigError,
  FeatureInputError,
  type FeatureConfigErrorCode,
  type FeatureInputErrorCode,
} from './audio/features/errors.ts';
export { downmix } from './audio/features/downmix.ts';
export { resample, MIN_SAMPLE_RATE, MAX_SAMPLE_RATE } from './audio/features/resample.ts';
export {
  cropOrPad,
  CROP_POLICIES,
  PAD_POLICIES,
  type CropPolicy,
  type PadPolicy,
  type CropPadConfig,
  type CropPadResult,
} from './audio/features/crop-pad.ts';
export { realFft, type RealFft } from './audio/features/fft.ts';
export {
  powerSpectrogram,
  hannWindow,
  frameCount,
  validateStftConfig,
  PAD_MODES,
  type PadMode,
  type StftConfig,
  type Spectrogram,
} from './audio/features/stft.ts';
export {
  melFilterbank,
  applyMelFilterbank,
  hzToMel,
  melToHz,
  validateMelFilterConfig,
  MEL_SCALES,
  MEL_NORMS,
  type MelScale,
  type MelNorm,
  type MelFilterConfig,
  type MelFilterbank,
} from './audio/features/mel.ts';
export {
  LogMelExtractor,
  logMelSpectrogram,
  powerToDb,
  normaliseDb,
  validateLogMelConfig,
  librosaLogMelDefaults,
  PAPER_LOG_MEL_CONFIG,
  AMIN,
  type LogMelConfig,
  type DbOptions,
} from './audio/features/log-mel.ts';
export {
  specAugment,
  validateSpecAugmentConfig,
  MASK_VALUES,
  type MaskValue,
  type SpecAugmentConfig,
  type SpecMask,
  type SpecAugmentResult,
} from './audio/features/specaugment.ts';

// Audio decoding: every format users send, checked before decoding, in a worker with a timeout.
export { decodeAudio, type DecodedAudio } from './audio/decode/decode.ts';
export {
  AudioDecodeError,
  AUDIO_DECODE_ERROR_CODES,
  isAudioDecodeError,
  type AudioDecodeErrorCode,
} from './audio/decode/errors.ts';
export { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './audio/decode/limits.ts';
export { sniffAudio, type AudioFormat, type SniffResult } from './audio/decode/sniff.ts';
export { closeDecodeWorker } from './audio/decode/decode-thread.ts';
export { findFfmpeg } from './audio/decode/ffmpeg.ts';
export { encodeWav, type WavWriteOptions } from './audio/decode/wav-writer.ts';

// Contrastive training losses.
export {
  contrastiveLoss,
  l2Normalize,
  CONTRASTIVE_TERMS,
  type ContrastiveLossOptions,
  type ContrastiveLossResult,
  type ContrastiveTerm,
  type Temperature,
  type RetrievalAccuracy,
  type L2NormalizeOptions,
} from './training/infonce.ts';
export { TrainingError, type TrainingErrorCode } from './training/errors.ts';

// Audio clips and the ResNet audio encoder.
export {
  prepareClip,
  validateClipConfig,
  type ClipConfig,
  type PlanarAudio,
  type AudioClip,
} from './audio/audio-clip.ts';
export {
  AudioEncoderConfigError,
  AudioEmbedError,
  AUDIO_ENCODER_CONFIG_ERROR_CODES,
  AUDIO_EMBED_ERROR_CODES,
  type AudioEncoderConfigErrorCode,
  type AudioEmbedErrorCode,
} from './encoders/audio-resnet/errors.ts';
export {
  AUDIO_ENCODER_ARCHS,
  defaultAudioEncoderConfig,
  validateAudioEncoderConfig,
  clipSamples,
  inputFrames,
  inputShape,
  clipConfigOf,
  stageWidths,
  DEFAULT_BASE_WIDTH,
  MAX_CLIP_SECONDS,
  type AudioEncoderArch,
  type AudioEncoderConfig,
} from './encoders/audio-resnet/config.ts';
export {
  buildAudioEncoder,
  createAudioEncoderSession,
  audioEncoderLayers,
  AUDIO_ENCODER_INPUT,
  AUDIO_ENCODER_OUTPUT,
  type AudioEncoderGraph,
  type BuildAudioEncoderOptions,
} from './encoders/audio-resnet/model.ts';
export {
  embedAudio,
  AudioEmbedder,
  type AudioInput,
  type AudioEmbedderOptions,
} from './encoders/audio-resnet/embed-audio.ts';

// Datasets from disk: a VGGSound-like CSV, ESC-50, UrbanSound8K, the project's own clips; seeded splits.
export {
  DatasetError,
  DATASET_ERROR_CODES,
  isDatasetError,
  type DatasetErrorCode,
  type DatasetProblem,
  type DatasetLocation,
} from './data/errors.ts';
export type { DatasetItem, LoadedDataset, LoadOptions } from './data/dataset.ts';
export {
  parseCsv,
  parseCsvTable,
  readCsvTable,
  type CsvRecord,
  type CsvRow,
  type CsvTable,
  type CsvParseOptions,
} from './data/csv.ts';
export {
  loadCsvDataset,
  DEFAULT_CSV_COLUMNS,
  type CsvColumns,
  type CsvDatasetOptions,
  type CsvDatasetItem,
} from './data/csv-dataset.ts';
export {
  loadEsc50,
  ESC50_METADATA,
  ESC50_AUDIO_DIR,
  type Esc50Item,
  type Esc50Options,
} from './data/esc50.ts';
export {
  loadUrbanSound8K,
  URBANSOUND8K_METADATA,
  URBANSOUND8K_AUDIO_DIR,
  type UrbanSound8KItem,
} from './data/urbansound8k.ts';
export {
  loadSharedSounds,
  sharedSoundsDir,
  sharedSoundGroup,
  SHARED_SOUNDS_METADATA,
  type SharedSoundItem,
  type SharedSoundSource,
} from './data/shared-sounds.ts';
export {
  splitTrainValidation,
  kFoldSplits,
  chooseSplitStrategy,
  type SplitStrategy,
  type SplitOptions,
  type TrainValidationOptions,
  type TrainValidationSplit,
  type KFoldOptions,
  type FoldSplit,
} from './data/split.ts';

// Contrastive training of the audio encoder: graph, clips, frozen embeddings, checkpoints, the trainer.
export {
  buildContrastiveGraph,
  TRAIN_INPUTS,
  type ContrastiveGraph,
  type ContrastiveGraphOptions,
} from './training/contrastive-graph.ts';
export {
  prepareTrainingClips,
  assembleBatch,
  copyWindow,
  windowStart,
  type TrainingClip,
  type PrepareClipsOptions,
} from './training/training-clips.ts';
export { EmbeddingCache } from './training/frozen-embeddings.ts';
export type { FrozenEncoder } from './encoders/frozen-encoder.ts';
export {
  buildTextEncoder,
  TextEncoder,
  TEXT_ENCODER_INPUT,
  TEXT_ENCODER_OUTPUT,
  TEXT_ENCODER_MODEL,
  TEXT_ENCODER_DESCRIPTION,
  type TextEncoderDescription,
  type TokenizerFiles,
} from './encoders/clip-text/text-encoder.ts';
export { TextEncoderError, type TextEncoderErrorCode } from './encoders/clip-text/errors.ts';
export {
  saveCheckpoint,
  loadCheckpoint,
  listCheckpoints,
  pruneCheckpoints,
  withWeights,
  CHECKPOINT_STATE,
  type Checkpoint,
  type TrainerState,
} from './training/checkpoint.ts';
export {
  exportAudioEncoder,
  loadAudioEncoderFolder,
  EXPORTED_MODEL,
  EXPORTED_DESCRIPTION,
  AUDIO_ENCODER_EXPORT_FORMAT,
  type AudioEncoderDescription,
  type LoadedAudioEncoder,
} from './encoders/audio-resnet/encoder-folder.ts';
export { RUN_FILE, METRICS_FILE, CHECKPOINT_DIR, EXPORT_DIR, runIdentity } from './training/run-folder.ts';
export { mixSeed, permutation } from './training/seeded-order.ts';
export {
  DEFAULT_CAPTION_TEMPLATE,
  resolveRunSettings,
  makeOptimizer,
  makeSchedule,
  type TrainerOptions,
  type RunSettings,
  type OptimizerSettings,
  type ScheduleSettings,
  type TextAugmentSettings,
} from './training/trainer-options.ts';
export type { TrainingEvent, StepMetrics, ValidationMetrics } from './training/training-events.ts';
export { validateEncoder, embedClips } from './training/validation.ts';
export { trainAudioEncoder, type TrainingResult } from './training/trainer.ts';
export { embedDatasetAudio, type EmbeddedDataset } from './evaluation/embed-dataset.ts';

// Evaluation of embeddings: zero-shot classification, linear probe, report tables; VGGSound metadata.
export {
  EvaluationError,
  EVALUATION_ERROR_CODES,
  isEvaluationError,
  type EvaluationErrorCode,
} from './evaluation/errors.ts';
export {
  zeroShotClassify,
  ensemblePromptEmbeddings,
  promptsFor,
  spokenLabel,
  DEFAULT_PROMPT_TEMPLATES,
  DEFAULT_TOP_K,
  type ZeroShotInput,
  type ZeroShotReport,
} from './evaluation/zero-shot.ts';
export {
  summariseClassification,
  type ClassResult,
  type ClassificationSummary,
} from './evaluation/classification-metrics.ts';
export {
  minimizeLbfgs,
  type LbfgsObjective,
  type LbfgsOptions,
  type LbfgsResult,
  type LbfgsStopReason,
} from './evaluation/lbfgs.ts';
export {
  trainSoftmaxRegression,
  fitStandardizer,
  designMatrix,
  softmaxRegressionObjective,
  DEFAULT_SOFTMAX_L2,
  DEFAULT_SOFTMAX_MAX_ITERATIONS,
  DEFAULT_SOFTMAX_TOLERANCE,
  type SoftmaxModel,
  type SoftmaxRegressionOptions,
  type SoftmaxTraining,
  type FeatureStandardizer,
} from './evaluation/softmax-regression.ts';
export {
  linearProbe,
  DEFAULT_L2_GRID,
  type LinearProbeOptions,
  type LinearProbeReport,
  type LinearProbeFold,
  type LinearProbeL2Trial,
} from './evaluation/linear-probe.ts';
export {
  formatAlignedTable,
  formatPercent,
  formatZeroShotTable,
  formatLinearProbeTable,
  zeroShotReportJson,
  linearProbeReportJson,
  type ColumnAlign,
  type ZeroShotReportJson,
  type LinearProbeReportJson,
} from './evaluation/report-table.ts';
export {
  evaluateManipulation,
  formatManipulationTable,
  PAPER_METHODS,
  summarise as summariseManipulation,
  type ManipulationClass,
  type ManipulationMethod,
  type ManipulationOptions,
  type ManipulationRecord,
  type ManipulationReport,
  type ManipulationSummary,
} from './evaluation/manipulation.ts';
export { formatCsv, formatCsvField } from './data/csv-writer.ts';
export {
  loadVggSound,
  vggSoundToCsv,
  vggSoundClipStem,
  VGGSOUND_SPLITS,
  VGGSOUND_CLIP_EXTENSION,
  VGGSOUND_AUDIO_EXTENSIONS,
  type VggSoundItem,
  type VggSoundSplit,
  type VggSoundOptions,
  type VggSoundToCsvOptions,
  type VggSoundCsvResult,
} from './data/vggsound.ts';

// Images: PNG/JPEG decoding with limits, PIL-compatible bicubic resizing; CLIP's image tower as a frozen encoder.
export {
  decodeImage,
  sniffImage,
  DEFAULT_IMAGE_LIMITS,
  type ImageLimits,
  type ImageFormat,
} from './images/decode-image.ts';
export { ImageDecodeError, IMAGE_DECODE_ERROR_CODES, type ImageDecodeErrorCode } from './images/errors.ts';
export { resizeBicubic, centerCrop, resizeShorterAndCrop } from './images/resize.ts';
export { rgbaToPlanar, type RgbImage } from './images/rgb-image.ts';
export {
  encodePicturePng,
  encodeSideBySidePng,
  encodeTrajectoryGif,
  pictureToRgba,
} from './images/encode-picture.ts';
export {
  buildImageEncoder,
  preprocessImage,
  ImageEncoder,
  CLIP_MEAN,
  CLIP_STD,
  IMAGE_ENCODER_INPUT,
  IMAGE_ENCODER_OUTPUT,
  IMAGE_ENCODER_MODEL,
  IMAGE_ENCODER_DESCRIPTION,
  IMAGE_TOWER_PREFIX,
  PICTURE_TOWERS,
  type PictureTowerKind,
  type ImagePreprocess,
  type ImageEncoderDescription,
} from './encoders/clip-image/image-encoder.ts';
export { ImageEncoderError, type ImageEncoderErrorCode } from './encoders/clip-image/errors.ts';

// The StyleGAN2 generator as a pack part, and packs assembled from the networks above.
export {
  buildGeneratorGraphs,
  Generator,
  GENERATOR_DESCRIPTION,
  MAPPING_MODEL,
  SYNTHESIS_MODEL,
  MAPPING_INPUT,
  MAPPING_OUTPUT,
  SYNTHESIS_INPUT,
  SYNTHESIS_OUTPUT,
  type GeneratorDescription,
} from './generator/generator.ts';
export { GeneratorError, type GeneratorErrorCode } from './generator/errors.ts';
export {
  partDir,
  openFrozenEncoders,
  openPackModels,
  installPackPart,
  refreshPackFiles,
  defaultPartDir,
  writePack,
  type PackModels,
  type NewPackParts,
} from './packs/pack-parts.ts';
export {
  trainImageText,
  channelStats,
  retrieval,
  type ImageTextExample,
  type ImageTextTrainerOptions,
  type ImageTextEvent,
  type ImageTextValidation,
  type ImageTextResult,
} from './training/image-text-trainer.ts';
export {
  trainGenerator,
  reconstruction,
  latentToWPlus,
  type LatentTarget,
  type GeneratorTrainerOptions,
  type GeneratorEvent,
  type GeneratorValidation,
  type GeneratorResult,
} from './training/generator-trainer.ts';
export {
  trainIdentityEncoder,
  trainAttributeProbe,
  verification,
  probeError,
  type PictureTowerTraining,
  type IdentityPair,
  type IdentityValidation,
  type ProbeExample,
  type ProbeValidation,
} from './training/picture-tower-trainer.ts';
export {
  runTrainingLoop,
  type CommonTrainingOptions,
  type TrainingLoopSpec,
  type LoopStepRecord,
  type LoopResult,
} from './training/training-loop.ts';

// The edit engine: W+ optimisation towards a sound's (or text's) embedding.
export { EditError, type EditErrorCode } from './edit/errors.ts';
export {
  defaultEditSettings,
  validateEditSettings,
  EDIT_SPACES,
  MASK_MODES,
  type MaskMode,
  type EditSpace,
  type EditSettings,
} from './edit/edit-settings.ts';
export {
  buildEditGraph,
  EDIT_INPUTS,
  COSINE_SCALE,
  type EditGraph,
  type EditNetworks,
} from './edit/edit-graph.ts';
export {
  LatentEditor,
  normalised,
  toUnitImage,
  type EditStep,
  type EditProgress,
  type LatentEditResult,
} from './edit/latent-edit.ts';
export {
  EditEngine,
  type EditSource,
  type EditGuidance,
  type EditRequest,
  type EditOutcome,
} from './edit/edit-engine.ts';
export {
  loudnessGain,
  LOUDNESS_REFERENCE_DB,
  LOUDNESS_GAIN_MIN,
  LOUDNESS_GAIN_MAX,
} from './edit/loudness-gain.ts';
export {
  Inverter,
  DEFAULT_INVERSION,
  type InversionSettings,
  type InversionResult,
} from './edit/inversion.ts';
export {
  EditQueue,
  type EditJob,
  type EditJobEvent,
  type EditJobStatus,
  type EngineOpener,
} from './edit/edit-queue.ts';
