/** Where graphs run. 'cpu' always works; 'webgpu' is compiled into onnxruntime-node's Linux x64 build
 * but needs a real Vulkan GPU; 'cuda' needs the CUDA provider installed (ONNXRUNTIME_NODE_INSTALL=cuda12). */
export const DEVICES = ['cpu', 'webgpu', 'cuda'] as const;
export type Device = (typeof DEVICES)[number];

export class DeviceConfigError extends Error {
  override name = 'DeviceConfigError';
}

export function parseDevice(value: string | undefined, source = 'SOUNDEDIT_DEVICE'): Device {
  const v = (value ?? 'cpu').trim().toLowerCase();
  if ((DEVICES as readonly string[]).includes(v)) return v as Device;
  throw new DeviceConfigError(`${source}='${value}' is not a device; use one of: ${DEVICES.join(', ')}`);
}

/** The device and thread count from SOUNDEDIT_DEVICE / SOUNDEDIT_THREADS. */
export function runtimeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): {
  device: Device;
  threads?: number;
} {
  const device = parseDevice(env.SOUNDEDIT_DEVICE);
  const t = env.SOUNDEDIT_THREADS;
  if (t === undefined || t === '') return { device };
  const threads = Number(t);
  if (!Number.isInteger(threads) || threads < 1 || threads > 1024) {
    throw new DeviceConfigError(`SOUNDEDIT_THREADS='${t}' must be a whole number from 1 to 1024`);
  }
  return { device, threads };
}
