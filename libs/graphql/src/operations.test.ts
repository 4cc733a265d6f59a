import { readFile } from 'node:fs/promises';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../codegen.ts';

describe('the typed operations', () => {
  it('validate against the schema and are current (run `npm run codegen -w @soundedit/graphql` after a change)', async () => {
    const previous = process.cwd();
    process.chdir(new URL('..', import.meta.url).pathname);
    try {
      const [out] = await generate({ ...config, silent: true }, false);
      const committed = await readFile('src/generated/operations.ts', 'utf8');
      expect(out!.content).toBe(committed);
    } finally {
      process.chdir(previous);
    }
  });
});
