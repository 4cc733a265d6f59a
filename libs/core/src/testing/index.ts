// Test helpers for packages built on @soundedit/core (import '@soundedit/core/testing'); never
// part of the built library.
export { writeTinyPack, TINY_PACK_DIM } from '../packs/test-pack.ts';
export { testToneWav } from './test-tone.ts';
