import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = path.resolve(WEB_DIR, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, log: () => string, ms = 90_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode}):\n${log()}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms} ms:\n${log()}`);
}

function start(command: string, args: string[], cwd: string, env: Record<string, string>) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out = (out + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-20_000)));
  return { child, log: () => out };
}

export interface Stack {
  apiUrl: string;
  webUrl: string;
  /** Stops the API alone (the site stays up): the "API unreachable" state. */
  stopApi(): Promise<void>;
  stop(): Promise<void>;
}

async function ended(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  p.kill('SIGTERM');
  await new Promise((r) => p.once('exit', r));
}

/**
 * The real thing on loopback: the API (embedded PGlite, in-process worker, the repo's packs) and
 * the production build of this site in front of it.
 */
export async function startStack(o: { activeEdits?: number } = {}): Promise<Stack> {
  if (!existsSync(path.join(WEB_DIR, '.next', 'BUILD_ID'))) {
    throw new Error(
      'apps/web has no production build: run `npx nx run @soundedit/web:build` (nx test does it first)',
    );
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'soundedit-web-e2e-'));
  const [apiPort, webPort] = [await freePort(), await freePort()];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const api = start(
    process.execPath,
    ['--conditions=@soundedit/source', '--import', 'tsx', 'apps/api/src/main.ts'],
    REPO,
    {
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      WORKERS: '1',
      SESSION_SECRET: 'e2e-secret',
      LIMIT_PER_MINUTE: '600',
      LIMIT_BURST: '100',
      LIMIT_ACTIVE_EDITS: String(o.activeEdits ?? 10),
    },
  );
  await waitFor(`${apiUrl}/health`, api.child, api.log);
  const webUrl = `http://127.0.0.1:${webPort}`;
  const web = start(
    process.execPath,
    [
      path.join(REPO, 'node_modules', 'next', 'dist', 'bin', 'next'),
      'start',
      '-p',
      String(webPort),
      '-H',
      '127.0.0.1',
    ],
    WEB_DIR,
    { SOUNDEDIT_API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1' },
  );
  await waitFor(`${webUrl}/`, web.child, web.log);
  return {
    apiUrl,
    webUrl,
    stopApi: () => ended(api.child),
    async stop() {
      await ended(web.child);
      await ended(api.child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
