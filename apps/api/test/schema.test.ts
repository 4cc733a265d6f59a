import { readFile } from 'node:fs/promises';
import { generate } from '@graphql-codegen/cli';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import config from '../codegen.ts';
import { TYPE_DEFS } from '../src/server.ts';

describe('the schema', () => {
  it('is valid SDL', () => {
    expect(() => buildSchema(TYPE_DEFS)).not.toThrow();
  });

  it('has current resolver types (run `npm run codegen -w @soundedit/api` after changing it)', async () => {
    const previous = process.cwd();
    process.chdir(new URL('..', import.meta.url).pathname);
    try {
      const [out] = await generate({ ...config, silent: true }, false);
      const committed = await readFile('src/schema/resolver-types.ts', 'utf8');
      expect(out!.content).toBe(committed);
    } finally {
      process.chdir(previous);
    }
  });
});
