/**
 * npm run bench:grad [-- --sizes 64,256 --runs 3 --no-torch]
 *
 * Our engine on the two reference graphs at real size (StyleGAN2 config-f synthesis at 64 and 256 px
 * -> bilinear 224 -> CLIP ViT-B/32, W+ latent-optimisation loss), side by side with onnxruntime's
 * forward-only time of the same graph and with PyTorch CPU (Debian's python3-torch, when present).
 * Each case runs in a fresh process so the peak RSS column is per case.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '64,256' },
    runs: { type: 'string', default: '3' },
    'torch-steps': { type: 'string', default: '2' },
    'no-torch': { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map(Number);
const threads = process.env.SOUNDEDIT_THREADS ?? '2';

interface CaseResult {
  size: number;
  case: 'latent' | 'all';
  forwardMs: number;
  forwardFedMs?: number;
  stepMs: number;
  computeOnlyMs: number;
  weightElements: number;
  optimiserMs: number;
  compileMs: number;
  peakRssMiB: number;
  nodes: { forward: number; gradient: number };
}

function torchAvailable(): boolean {
  if (values['no-torch'] || !existsSync('/usr/bin/python3')) return false;
  return spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

function runCase(size: number, kind: 'latent' | 'all'): CaseResult {
  process.stderr.write(`bench:grad: ${size} px, ${kind} gradients ...\n`);
  const out = execFileSync(
    process.execPath,
    [
      '--conditions=@soundedit/source',
      '--import',
      'tsx',
      join(here, 'grad-case.ts'),
      String(size),
      kind,
      values.runs,
    ],
    { env: { ...process.env, SOUNDEDIT_THREADS: threads }, encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as CaseResult;
}

function runTorch(size: number, kind: 'latent' | 'all'): number | undefined {
  process.stderr.write(`bench:grad: PyTorch ${size} px, ${kind} ...\n`);
  const r = spawnSync(
    '/usr/bin/python3',
    [
      join(here, 'torch_grad_step.py'),
      '--size',
      String(size),
      '--case',
      kind,
      '--steps',
      values['torch-steps'],
      '--threads',
      threads,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) {
    process.stderr.write(`bench:grad: PyTorch run failed: ${r.stderr.slice(-500)}\n`);
    return undefined;
  }
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { step_ms: number }).step_ms;
}

const withTorch = torchAvailable();
const rows: { graph: string; kind: 'latent' | 'all'; r: CaseResult; torchMs: number | undefined }[] = [];
for (const kind of ['latent', 'all'] as const) {
  for (const size of sizes) {
    const r = runCase(size, kind);
    rows.push({
      graph: `stylegan2-${size}px+vit-b32`,
      kind,
      r,
      torchMs: withTorch ? runTorch(size, kind) : undefined,
    });
  }
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
/** Step/forward: for the training case against the forward of the same graph with fed weights. */
const baseMs = (r: CaseResult) => r.forwardFedMs ?? r.forwardMs;
for (const kind of ['latent', 'all'] as const) {
  const training = kind === 'all';
  console.log(
    `\n${training ? 'Gradients w.r.t. the W+ latent and all weights (training case; weights fed as inputs)' : 'Gradient w.r.t. the W+ latent only (weights frozen as initializers)'}; ${threads} threads, onnxruntime CPU`,
  );
  console.log(
    `| graph | (a) ort forward${training ? ' (frozen / fed weights)' : ''} | (b) our fwd+bwd | (c) step/forward | compute only (no gradients returned) | optimiser (Adam) | (d) PyTorch step | speed-up vs torch | peak RSS |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const { graph, r, torchMs } of rows.filter((x) => x.kind === kind)) {
    const ours = r.stepMs + r.optimiserMs;
    const forward =
      r.forwardFedMs === undefined ? fmt(r.forwardMs) : `${fmt(r.forwardMs)} / ${fmt(r.forwardFedMs)}`;
    console.log(
      `| ${graph}${training ? ` (${(r.weightElements / 1e6).toFixed(1)} M weights)` : ''} | ${forward} | ${fmt(r.stepMs)} | ${(r.stepMs / baseMs(r)).toFixed(2)} | ${fmt(r.computeOnlyMs)} (${(r.computeOnlyMs / baseMs(r)).toFixed(2)}x) | ${fmt(r.optimiserMs)} | ${torchMs === undefined ? 'na' : fmt(torchMs)} | ${torchMs === undefined ? 'na' : `${(torchMs / ours).toFixed(1)}x`} | ${r.peakRssMiB.toFixed(0)} MiB |`,
    );
  }
}
console.log('');
for (const { graph, kind, r, torchMs } of rows) {
  const ours = r.stepMs + r.optimiserMs;
  console.log(
    `bench:grad ${graph} ${kind} step/forward=${(r.stepMs / baseMs(r)).toFixed(2)} speedup_vs_torch=${torchMs === undefined ? 'na' : (torchMs / ours).toFixed(1)}`,
  );
}
