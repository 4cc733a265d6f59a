import {
  Adam,
  compileGradientProgram,
  createSession,
  GraphBuilder,
  liftParams,
  Rng,
  type HostTensor,
  type Model,
} from '@soundedit/models';
import { describe, expect, it } from 'vitest';
import { TrainingError } from './errors.ts';
import {
  CONTRASTIVE_TERMS,
  contrastiveLoss,
  l2Normalize,
  type ContrastiveLossOptions,
  type ContrastiveLossResult,
  type ContrastiveTerm,
  type Temperature,
} from './infonce.ts';

const D = 6;
const INPUT_OF: Record<ContrastiveTerm, 'image' | 'text' | 'audioAug'> = {
  audioImage: 'image',
  audioText: 'text',
  audioAudio: 'audioAug',
};

// ---------- plain TypeScript reference (float64) ----------

type Matrix = Float64Array[];

function rows(t: Float32Array, n: number): Matrix {
  return Array.from({ length: n }, (_, i) => Float64Array.from(t.subarray(i * D, (i + 1) * D)));
}

const dot = (x: Float64Array, y: Float64Array) => x.reduce((s, v, k) => s + v * y[k]!, 0);

function logSumExp(xs: number[]): number {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
}

function refInfoNce(a: Matrix, o: Matrix, scale: number): number {
  const n = a.length;
  const logits = a.map((ai) => o.map((oj) => scale * dot(ai, oj)));
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = logits[i]!;
    const col = logits.map((r) => r[i]!);
    total += logSumExp(row) - row[i]! + (logSumExp(col) - row[i]!);
  }
  return total / (2 * n);
}

function refAccuracy(a: Matrix, o: Matrix): { forward: number; backward: number } {
  const n = a.length;
  const sim = a.map((ai) => o.map((oj) => dot(ai, oj)));
  const argmax = (xs: number[]) => xs.reduce((best, x, k) => (x > xs[best]! ? k : best), 0);
  let forward = 0;
  let backward = 0;
  for (let i = 0; i < n; i++) {
    if (argmax(sim[i]!) === i) forward++;
    if (argmax(sim.map((r) => r[i]!)) === i) backward++;
  }
  return { forward: forward / n, backward: backward / n };
}

// ---------- fixtures ----------

function unitRows(rng: Rng, n: number): Float32Array {
  const x = rng.fillNormal(new Float32Array(n * D));
  for (let i = 0; i < n; i++) {
    const r = x.subarray(i * D, (i + 1) * D);
    const norm = Math.hypot(...r);
    for (let k = 0; k < D; k++) r[k]! /= norm;
  }
  return x;
}

interface Built {
  model: Model;
  result: ContrastiveLossResult;
}

/** A graph with a [B, D] input per given batch (B left symbolic) and every result tensor as output. */
function build(
  present: readonly ContrastiveTerm[],
  temperature: Temperature,
  extra: Partial<ContrastiveLossOptions> = {},
  prepare?: (b: GraphBuilder, x: string) => string,
): Built {
  const b = new GraphBuilder('infonce', 3);
  const inp = (name: string) => {
    const x = b.input(name, ['B', D]);
    return prepare ? prepare(b, x) : x;
  };
  const options: ContrastiveLossOptions = { audio: inp('audio'), temperature, accuracy: true, ...extra };
  for (const term of present) options[INPUT_OF[term]] = inp(INPUT_OF[term]);
  const result = contrastiveLoss(b, options);
  const outs = new Set([result.loss, result.logitScale, ...Object.values(result.terms)]);
  for (const acc of Object.values(result.accuracy ?? {})) {
    outs.add(acc.forward);
    outs.add(acc.backward);
  }
  for (const o of outs) b.output(o);
  return { model: b.model(), result };
}

function feedsFor(
  present: readonly ContrastiveTerm[],
  n: number,
  rng: Rng,
  make = unitRows,
): Record<string, HostTensor> {
  const feeds: Record<string, HostTensor> = { audio: { data: make(rng, n), dims: [n, D] } };
  for (const term of present) feeds[INPUT_OF[term]] = { data: make(rng, n), dims: [n, D] };
  return feeds;
}

async function forward(model: Model, feeds: Record<string, HostTensor>): Promise<Record<string, number>> {
  const session = await createSession(model, { cache: false });
  const out = await session.run(feeds);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Number(v.data[0])]));
}

const batch = (feeds: Record<string, HostTensor>, name: string) => {
  const t = feeds[name]!;
  return rows(t.data as Float32Array, t.dims[0]!);
};

/** Every non-empty subset of the three terms. */
const SUBSETS: ContrastiveTerm[][] = [1, 2, 3, 4, 5, 6, 7].map((mask) =>
  CONTRASTIVE_TERMS.filter((_, k) => mask & (1 << k)),
);

const WEIGHTS: Record<ContrastiveTerm, number> = { audioImage: 0.5, audioText: 1, audioAudio: 2 };

// ---------- tests ----------

describe('contrastiveLoss values', () => {
  const temperatures: [string, Temperature, number][] = [
    ['fixed', { kind: 'fixed', value: 0.2 }, 5],
    ['learnable', { kind: 'learnable', init: 0.07 }, 1 / 0.07],
  ];
  for (const [kind, temperature, scale] of temperatures) {
    for (const present of SUBSETS) {
      it(`${kind} temperature, terms ${present.join('+')}`, async () => {
        const n = 4 + ((present.length * 3 + (kind === 'fixed' ? 0 : 1)) % 5);
        const rng = new Rng(17 + n + present.length);
        const { model, result } = build(present, temperature, { weights: WEIGHTS });
        expect(Object.keys(result.terms).sort()).toEqual([...present].sort());
        expect(result.temperatureParam !== undefined).toBe(kind === 'learnable');
        const feeds = feedsFor(present, n, rng);
        const out = await forward(model, feeds);
        const a = batch(feeds, 'audio');
        let expected = 0;
        for (const term of present) {
          const o = batch(feeds, INPUT_OF[term]);
          const value = refInfoNce(a, o, scale);
          expect(out[result.terms[term]!]).toBeCloseTo(value, 4);
          expected += WEIGHTS[term] * value;
          const acc = refAccuracy(a, o);
          expect(out[result.accuracy![term]!.forward]).toBeCloseTo(acc.forward, 6);
          expect(out[result.accuracy![term]!.backward]).toBeCloseTo(acc.backward, 6);
        }
        expect(out[result.logitScale]).toBeCloseTo(scale, 4);
        expect(out[result.loss]).toBeCloseTo(expected, 4);
      });
    }
  }

  it('clamps the learnable logit scale at maxScale', async () => {
    const { model, result } = build(['audioText'], { kind: 'learnable', init: 0.05, maxScale: 30 });
    const s = model.graph.initializers.find((t) => t.name === result.temperatureParam)!;
    expect(s.dims).toEqual([]);
    (s.data as Float32Array)[0] = Math.log(200);
    const feeds = feedsFor(['audioText'], 5, new Rng(4));
    const out = await forward(model, feeds);
    expect(out[result.logitScale]).toBeCloseTo(30, 4);
    expect(out[result.loss]).toBeCloseTo(refInfoNce(batch(feeds, 'audio'), batch(feeds, 'text'), 30), 3);
  });

  it('weight 0 or an omitted batch removes the term and its nodes', () => {
    const count = (m: Model, op: string) => m.graph.nodes.filter((n) => n.opType === op).length;
    const all = build(CONTRASTIVE_TERMS, { kind: 'fixed', value: 0.1 });
    const zeroed = build(CONTRASTIVE_TERMS, { kind: 'fixed', value: 0.1 }, { weights: { audioImage: 0 } });
    const omitted = build(['audioText', 'audioAudio'], { kind: 'fixed', value: 0.1 });
    expect(count(all.model, 'LogSoftmax')).toBe(6);
    for (const { model, result } of [zeroed, omitted]) {
      expect(Object.keys(result.terms).sort()).toEqual(['audioAudio', 'audioText']);
      expect(count(model, 'LogSoftmax')).toBe(4);
      expect(count(model, 'MatMul')).toBe(2);
      expect(count(model, 'ArgMax')).toBe(4);
    }
  });

  it('perfectly aligned batches: small loss, accuracy 1', async () => {
    const n = 6;
    const { model, result } = build(['audioText'], { kind: 'fixed', value: 0.05 });
    const a = unitRows(new Rng(9), n);
    const out = await forward(model, { audio: { data: a, dims: [n, D] }, text: { data: a, dims: [n, D] } });
    expect(out[result.loss]).toBeLessThan(0.1 * Math.log(n));
    expect(out[result.accuracy!.audioText!.forward]).toBe(1);
    expect(out[result.accuracy!.audioText!.backward]).toBe(1);
  });

  it('shuffled batches: about log(B) at temperature 1, far above it when sharp, accuracy 0', async () => {
    const n = 8;
    const t = unitRows(new Rng(10), n);
    // A cyclic shift pairs every audio row with another row's text: a derangement.
    const a = new Float32Array(n * D);
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      a.set(t.subarray(j * D, (j + 1) * D), i * D);
    }
    const feeds = { audio: { data: a, dims: [n, D] }, text: { data: t, dims: [n, D] } };
    const soft = build(['audioText'], { kind: 'fixed', value: 1 });
    const softOut = await forward(soft.model, feeds);
    expect(Math.abs(softOut[soft.result.loss]! - Math.log(n))).toBeLessThan(0.5);
    expect(softOut[soft.result.accuracy!.audioText!.forward]).toBe(0);
    expect(softOut[soft.result.accuracy!.audioText!.backward]).toBe(0);
    const sharp = build(['audioText'], { kind: 'fixed', value: 0.07 });
    const sharpOut = await forward(sharp.model, feeds);
    expect(sharpOut[sharp.result.loss]).toBeGreaterThan(2 * Math.log(n));
  });

  it('identical embeddings everywhere give exactly log(B)', async () => {
    const n = 5;
    const row = unitRows(new Rng(2), 1);
    const same = new Float32Array(n * D);
    for (let i = 0; i < n; i++) same.set(row, i * D);
    const { model, result } = build(['audioImage'], { kind: 'fixed', value: 0.07 });
    const out = await forward(model, {
      audio: { data: same, dims: [n, D] },
      image: { data: same, dims: [n, D] },
    });
    expect(out[result.loss]).toBeCloseTo(Math.log(n), 5);
  });

  it('B = 1: zero loss, zero gradient, accuracy 1', async () => {
    const { model, result } = build(['audioText', 'audioAudio'], { kind: 'learnable', init: 0.07 });
    const feeds = feedsFor(['audioText', 'audioAudio'], 1, new Rng(5));
    const program = await compileGradientProgram(model, {
      loss: result.loss,
      params: [result.temperatureParam!],
      wrt: ['audio', 'text'],
      exampleFeeds: feeds,
      fetch: [result.accuracy!.audioText!.forward, result.accuracy!.audioText!.backward],
    });
    const step = await program.step(feeds);
    expect(Math.abs(step.loss)).toBe(0);
    for (const g of Object.values(step.grads)) for (const v of g) expect(Math.abs(v)).toBeLessThan(1e-6);
    for (const t of Object.values(step.outputs)) expect(t.data[0]).toBe(1);
  });

  it('rejects configurations that cannot train, with typed errors', () => {
    const b = new GraphBuilder('bad');
    const audio = b.input('audio', [4, D]);
    const text = b.input('text', [4, D]);
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(TrainingError);
        return (e as TrainingError).code;
      }
      return 'no error';
    };
    const fixed: Temperature = { kind: 'fixed', value: 0.1 };
    expect(code(() => contrastiveLoss(b, { audio, temperature: fixed }))).toBe('NO_TERMS');
    expect(
      code(() => contrastiveLoss(b, { audio, text, temperature: fixed, weights: { audioText: 0 } })),
    ).toBe('NO_TERMS');
    expect(
      code(() => contrastiveLoss(b, { audio, text, temperature: fixed, weights: { audioText: -1 } })),
    ).toBe('BAD_WEIGHT');
    expect(
      code(() =>
        contrastiveLoss(b, { audio, text, temperature: fixed, weights: { audioImage: Number.NaN } }),
      ),
    ).toBe('BAD_WEIGHT');
    expect(code(() => contrastiveLoss(b, { audio, text, temperature: { kind: 'fixed', value: 0 } }))).toBe(
      'BAD_TEMPERATURE',
    );
    expect(
      code(() => contrastiveLoss(b, { audio, text, temperature: { kind: 'learnable', init: 0.005 } })),
    ).toBe('BAD_TEMPERATURE');
    expect(
      code(() =>
        contrastiveLoss(b, { audio, text, temperature: { kind: 'learnable', init: 0.1, maxScale: -1 } }),
      ),
    ).toBe('BAD_TEMPERATURE');
    expect(code(() => l2Normalize(b, audio, { eps: 0 }))).toBe('BAD_EPSILON');
    expect(code(() => l2Normalize(b, audio, { eps: 1e-30 }))).toBe('BAD_EPSILON');
  });
});

describe('l2Normalize', () => {
  it('gives unit rows, leaves a zero row at zero with a finite gradient', async () => {
    const b = new GraphBuilder('norm');
    const x = b.input('x', [3, D]);
    const y = l2Normalize(b, x);
    const loss = b.op(
      'ReduceSum',
      [
        b.op('Mul', [
          y,
          b.constF(
            Array.from({ length: 3 * D }, (_, k) => k % 5),
            [3, D],
          ),
        ]),
      ],
      {
        keepdims: 0,
      },
    );
    b.output(y);
    b.output(loss);
    const data = new Rng(1).fillNormal(new Float32Array(3 * D), 3);
    data.fill(0, D, 2 * D);
    const feeds = { x: { data, dims: [3, D] } };
    const out = await (await createSession(b.model(), { cache: false })).run(feeds);
    const yv = out[y]!.data as Float32Array;
    expect(Math.hypot(...yv.subarray(0, D))).toBeCloseTo(1, 6);
    expect(Math.hypot(...yv.subarray(2 * D))).toBeCloseTo(1, 6);
    expect([...yv.subarray(D, 2 * D)]).toEqual(new Array(D).fill(0));
    const program = await compileGradientProgram(b.model(), { loss, wrt: ['x'], exampleFeeds: feeds });
    const g = (await program.step(feeds)).grads.x!;
    for (const v of g) expect(Number.isFinite(v)).toBe(true);
  });
});

// ---------- gradients against central finite differences ----------

/**
 * Largest |analytic - numeric| / (atol + rtol |numeric|) over every element of each tensor in
 * `wrt` and `params`; analytic gradients from compileGradientProgram (the trainer's path), numeric
 * ones from a forward session of the same graph with the params lifted to inputs.
 */
async function worstGradError(
  model: Model,
  loss: string,
  feeds: Record<string, HostTensor>,
  wrt: readonly string[],
  params: readonly string[],
  eps = 1e-3,
): Promise<Record<string, number>> {
  const program = await compileGradientProgram(model, { loss, params, wrt, exampleFeeds: feeds });
  const { grads } = await program.step(feeds);
  const lifted = liftParams(model, params);
  const session = await createSession(lifted.model, { cache: false });
  const base: Record<string, HostTensor> = { ...feeds };
  for (const t of lifted.lifted)
    base[t.name] = { data: Float32Array.from(t.data as Float32Array), dims: t.dims };
  const evalAt = async (name: string, i: number, delta: number) => {
    const data = (base[name]!.data as Float32Array).slice();
    data[i]! += delta;
    const out = await session.run({ ...base, [name]: { data, dims: base[name]!.dims } }, [loss]);
    return Number(out[loss]!.data[0]);
  };
  const worst: Record<string, number> = {};
  for (const name of [...wrt, ...params]) {
    const analytic = grads[name]!;
    let w = 0;
    for (let i = 0; i < analytic.length; i++) {
      const numeric = ((await evalAt(name, i, eps)) - (await evalAt(name, i, -eps))) / (2 * eps);
      w = Math.max(w, Math.abs(analytic[i]! - numeric) / (2e-3 + 2e-2 * Math.abs(numeric)));
    }
    worst[name] = w;
  }
  return worst;
}

describe('contrastiveLoss gradients', () => {
  it('w.r.t. every embedding batch and the learnable temperature, all three terms', async () => {
    const { model, result } = build(
      CONTRASTIVE_TERMS,
      { kind: 'learnable', init: 0.1 },
      { weights: WEIGHTS },
    );
    const feeds = feedsFor(CONTRASTIVE_TERMS, 4, new Rng(31));
    const worst = await worstGradError(
      model,
      result.loss,
      feeds,
      ['audio', 'image', 'text', 'audioAug'],
      [result.temperatureParam!],
    );
    for (const w of Object.values(worst)) expect(w).toBeLessThan(1);
  });

  it('w.r.t. raw embeddings through l2Normalize, fixed temperature', async () => {
    const { model, result } = build(['audioText'], { kind: 'fixed', value: 0.2 }, {}, (b, x) =>
      l2Normalize(b, x),
    );
    const feeds = feedsFor(['audioText'], 5, new Rng(32), (rng, n) =>
      rng.fillNormal(new Float32Array(n * D), 1.5),
    );
    const worst = await worstGradError(model, result.loss, feeds, ['audio', 'text'], []);
    for (const w of Object.values(worst)) expect(w).toBeLessThan(1);
  });

  it('gives the temperature no gradient past the clamp', async () => {
    const { model, result } = build(['audioText'], { kind: 'learnable', init: 0.1, maxScale: 20 });
    const s = model.graph.initializers.find((t) => t.name === result.temperatureParam)!;
    (s.data as Float32Array)[0] = Math.log(40);
    const feeds = feedsFor(['audioText'], 4, new Rng(33));
    const program = await compileGradientProgram(model, {
      loss: result.loss,
      params: [result.temperatureParam!],
      exampleFeeds: feeds,
    });
    expect((await program.step(feeds)).grads[result.temperatureParam!]![0]).toBe(0);
  });
});

describe('training demo', () => {
  it('learns a projection that aligns audio features with text embeddings', async () => {
    const n = 8;
    const features = 12;
    const rng = new Rng(77);
    const b = new GraphBuilder('demo', 7);
    const x = b.input('features', [n, features]);
    const text = b.input('text', [n, D]);
    const w = b.param('projection', [features, D], { kind: 'kaiming', fanIn: features, gain: 1 });
    const audio = l2Normalize(b, b.op('MatMul', [x, w]));
    const result = contrastiveLoss(b, {
      audio,
      text,
      temperature: { kind: 'learnable', init: 0.1 },
      accuracy: true,
    });
    b.output(result.loss);
    const acc = result.accuracy!.audioText!;
    const feeds = {
      features: { data: rng.fillNormal(new Float32Array(n * features)), dims: [n, features] },
      text: { data: unitRows(rng, n), dims: [n, D] },
    };
    const params = ['projection', result.temperatureParam!];
    const program = await compileGradientProgram(b.model(), {
      loss: result.loss,
      params,
      exampleFeeds: feeds,
      fetch: [acc.forward, acc.backward],
    });
    const optimizer = new Adam(program.params, { lr: 0.05 });
    const first = await program.step(feeds);
    let last = first;
    for (let i = 0; i < 150; i++) {
      optimizer.step(last.grads);
      last = await program.step(feeds);
    }
    expect(first.loss).toBeGreaterThan(1);
    expect(last.loss).toBeLessThan(first.loss * 0.02);
    expect(last.outputs[acc.forward]!.data[0]).toBe(1);
    expect(last.outputs[acc.backward]!.data[0]).toBe(1);
    // The temperature learned too: sharper logits help once pairs are separated.
    expect(program.params[result.temperatureParam!]![0]).toBeGreaterThan(Math.log(10));
  });
});
