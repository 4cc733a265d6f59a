/**
 * `npm run bench:web [-- --runs 10 --edits 12 --no-build]`: builds the site for production from scratch (timed),
 * starts it in front of the real API (embedded PGlite, one in-process worker, the repo's packs),
 * fills the gallery with `--edits` real edits made through the site's own proxy, then loads the
 * gallery and an edit page `--runs` times each in Chromium with a cold cache and reports navigation
 * timing (time to first byte, DOMContentLoaded, load) and Largest Contentful Paint, median and p90.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CreateEditDocument, EditPageDocument, SoundeditClient } from '@soundedit/graphql';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/browser.ts';
import { REPO, startStack, WEB_DIR } from '../test/servers.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    edits: { type: 'string', default: '12' },
    'no-build': { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const EDITS = Number(values.edits);

interface Timing {
  ttfb: number;
  domContentLoaded: number;
  load: number;
  lcp: number;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

async function measure(page: Page, url: string): Promise<Timing> {
  await page.goto(url, { waitUntil: 'load' });
  return page.evaluate(
    () =>
      new Promise<Timing>((resolve) => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          resolve({
            ttfb: nav.responseStart,
            domContentLoaded: nav.domContentLoadedEventEnd,
            load: nav.loadEventEnd,
            lcp: entries.at(-1)!.startTime,
          });
        }).observe({ type: 'largest-contentful-paint', buffered: true });
      }),
  );
}

let buildSeconds: number | undefined;
if (!values['no-build']) {
  // From scratch: a kept .next would let the build reuse its cache.
  rmSync(path.join(WEB_DIR, '.next'), { recursive: true, force: true });
  const t0 = performance.now();
  const built = spawnSync(process.execPath, [path.join(REPO, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: WEB_DIR,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
  buildSeconds = (performance.now() - t0) / 1000;
}

const stack = await startStack();
try {
  const session = await fetch(`${stack.webUrl}/v1/session`, {
    method: 'POST',
    body: '{}',
    headers: { 'content-type': 'application/json' },
  });
  const cookie = session.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const client = new SoundeditClient({ url: stack.webUrl, headers: { cookie } });
  // One at a time, each to its end: the API allows a few queued edits per identity.
  const ids: string[] = [];
  for (let i = 0; i < EDITS; i++) {
    const { createEdit } = await client.request(CreateEditDocument, {
      input: {
        prompt: ['heavy rain', 'a raging fire', 'laughing', 'crying'][i % 4]!,
        source: { seed: i },
        settings: { steps: 30 },
      },
    });
    ids.push(createEdit.id);
    for (;;) {
      const { edit } = await client.request(EditPageDocument, { id: createEdit.id });
      if (edit && !['QUEUED', 'RUNNING'].includes(edit.status)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const browser = await launchChromium();
  const pages = { gallery: `${stack.webUrl}/`, edit: `${stack.webUrl}/e/${ids.at(-1)}` };
  const results: Record<string, Timing[]> = { gallery: [], edit: [] };
  for (let r = 0; r < RUNS + 1; r++) {
    for (const [name, url] of Object.entries(pages)) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const t = await measure(page, url);
      await context.close();
      if (r > 0) results[name]!.push(t); // the first round warms the server's code paths
    }
  }
  await browser.close();
  console.log(
    `\nbench:web — ${RUNS} cold-cache loads per page in Debian's Chromium, ${EDITS} edits in the gallery`,
  );
  if (buildSeconds !== undefined) console.log(`production build (next build): ${buildSeconds.toFixed(1)} s`);
  console.log('\npage     ttfb p50/p90 ms   DOMContentLoaded p50/p90   load p50/p90   LCP p50/p90 ms');
  for (const [name, ts] of Object.entries(results)) {
    const f = (k: keyof Timing) =>
      `${quantile(
        ts.map((t) => t[k]),
        0.5,
      ).toFixed(0)}/${quantile(
        ts.map((t) => t[k]),
        0.9,
      ).toFixed(0)}`;
    console.log(
      `${name.padEnd(8)} ${f('ttfb').padEnd(17)} ${f('domContentLoaded').padEnd(26)} ${f('load').padEnd(14)} ${f('lcp')}`,
    );
  }
  for (const [name, ts] of Object.entries(results)) {
    const med = (k: keyof Timing) =>
      quantile(
        ts.map((t) => t[k]),
        0.5,
      ).toFixed(0);
    console.log(`bench:web ${name} ttfb_ms=${med('ttfb')} lcp_ms=${med('lcp')} load_ms=${med('load')}`);
  }
} finally {
  await stack.stop();
}
