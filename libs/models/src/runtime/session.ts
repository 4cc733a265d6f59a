import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../builder/graph-builder.ts';
import { encodeModel } from '../onnx/encode.ts';
import type { Model } from '../onnx/ir.ts';
import { validateModel } from '../onnx/validate.ts';
import { runtimeConfigFromEnv, type Device } from './device.ts';
import type { HostData, HostTensor } from './host-tensor.ts';

export interface SessionOptions {
  device?: Device;
  /** Intra-op threads (CPU). Defaults to SOUNDEDIT_THREADS, else onnxruntime's choice. */
  threads?: number;
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Share the session with identical requests (default). One-off graphs pass false and release it. */
  cache?: boolean;
}

export type RuntimeErrorCode = 'SESSION_CREATE_FAILED' | 'BAD_FEED' | 'RUN_FAILED' | 'DEVICE_UNAVAILABLE';

/** A failure creating or running a session, naming the tensor or node involved when known. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    readonly subject?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface InputSpec {
  name: string;
  type: string;
  shape: readonly (number | string)[];
}

const ORT_TYPES: Record<string, string> = {
  Float32Array: 'float32',
  Float64Array: 'float64',
  BigInt64Array: 'int64',
  Int32Array: 'int32',
  Uint8Array: 'uint8',
};

/** One loaded graph. Create with `createSession`; sessions are cached by model bytes and options. */
export class Session {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  private readonly inputs: Map<string, InputSpec>;

  constructor(
    private readonly inner: ort.InferenceSession,
    readonly device: Device,
  ) {
    this.inputNames = inner.inputNames;
    this.outputNames = inner.outputNames;
    this.inputs = new Map();
    for (const meta of inner.inputMetadata) {
      if (meta.isTensor) this.inputs.set(meta.name, { name: meta.name, type: meta.type, shape: meta.shape });
    }
  }

  /** Runs the graph. Feeds are checked first so a wrong name, dtype or shape says which tensor. */
  async run(
    feeds: Record<string, HostTensor>,
    fetches?: readonly string[],
  ): Promise<Record<string, HostTensor>> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const name of Object.keys(feeds)) {
      if (!this.inputs.has(name)) {
        throw new RuntimeError(
          'BAD_FEED',
          `'${name}' is not an input of this graph; inputs: ${this.inputNames.join(', ')}`,
          name,
        );
      }
    }
    for (const spec of this.inputs.values()) {
      const t = feeds[spec.name];
      if (!t) throw new RuntimeError('BAD_FEED', `input '${spec.name}' was not fed`, spec.name);
      checkFeed(spec, t);
      ortFeeds[spec.name] = t.bool
        ? new ort.Tensor('bool', t.data as Uint8Array, t.dims)
        : new ort.Tensor(ORT_TYPES[t.data.constructor.name] as 'float32', t.data, t.dims);
    }
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = fetches ? await this.inner.run(ortFeeds, fetches as string[]) : await this.inner.run(ortFeeds);
    } catch (cause) {
      throw new RuntimeError('RUN_FAILED', `onnxruntime failed: ${(cause as Error).message}`, undefined, {
        cause,
      });
    }
    const result: Record<string, HostTensor> = {};
    for (const [name, v] of Object.entries(out)) {
      const t = v as ort.Tensor;
      result[name] =
        t.type === 'bool'
          ? { data: t.data as Uint8Array, dims: [...t.dims], bool: true }
          : { data: t.data as HostData, dims: [...t.dims] };
    }
    return result;
  }

  async release(): Promise<void> {
    await this.inner.release();
  }
}

function checkFeed(spec: InputSpec, t: HostTensor): void {
  const type = t.bool ? 'bool' : ORT_TYPES[t.data.constructor.name];
  if (type !== spec.type) {
    throw new RuntimeError(
      'BAD_FEED',
      `input '${spec.name}' expects ${spec.type} but was fed ${type ?? t.data.constructor.name}`,
      spec.name,
    );
  }
  let count = 1;
  for (const d of t.dims) {
    if (!Number.isInteger(d) || d < 0)
      throw new RuntimeError(
        'BAD_FEED',
        `input '${spec.name}' has invalid dims [${t.dims.join(', ')}]`,
        spec.name,
      );
    count *= d;
  }
  if (count !== t.data.length) {
    throw new RuntimeError(
      'BAD_FEED',
      `input '${spec.name}': dims [${t.dims.join(', ')}] need ${count} values, got ${t.data.length}`,
      spec.name,
    );
  }
  if (spec.shape.length !== t.dims.length) {
    throw new RuntimeError(
      'BAD_FEED',
      `input '${spec.name}' expects rank ${spec.shape.length} [${spec.shape.join(', ')}], got [${t.dims.join(', ')}]`,
      spec.name,
    );
  }
  spec.shape.forEach((d, i) => {
    if (typeof d === 'number' && d >= 0 && d !== t.dims[i]) {
      throw new RuntimeError(
        'BAD_FEED',
        `input '${spec.name}' expects shape [${spec.shape.join(', ')}], got [${t.dims.join(', ')}] (axis ${i})`,
        spec.name,
      );
    }
  });
}

const cache = new Map<string, Promise<Session>>();
const CACHE_LIMIT = 16;

function providersFor(device: Device): ort.InferenceSession.ExecutionProviderConfig[] {
  switch (device) {
    case 'cpu':
      return ['cpu'];
    // onnxruntime places nodes the provider lacks kernels for on the CPU by itself; naming 'cpu' here
    // as well would only hide a device that failed to start.
    case 'webgpu':
      return ['webgpu'];
    case 'cuda':
      return ['cuda'];
  }
}

/**
 * Loads a model (an in-memory Model or .onnx bytes) into onnxruntime. Identical bytes with identical
 * options share one session, so graphs built per call (e.g. a gradient graph per edit) load once.
 */
export async function createSession(
  model: Model | Uint8Array,
  options: SessionOptions = {},
): Promise<Session> {
  const env = runtimeConfigFromEnv();
  const device = options.device ?? env.device;
  const threads = options.threads ?? env.threads;
  if (!(model instanceof Uint8Array)) validateModel(model);
  const bytes = model instanceof Uint8Array ? model : encodeModel(model).model;
  const key = createHash('sha256')
    .update(bytes)
    .update(JSON.stringify([device, threads, options.optimization]))
    .digest('hex');
  const hit = options.cache === false ? undefined : cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const created = (async () => {
    await ensureDeviceAvailable(device);
    const opts: ort.InferenceSession.SessionOptions = {
      executionProviders: providersFor(device),
      graphOptimizationLevel: options.optimization ?? 'all',
      logSeverityLevel: 3,
    };
    if (threads) opts.intraOpNumThreads = threads;
    try {
      return new Session(await ort.InferenceSession.create(bytes, opts), device);
    } catch (cause) {
      throw new RuntimeError(
        'SESSION_CREATE_FAILED',
        `onnxruntime could not load the graph on ${device}: ${(cause as Error).message}`,
        undefined,
        { cause },
      );
    }
  })();
  if (options.cache === false) return created;
  cache.set(key, created);
  created.catch(() => cache.delete(key));
  while (cache.size > CACHE_LIMIT) {
    // Evicted sessions are not released here: a caller may still hold one mid-loop. Native memory
    // goes when the last reference does.
    cache.delete(cache.keys().next().value as string);
  }
  return created;
}

/** Drops every cached session (tests, and long-lived processes switching packs). */
export async function clearSessionCache(): Promise<void> {
  const all = [...cache.values()];
  cache.clear();
  await Promise.all(all.map((p) => p.then((s) => s.release()).catch(() => undefined)));
}

const DEVICE_HINTS: Record<Device, string> = {
  cpu: '',
  webgpu:
    'WebGPU needs a GPU with a Vulkan driver (software renderers such as lavapipe are rejected); use SOUNDEDIT_DEVICE=cpu elsewhere',
  cuda: 'the CUDA provider is not installed: reinstall onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=cuda12 on a host with CUDA 12 and network access, or use SOUNDEDIT_DEVICE=cpu',
};
const deviceChecks = new Map<Device, Promise<void>>();

/**
 * Asks onnxruntime once per process whether a device works, by loading a one-node graph on it, so
 * a missing GPU is reported as such rather than as a failure of whatever model came first.
 */
export function ensureDeviceAvailable(device: Device): Promise<void> {
  if (device === 'cpu') return Promise.resolve();
  let check = deviceChecks.get(device);
  if (!check) {
    check = (async () => {
      const b = new GraphBuilder('device_probe');
      b.output(b.op('Identity', [b.input('x', [1])]));
      try {
        const s = await ort.InferenceSession.create(encodeModel(b.model()).model, {
          executionProviders: providersFor(device),
          logSeverityLevel: 4,
        });
        await s.release();
      } catch (cause) {
        const first = String((cause as Error).message)
          .split('\n')[0]!
          .slice(0, 300);
        throw new RuntimeError(
          'DEVICE_UNAVAILABLE',
          `device '${device}' is not available: ${DEVICE_HINTS[device]} (onnxruntime: ${first})`,
          device,
          {
            cause,
          },
        );
      }
    })();
    deviceChecks.set(device, check);
  }
  return check;
}
