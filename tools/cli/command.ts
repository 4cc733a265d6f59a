import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.ts';

/** One CLI command: its name, one line of help, its full usage and what it does. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<void>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

export type Flags<O extends Options> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : string;
};

/** node's parseArgs, with unknown flags turned into a UsageError that shows the command's usage. */
export function parseFlags<O extends Options>(argv: string[], options: O, usage: string): Flags<O> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Flags<O>;
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${usage}`);
  }
}

export function numberFlag(value: string | undefined, name: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${name} takes a number, got '${value}'`);
  return n;
}

export function intFlag(value: string | undefined, name: string, fallback?: number): number | undefined {
  const n = numberFlag(value, name, fallback);
  if (n !== undefined && !Number.isInteger(n))
    throw new UsageError(`--${name} takes a whole number, got '${value}'`);
  return n;
}

export function choiceFlag<T extends string>(
  value: string | undefined,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} takes one of ${choices.join(', ')}, got '${value}'`);
  }
  return value as T;
}
