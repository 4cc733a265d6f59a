import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../builder/graph-builder.ts';
import { DeviceConfigError, parseDevice, runtimeConfigFromEnv } from './device.ts';
import { createSession, RuntimeError } from './session.ts';

describe('device configuration', () => {
  it('parses SOUNDEDIT_DEVICE and SOUNDEDIT_THREADS with clear errors', () => {
    expect(runtimeConfigFromEnv({})).toEqual({ device: 'cpu' });
    expect(runtimeConfigFromEnv({ SOUNDEDIT_DEVICE: ' WebGPU ', SOUNDEDIT_THREADS: '2' })).toEqual({
      device: 'webgpu',
      threads: 2,
    });
    expect(() => parseDevice('tpu')).toThrow(/'tpu' is not a device; use one of: cpu, webgpu, cuda/);
    expect(() => runtimeConfigFromEnv({ SOUNDEDIT_THREADS: '0' })).toThrow(DeviceConfigError);
    expect(() => runtimeConfigFromEnv({ SOUNDEDIT_THREADS: '1.5' })).toThrow(/whole number/);
  });

  for (const device of ['webgpu', 'cuda'] as const) {
    it(`runs on ${device} where it works, and otherwise says the device is unavailable`, async () => {
      const b = new GraphBuilder('tiny');
      b.output(b.op('Mul', [b.input('x', [3]), b.constF([1, 2, 3])]));
      const feeds = { x: { data: Float32Array.from([4, 5, 6]), dims: [3] } };
      let session;
      try {
        session = await createSession(b.model(), { device });
      } catch (e) {
        expect(e).toBeInstanceOf(RuntimeError);
        expect((e as RuntimeError).code).toBe('DEVICE_UNAVAILABLE');
        expect((e as RuntimeError).message).toMatch(
          new RegExp(`device '${device}' is not available: .*SOUNDEDIT_DEVICE=cpu`),
        );
        return;
      }
      const out = await session.run(feeds);
      expect(Array.from(Object.values(out)[0]!.data as Float32Array)).toEqual([4, 10, 18]);
    });
  }
});
