import { readFileSync } from 'node:fs';

/**
 * The schema's SDL, for servers and tools (Node only: the browser bundle never needs it). The path
 * climbs to src/ so it holds from src/sdl.ts and from dist/sdl.js alike.
 */
export const SCHEMA_SDL: string = readFileSync(new URL('../src/schema.graphql', import.meta.url), 'utf8');
