import { describe, expect, it } from 'vitest';
import { FeatureConfigError } from '../../audio/features/errors.ts';
import { PAPER_LOG_MEL_CONFIG } from '../../audio/features/log-mel.ts';
import {
  clipConfigOf,
  clipSamples,
  defaultAudioEncoderConfig,
  inputFrames,
  inputShape,
  validateAudioEncoderConfig,
  type AudioEncoderConfig,
} from './config.ts';
import { AudioEncoderConfigError } from './errors.ts';
import { smallConfig } from './test-config.ts';

function errorOf(config: unknown): unknown {
  try {
    validateAudioEncoderConfig(config as AudioEncoderConfig);
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('AudioEncoderConfig', () => {
  it('defaults to the paper: ResNet-18, 512-d, 44.1 kHz 128-mel dB/80+1 front end, 10 s clips', () => {
    const c = validateAudioEncoderConfig(defaultAudioEncoderConfig());
    expect(c.arch).toBe('resnet18');
    expect(c.outputDim).toBe(512);
    expect(c.logMel).toEqual(PAPER_LOG_MEL_CONFIG);
    expect(clipSamples(c)).toBe(441_000);
    // center=true STFT: 1 + floor(441000 / 512) frames.
    expect(inputFrames(c)).toBe(862);
    expect(inputShape(c, 8)).toEqual([8, 1, 128, 862]);
    expect(validateAudioEncoderConfig(defaultAudioEncoderConfig('resnet50')).arch).toBe('resnet50');
  });

  it('gives prepareClip the front end rate, the clip length and the crop policy', () => {
    expect(clipConfigOf(smallConfig())).toEqual({
      sampleRate: 16_000,
      length: 16_000,
      crop: 'center',
      pad: 'end',
    });
    expect(
      clipConfigOf(smallConfig({ crop: 'random', cropSeed: 9, pad: 'center', clipSeconds: 0.5 })),
    ).toEqual({
      sampleRate: 16_000,
      length: 8000,
      crop: 'random',
      pad: 'center',
      seed: 9,
    });
  });

  it('returns a copy, so later edits to the manifest object do not reach the encoder', () => {
    const input = smallConfig();
    const c = validateAudioEncoderConfig(input);
    input.logMel.nMels = 5;
    input.outputDim = 7;
    expect(c.logMel.nMels).toBe(32);
    expect(c.outputDim).toBe(32);
  });

  it.each<[string, unknown, string, string]>([
    ['not an object', 'resnet18', 'NOT_AN_OBJECT', 'config'],
    ['an array', [], 'NOT_AN_OBJECT', 'config'],
    ['a typo', { ...smallConfig(), outputDims: 512 }, 'UNKNOWN_OPTION', 'outputDims'],
    ['an unknown arch', smallConfig({ arch: 'resnet34' as 'resnet18' }), 'INVALID_ARCH', 'arch'],
    ['outputDim 0', smallConfig({ outputDim: 0 }), 'INVALID_OUTPUT_DIM', 'outputDim'],
    ['fractional outputDim', smallConfig({ outputDim: 1.5 }), 'INVALID_OUTPUT_DIM', 'outputDim'],
    ['batchSize 0', smallConfig({ batchSize: 0 }), 'INVALID_BATCH_SIZE', 'batchSize'],
    ['negative clip', smallConfig({ clipSeconds: -1 }), 'INVALID_CLIP_LENGTH', 'clipSeconds'],
    ['NaN clip', smallConfig({ clipSeconds: NaN }), 'INVALID_CLIP_LENGTH', 'clipSeconds'],
    ['an hour-long clip', smallConfig({ clipSeconds: 3600 }), 'INVALID_CLIP_LENGTH', 'clipSeconds'],
    ['an unknown crop', smallConfig({ crop: 'end' as 'start' }), 'INVALID_CROP', 'crop'],
    ['an unknown pad', smallConfig({ pad: 'start' as 'end' }), 'INVALID_CROP', 'pad'],
    ['random crop without a seed', smallConfig({ crop: 'random' }), 'INVALID_CROP', 'cropSeed'],
    ['a negative seed', smallConfig({ crop: 'random', cropSeed: -3 }), 'INVALID_CROP', 'cropSeed'],
    ['no log-mel', { ...smallConfig(), logMel: undefined }, 'INVALID_LOG_MEL', 'logMel'],
    [
      'too few mels for the stem',
      smallConfig({ logMel: { ...smallConfig().logMel, nMels: 2 } }),
      'INPUT_TOO_SMALL',
      'logMel.nMels',
    ],
    ['too short for the stem', smallConfig({ clipSeconds: 0.02 }), 'INPUT_TOO_SMALL', 'clipSeconds'],
  ])('rejects %s', (_, config, code, field) => {
    const e = errorOf(config);
    expect(e).toBeInstanceOf(AudioEncoderConfigError);
    expect(e).toMatchObject({ code, field });
    expect((e as Error).message.startsWith(`${field}: `)).toBe(true);
  });

  it('reports a bad log-mel setting under its dotted path, keeping the front end error as the cause', () => {
    const e = errorOf(smallConfig({ logMel: { ...smallConfig().logMel, hop: 0 } }));
    expect(e).toBeInstanceOf(AudioEncoderConfigError);
    expect(e).toMatchObject({ code: 'INVALID_LOG_MEL', field: 'logMel.hop' });
    expect((e as Error).cause).toBeInstanceOf(FeatureConfigError);
    const typo = errorOf({ ...smallConfig(), logMel: { ...smallConfig().logMel, nmels: 64 } });
    expect(typo).toMatchObject({ code: 'INVALID_LOG_MEL', field: 'logMel.nmels' });
  });
});
