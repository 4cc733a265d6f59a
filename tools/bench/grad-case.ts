/**
 * One case of `bench:grad`, in its own process so peak RSS is per case:
 *   grad-case.ts <size> <latent|all> <runs>
 * Prints one JSON line: forward-only time, forward+backward time, optimiser time, peak RSS.
 */
import {
  Adam,
  Rng,
  compileGradientProgram,
  createSession,
  liftParams,
  type HostTensor,
} from '@soundedit/models';
import { medianMs, peakRssMiB } from './measure.ts';
import { buildReferenceGraph } from './reference-graph.ts';

const [sizeArg, caseArg, runsArg] = process.argv.slice(2);
const size = Number(sizeArg);
const kind = caseArg === 'all' ? 'all' : 'latent';
const runs = Number(runsArg ?? 3);
const threads = Number(process.env.SOUNDEDIT_THREADS ?? 2);

const t0 = performance.now();
const { model, loss, nLatent, weights } = buildReferenceGraph(size);
const buildMs = performance.now() - t0;

const randn = (n: number, seed: number): Float32Array => new Rng(seed).fillNormal(new Float32Array(n));
const w0 = randn(512, 1);
const ws = new Float32Array(nLatent * 512);
for (let i = 0; i < nLatent; i++) ws.set(w0, i * 512);
const feeds: Record<string, HostTensor> = {
  w_plus: { data: ws.slice(), dims: [1, nLatent, 512] },
  w_source: { data: ws, dims: [1, nLatent, 512] },
  target: { data: randn(512, 2), dims: [1, 512] },
};

const forward = await createSession(model, { threads, cache: false });
const forwardMs = await medianMs(runs, () => forward.run(feeds));
await forward.release();

// The training case feeds its weights as inputs, which costs onnxruntime its weight prepacking, so
// its forward is also timed in that form: the same graph the gradient program runs.
let forwardFedMs: number | undefined;
if (kind === 'all') {
  const { model: fed, lifted } = liftParams(model, weights);
  const fedFeeds: Record<string, HostTensor> = { ...feeds };
  for (const t of lifted) fedFeeds[t.name] = { data: t.data as Float32Array, dims: t.dims };
  const s = await createSession(fed, { threads, cache: false });
  forwardFedMs = await medianMs(runs, () => s.run(fedFeeds));
  await s.release();
}

const t1 = performance.now();
const program = await compileGradientProgram(model, {
  loss,
  wrt: ['w_plus'],
  params: kind === 'all' ? weights : [],
  exampleFeeds: feeds,
  session: { threads },
});
const compileMs = performance.now() - t1;
const latent = feeds.w_plus!.data as Float32Array;
const optimiser = new Adam({ ...program.params, w_plus: latent }, { lr: 0.1 });
const stepTimes: number[] = [];
const optimiserTimes: number[] = [];
let lastLoss = NaN;
for (let i = 0; i <= runs; i++) {
  const s0 = performance.now();
  const r = await program.step(feeds);
  const s1 = performance.now();
  optimiser.step({ ...r.grads });
  const s2 = performance.now();
  lastLoss = r.loss;
  // The first step warms caches and is not counted.
  if (i > 0) {
    stepTimes.push(s1 - s0);
    optimiserTimes.push(s2 - s1);
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// The same gradient graph run fetching only the loss: onnxruntime still computes every node, but
// hands no gradients back to JavaScript, which separates compute from the cost of returning them.
const lossOnly = await createSession(program.model, { threads });
const allFeeds: Record<string, HostTensor> = { ...feeds };
for (const [name, data] of Object.entries(program.params)) {
  allFeeds[name] = { data, dims: program.model.graph.inputs.find((i) => i.name === name)!.shape as number[] };
}
const computeOnlyMs = await medianMs(runs, () => lossOnly.run(allFeeds, [loss]));
const weightElements = Object.values(program.params).reduce((n, p) => n + p.length, 0);
const stepMs = median(stepTimes);
const optimiserMs = median(optimiserTimes);
console.log(
  JSON.stringify({
    size,
    case: kind,
    threads,
    nodes: { forward: model.graph.nodes.length, gradient: program.model.graph.nodes.length },
    params: kind === 'all' ? weights.length : 0,
    buildMs,
    compileMs,
    forwardMs,
    forwardFedMs,
    stepMs,
    computeOnlyMs,
    weightElements,
    optimiserMs,
    loss: lastLoss,
    peakRssMiB: peakRssMiB(),
  }),
);
