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
