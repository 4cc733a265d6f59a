// Test-only: a small encoder config (1 s at 16 kHz, 32 mels x 63 frames) so ResNets run in milliseconds.
import { librosaLogMelDefaults } from '../../audio/features/log-mel.ts';
import type { AudioEncoderConfig } from './config.ts';

export function smallConfig(patch: Partial<AudioEncoderConfig> = {}): AudioEncoderConfig {
  return {
    arch: 'resnet18',
    outputDim: 32,
    logMel: {
      ...librosaLogMelDefaults(16_000),
      nFft: 512,
      winLength: 512,
      hop: 256,
      nMels: 32,
      ref: 'max',
      normalise: true,
    },
    clipSeconds: 1,
    crop: 'center',
    pad: 'end',
    batchSize: 3,
    ...patch,
  };
}
