import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** @type {import('next').NextConfig} */
const config = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The workspace root, so Next traces files across the monorepo rather than guessing.
  outputFileTracingRoot: root,
  turbopack: { root },
};
export default config;
