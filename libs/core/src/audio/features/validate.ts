import { FeatureConfigError, type FeatureConfigErrorCode, FeatureInputError } from './errors.ts';

// Configs arrive from pack manifests (parsed JSON), so checks take `unknown` and report the field.

export function checkInteger(
  code: FeatureConfigErrorCode,
  field: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new FeatureConfigError(code, field, `expected an integer ${range}, got ${describe(value)}`);
  }
  return value;
}

export function checkNumber(
  code: FeatureConfigErrorCode,
  field: string,
  value: unknown,
  range: { min?: number; max?: number; minExclusive?: boolean } = {},
): number {
  const { min = -Infinity, max = Infinity, minExclusive = false } = range;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (minExclusive ? value > min : value >= min) &&
    value <= max;
  if (!ok) {
    const lo = min === -Infinity ? '' : `${minExclusive ? '>' : '>='} ${min}`;
    const hi = max === Infinity ? '' : `<= ${max}`;
    const bounds = [lo, hi].filter((s) => s !== '').join(' and ');
    throw new FeatureConfigError(
      code,
      field,
      `expected a finite number${bounds === '' ? '' : ` ${bounds}`}, got ${describe(value)}`,
    );
  }
  return value as number;
}

export function checkOneOf<T extends string>(field: string, value: unknown, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw new FeatureConfigError(
      'UNKNOWN_OPTION',
      field,
      `expected one of ${options.map((o) => `'${o}'`).join(', ')}, got ${describe(value)}`,
    );
  }
  return value as T;
}

export function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new FeatureConfigError('UNKNOWN_OPTION', field, `expected true or false, got ${describe(value)}`);
  }
  return value;
}

export function checkSeed(field: string, value: unknown): number {
  return checkInteger('INVALID_SEED', field, value, 0, 0xffffffff);
}

/** Rejects NaN and +-Infinity, naming the first bad index so a caller can find it in the source. */
export function assertFiniteSamples(samples: ArrayLike<number>, what: string): void {
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] as number;
    if (!Number.isFinite(v)) {
      throw new FeatureInputError('NON_FINITE_SAMPLE', `${what}: sample ${i} is ${String(v)}`, { index: i });
    }
  }
}

export function assertNonEmpty(samples: ArrayLike<number>, what: string): void {
  if (samples.length === 0) throw new FeatureInputError('EMPTY_INPUT', `${what}: no samples`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined) return String(value);
  return typeof value;
}
