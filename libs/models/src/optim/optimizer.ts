/**
 * The shared optimiser machinery: parameters are named Float32Array buffers (for example
 * `GradientProgram.params`) that `step` updates in place; per-parameter state (moments, step counts)
 * lives here and round-trips through a JSON-serialisable object.
 */

/** Parameters (or gradients) by name. */
export type ParamMap = Record<string, Float32Array>;

export type OptimizerKind = 'sgd' | 'adam' | 'adamw';

/** A Float32Array as little-endian bytes in base64, with its element count. */
export interface EncodedFloat32Array {
  length: number;
  base64: string;
}

export interface ParamSlotState {
  /** Element count of the parameter. */
  length: number;
  /** Updates applied to this parameter (a step without a gradient for it does not count). */
  step: number;
  buffers: Record<string, EncodedFloat32Array>;
}

export type HyperValue = number | boolean | readonly number[];

export interface OptimizerState {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  kind: OptimizerKind;
  /** Calls to `step` so far; drives a schedule on resume: `opt.step(g, schedule(opt.stepCount))`. */
  stepCount: number;
  hyper: Record<string, HyperValue>;
  params: Record<string, ParamSlotState>;
}

export const STATE_FORMAT = 'soundedit-optimizer';
export const STATE_VERSION = 1;

export interface Optimizer {
  readonly kind: OptimizerKind;
  /** Base learning rate, used when `step` is given none; settable (validated). */
  lr: number;
  readonly stepCount: number;
  readonly paramNames: readonly string[];
  /**
   * Updates the parameters in place. A parameter missing from `grads` is skipped (its state untouched),
   * as PyTorch skips a parameter whose `.grad` is None. Gradients are checked (names, lengths,
   * finiteness) before anything changes, so a failed step leaves parameters and state as they were.
   * `lr` overrides the base rate for this step; it may be 0 (schedules start or end there).
   */
  step(grads: ParamMap, lr?: number): void;
  state(): OptimizerState;
  /** Restores a `state()` snapshot (hyper-parameters included, as PyTorch's load_state_dict does). */
  load(state: unknown): void;
}

/** A hyper-parameter, learning rate or schedule argument is out of range. */
export class OptimizerConfigError extends Error {
  override name = 'OptimizerConfigError';
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}

/** A gradient holds NaN or ±Infinity; nothing was updated. */
export class NonFiniteGradientError extends Error {
  override name = 'NonFiniteGradientError';
  constructor(
    readonly param: string,
    readonly index: number,
    readonly value: number,
  ) {
    super(`gradient of '${param}' is not finite (${value} at element ${index}); no parameter was updated`);
  }
}

/** The gradients do not fit the parameters: an unknown name or a wrong length. */
export class GradientMismatchError extends Error {
  override name = 'GradientMismatchError';
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

/** A state passed to `load` does not fit this optimiser; nothing was changed. */
export class OptimizerStateError extends Error {
  override name = 'OptimizerStateError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`cannot load optimizer state: ${path}: ${message}`);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function encodeFloat32(data: Float32Array): EncodedFloat32Array {
  let bytes: Uint8Array;
  if (LITTLE_ENDIAN) {
    bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } else {
    bytes = new Uint8Array(data.byteLength);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
  }
  return { length: data.length, base64: Buffer.from(bytes).toString('base64') };
}

/** Decodes an `encodeFloat32` result, bit for bit; throws (plain Error) on a malformed value. */
export function decodeFloat32(enc: EncodedFloat32Array): Float32Array {
  if (!Number.isSafeInteger(enc.length) || enc.length < 0)
    throw new Error(`length ${String(enc.length)} is not a count`);
  if (typeof enc.base64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(enc.base64))
    throw new Error('base64 is not base64 text');
  const bytes = Buffer.from(enc.base64, 'base64');
  if (bytes.length !== enc.length * 4) {
    throw new Error(
      `base64 holds ${bytes.length} bytes, expected ${enc.length * 4} for ${enc.length} float32 values`,
    );
  }
  const out = new Float32Array(enc.length);
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < enc.length; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}

/** Per-parameter state held by an optimiser. */
export interface ParamSlot {
  step: number;
  buffers: Map<string, Float32Array>;
}

// ---- validation helpers shared by the optimisers and schedules ----

export function checkLr(setting: string, v: unknown, allowZero: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new OptimizerConfigError(
      setting,
      `${setting} must be a finite number ${allowZero ? '>= 0' : '> 0'}, got ${String(v)}`,
    );
  }
  return v;
}

/** A finite number in [lo, hi] (or [lo, hi) with `hiOpen`, or >= lo with hi = Infinity). */
export function checkRange(setting: string, v: unknown, lo: number, hi: number, hiOpen = false): number {
  const ok = typeof v === 'number' && Number.isFinite(v) && v >= lo && (hiOpen ? v < hi : v <= hi);
  if (!ok) {
    const range = hi === Infinity ? `>= ${lo}` : `in [${lo}, ${hi}${hiOpen ? ')' : ']'}`;
    throw new OptimizerConfigError(setting, `${setting} must be a finite number ${range}, got ${String(v)}`);
  }
  return v;
}

/** A finite number in (0, 1]. */
export function checkFraction(setting: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 1) {
    throw new OptimizerConfigError(setting, `${setting} must be a finite number in (0, 1], got ${String(v)}`);
  }
  return v;
}

export function checkBool(setting: string, v: unknown): boolean {
  if (typeof v !== 'boolean')
    throw new OptimizerConfigError(setting, `${setting} must be a boolean, got ${String(v)}`);
  return v;
}

export function checkCount(setting: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    throw new OptimizerConfigError(setting, `${setting} must be an integer >= ${min}, got ${String(v)}`);
  }
  return v;
}

/** Rejects option names the optimiser does not know (a misspelt `weight_decay` must not be ignored). */
export function checkKnownKeys(what: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new OptimizerConfigError(key, `unknown ${what} option '${key}' (known: ${known.join(', ')})`);
    }
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/**
 * Holds the parameters and per-parameter slots, validates gradients and (de)serialises state; a
 * subclass supplies the update rule, its hyper-parameter validation and which buffers a slot has.
 */
export abstract class BaseOptimizer<H extends { lr: number }> implements Optimizer {
  abstract readonly kind: OptimizerKind;
  protected hyper: H;
  private readonly params = new Map<string, Float32Array>();
  private slots = new Map<string, ParamSlot>();
  private steps = 0;

  protected constructor(params: ParamMap, hyper: H) {
    if (!isRecord(params))
      throw new OptimizerConfigError('params', 'params must be a record of Float32Array by name');
    const names = Object.keys(params);
    if (names.length === 0) throw new OptimizerConfigError('params', 'params is empty: nothing to optimise');
    for (const name of names) {
      const p = params[name];
      if (!(p instanceof Float32Array))
        throw new OptimizerConfigError('params', `param '${name}' is not a Float32Array`);
      this.params.set(name, p);
      this.slots.set(name, { step: 0, buffers: new Map() });
    }
    checkNoAliasing(this.params);
    this.hyper = hyper;
  }

  get lr(): number {
    return this.hyper.lr;
  }

  set lr(v: number) {
    this.hyper = { ...this.hyper, lr: checkLr('lr', v, false) };
  }

  get stepCount(): number {
    return this.steps;
  }

  get paramNames(): readonly string[] {
    return [...this.params.keys()];
  }

  /** A copy of the hyper-parameters. */
  get hyperParameters(): Readonly<H> {
    return { ...this.hyper };
  }

  step(grads: ParamMap, lr?: number): void {
    const rate = lr === undefined ? this.hyper.lr : checkLr('step lr', lr, true);
    if (!isRecord(grads))
      throw new GradientMismatchError('', 'grads must be a record of Float32Array by parameter name');
    for (const name of Object.keys(grads)) {
      const p = this.params.get(name);
      if (!p) {
        throw new GradientMismatchError(
          name,
          `gradient for '${name}', which this optimizer does not hold (params: ${this.paramNames.join(', ')})`,
        );
      }
      const g = grads[name];
      if (!(g instanceof Float32Array))
        throw new GradientMismatchError(name, `gradient for '${name}' is not a Float32Array`);
      if (g.length !== p.length) {
        throw new GradientMismatchError(
          name,
          `gradient for '${name}' has ${g.length} elements, the parameter has ${p.length}`,
        );
      }
      for (let i = 0; i < g.length; i++) {
        if (!Number.isFinite(g[i]!)) throw new NonFiniteGradientError(name, i, g[i]!);
      }
    }
    for (const [name, p] of this.params) {
      if (!hasOwn(grads, name)) continue;
      const slot = this.slots.get(name)!;
      slot.step += 1;
      this.update(p, grads[name]!, slot, rate);
    }
    this.steps += 1;
  }

  state(): OptimizerState {
    const params: Record<string, ParamSlotState> = {};
    for (const [name, p] of this.params) {
      const slot = this.slots.get(name)!;
      const buffers: Record<string, EncodedFloat32Array> = {};
      for (const [key, buf] of slot.buffers) buffers[key] = encodeFloat32(buf);
      params[name] = { length: p.length, step: slot.step, buffers };
    }
    return {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      kind: this.kind,
      stepCount: this.steps,
      hyper: this.hyperToJson(this.hyper),
      params,
    };
  }

  load(state: unknown): void {
    if (!isRecord(state)) fail('state', 'not an object');
    if (state.format !== STATE_FORMAT)
      fail('format', `expected '${STATE_FORMAT}', got ${JSON.stringify(state.format)}`);
    if (state.version !== STATE_VERSION)
      fail('version', `expected ${STATE_VERSION}, got ${JSON.stringify(state.version)}`);
    if (state.kind !== this.kind) {
      fail('kind', `the state is for optimizer '${String(state.kind)}', this optimizer is '${this.kind}'`);
    }
    const stepCount = state.stepCount;
    if (typeof stepCount !== 'number' || !Number.isSafeInteger(stepCount) || stepCount < 0) {
      fail('stepCount', `not a non-negative integer: ${JSON.stringify(stepCount)}`);
    }
    if (!isRecord(state.hyper)) fail('hyper', 'not an object');
    let hyper: H;
    try {
      hyper = this.hyperFromJson(state.hyper);
    } catch (e) {
      if (e instanceof OptimizerConfigError) fail(`hyper.${e.setting}`, e.message);
      throw e;
    }
    const params = state.params;
    if (!isRecord(params)) fail('params', 'not an object');
    for (const name of Object.keys(params)) {
      if (!this.params.has(name))
        fail(`params.${name}`, `unknown parameter (this optimizer holds: ${this.paramNames.join(', ')})`);
    }
    const slots = new Map<string, ParamSlot>();
    for (const [name, p] of this.params) {
      const path = `params.${name}`;
      if (!hasOwn(params, name)) fail(path, 'missing: the state has no entry for this parameter');
      const entry = params[name];
      if (!isRecord(entry)) fail(path, 'not an object');
      if (entry.length !== p.length)
        fail(
          `${path}.length`,
          `the state has ${JSON.stringify(entry.length)} elements, the parameter has ${p.length}`,
        );
      const step = entry.step;
      if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0 || step > stepCount) {
        fail(`${path}.step`, `not an integer in [0, stepCount=${stepCount}]: ${JSON.stringify(step)}`);
      }
      const bufs = entry.buffers;
      if (!isRecord(bufs)) fail(`${path}.buffers`, 'not an object');
      const expected = this.bufferNames(hyper, step);
      const present = Object.keys(bufs);
      for (const key of present) {
        if (!expected.includes(key))
          fail(
            `${path}.buffers.${key}`,
            `unexpected buffer (expected: ${expected.join(', ') || 'none'} at step ${step})`,
          );
      }
      const buffers = new Map<string, Float32Array>();
      for (const key of expected) {
        const bpath = `${path}.buffers.${key}`;
        if (!hasOwn(bufs, key)) fail(bpath, 'missing');
        const enc = bufs[key];
        if (!isRecord(enc)) fail(bpath, 'not an object');
        if (enc.length !== p.length)
          fail(`${bpath}.length`, `${JSON.stringify(enc.length)} elements, the parameter has ${p.length}`);
        let data: Float32Array;
        try {
          data = decodeFloat32({ length: enc.length as number, base64: enc.base64 as string });
        } catch (e) {
          fail(bpath, (e as Error).message);
        }
        buffers.set(key, data);
      }
      slots.set(name, { step, buffers });
    }
    this.hyper = hyper;
    this.slots = slots;
    this.steps = stepCount;
  }

  /** Applies one update to `p` in place; `slot.step` already counts this update. */
  protected abstract update(p: Float32Array, g: Float32Array, slot: ParamSlot, lr: number): void;
  /** Buffers a slot holds after `step` updates under `hyper`. */
  protected abstract bufferNames(hyper: H, step: number): string[];
  protected abstract hyperFromJson(json: Record<string, unknown>): H;

  protected hyperToJson(hyper: H): Record<string, HyperValue> {
    const out: Record<string, HyperValue> = {};
    for (const [k, v] of Object.entries(hyper))
      out[k] = Array.isArray(v) ? [...(v as number[])] : (v as HyperValue);
    return out;
  }
}

function fail(path: string, message: string): never {
  throw new OptimizerStateError(path, message);
}

/** Two names for overlapping memory would be updated twice per step: refuse. */
function checkNoAliasing(params: Map<string, Float32Array>): void {
  const byBuffer = new Map<ArrayBufferLike, { name: string; start: number; end: number }[]>();
  for (const [name, p] of params) {
    const ranges = byBuffer.get(p.buffer) ?? [];
    const start = p.byteOffset;
    const end = start + p.byteLength;
    for (const r of ranges) {
      if (start < r.end && r.start < end) {
        throw new OptimizerConfigError(
          'params',
          `params '${r.name}' and '${name}' share memory; each would be updated twice`,
        );
      }
    }
    ranges.push({ name, start, end });
    byBuffer.set(p.buffer, ranges);
  }
}
