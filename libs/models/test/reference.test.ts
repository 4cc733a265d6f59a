/**
 * Agreement with PyTorch on real architectures. The fixtures (test/fixtures/<name>.{onnx,json}) are
 * written once by tools/reference/export_reference.py: torch.onnx exports at opset 17 of a
 * rosinality-layout StyleGAN2 synthesis network, an OpenAI-layout CLIP ViT image encoder and a
 * torchvision-layout ResNet-18 audio encoder, each with seeded random weights, plus PyTorch's
 * outputs and autograd gradients of loss = sum(output * R) for a fixed random R.
 *
 * Each fixture is decoded with our codec, re-encoded, run in onnxruntime and compared with torch;
 * then our reverse-mode transform differentiates the same loss and is compared with autograd.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildGradientGraph } from '../src/autodiff/backward.ts';
import { GraphBuilder } from '../src/builder/graph-builder.ts';
import { decodeModel } from '../src/onnx/decode.ts';
import { encodeModel } from '../src/onnx/encode.ts';
import type { Model } from '../src/onnx/ir.ts';
import type { HostTensor } from '../src/runtime/host-tensor.ts';
import { probeShapes } from '../src/runtime/probe-shapes.ts';
import { createSession } from '../src/runtime/session.ts';

interface EncodedTensor {
  dims: number[];
  /** base64 of little-endian float32 values. */
  data: string;
}

interface WrtEntry {
  /** PyTorch parameter (or input) name. */
  torch: string;
  /** The tensor's name in the exported graph (torch.onnx renames folded initializers). */
  onnx: string;
  kind: 'input' | 'initializer';
  /** Set when the export folded this BatchNorm into the conv weight (gradient already rescaled). */
  fusedWith?: string;
  gradient: EncodedTensor;
}

interface Fixture {
  name: string;
  description: string;
  opset: number;
  inputs: Record<string, EncodedTensor>;
  outputs: Record<string, EncodedTensor>;
  projections: Record<string, EncodedTensor>;
  loss: number;
  wrt: WrtEntry[];
  opHistogram: Record<string, number>;
  /** max |fp32 - fp64| / max |fp64| of torch's own results: the floor for any tolerance. */
  fp32VsFp64RelError: { outputs: Record<string, number>; gradients: Record<string, number> };
}

const FIXTURES = ['stylegan2_synthesis', 'clip_vit', 'resnet18_audio'] as const;

/*
 * Forward: |ours - torch| <= ATOL + RTOL * |torch| element-wise. Torch's float32 results are within
 * ~1e-6 (relative to the output's scale) of its own float64 re-run (recorded in each fixture);
 * onnxruntime differs from torch only by summation order and fused kernels, errors of that order.
 * 1e-4 leaves two orders of margin for that, while a decoding or attribute bug (a wrong pad,
 * stride, axis or transposed weight) moves outputs by O(1) relative amounts.
 */
const FWD_ATOL = 1e-4;
const FWD_RTOL = 1e-4;
/*
 * Gradients: max |ours - torch| <= GRAD_TOL * max |torch|. The backward graph runs different
 * kernels than autograd (weight gradients as convolutions over the batch, transposed convolutions,
 * reductions in another order), so errors scale with the gradient's overall magnitude rather than
 * with each element: small elements come from cancelling sums of large terms. Torch's own float32
 * gradients are within ~1e-6 of float64; 1e-3 tolerates ordering noise while a wrong rule (missing
 * term, wrong transpose, wrong reduction axis) shows up as an O(1) fraction of the maximum.
 */
const GRAD_TOL = 1e-3;

function fixturePath(name: string, ext: 'onnx' | 'json'): URL {
  return new URL(`./fixtures/${name}.${ext}`, import.meta.url);
}

function loadFixture(name: string): { bytes: Uint8Array; fixture: Fixture } {
  // Read unconditionally: a missing fixture is a failure, never a skip.
  const bytes = new Uint8Array(readFileSync(fixturePath(name, 'onnx')));
  const fixture = JSON.parse(readFileSync(fixturePath(name, 'json'), 'utf8')) as Fixture;
  return { bytes, fixture };
}

function decodeTensor(t: EncodedTensor): HostTensor {
  const raw = Buffer.from(t.data, 'base64');
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const data = new Float32Array(raw.byteLength / 4);
  for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(4 * i, true);
  expect(data.length).toBe(t.dims.reduce((a, b) => a * b, 1));
  return { data, dims: t.dims };
}

function feedsOf(fixture: Fixture): Record<string, HostTensor> {
  return Object.fromEntries(Object.entries(fixture.inputs).map(([k, v]) => [k, decodeTensor(v)]));
}

/** Largest |actual - expected| / (atol + rtol * |expected|); <= 1 passes. */
function worstElementwise(actual: HostTensor, expected: HostTensor, atol: number, rtol: number): number {
  expect(actual.dims).toEqual(expected.dims);
  let worst = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const a = Number(actual.data[i]);
    const e = Number(expected.data[i]);
    const err = Math.abs(a - e) / (atol + rtol * Math.abs(e));
    worst = Number.isNaN(err) ? Infinity : Math.max(worst, err);
  }
  return worst;
}

/** max |actual - expected| / max |expected|. */
function relToMax(actual: HostTensor, expected: HostTensor): number {
  expect(actual.dims).toEqual(expected.dims);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const a = Number(actual.data[i]);
    const e = Number(expected.data[i]);
    diff = Number.isNaN(a) ? Infinity : Math.max(diff, Math.abs(a - e));
    scale = Math.max(scale, Math.abs(e));
  }
  return diff / scale;
}

function histogram(model: Model): Record<string, number> {
  const h: Record<string, number> = {};
  for (const n of model.graph.nodes) h[n.opType] = (h[n.opType] ?? 0) + 1;
  return h;
}

/** Appends loss = sum_k ReduceSum(output_k * R_k) to a freshly decoded model; returns its name. */
function appendLoss(model: Model, fixture: Fixture): string {
  const b = new GraphBuilder(model.graph);
  const terms = Object.keys(fixture.outputs).map((out) => {
    const proj = fixture.projections[out];
    if (!proj) throw new Error(`${fixture.name}: no projection recorded for output '${out}'`);
    const r = decodeTensor(proj);
    const weighted = b.op('Mul', [out, b.constF(r.data as Float32Array, r.dims, 'projection')]);
    return b.op('ReduceSum', [weighted], { keepdims: 0 });
  });
  return terms.length === 1 ? terms[0]! : b.op('Sum', terms);
}

describe.each(FIXTURES)('PyTorch reference: %s', (name) => {
  it('decodes to the exported graph and survives a re-encode', () => {
    const { bytes, fixture } = loadFixture(name);
    const model = decodeModel(bytes);
    expect(fixture.opset).toBe(17);
    expect(model.opsetImports.find((o) => o.domain === '')?.version).toBe(17);
    expect(histogram(model)).toEqual(fixture.opHistogram);
    expect(model.graph.inputs.map((v) => v.name)).toEqual(Object.keys(fixture.inputs));
    expect(model.graph.outputs.map((v) => v.name)).toEqual(Object.keys(fixture.outputs));
    const initializers = new Set(model.graph.initializers.map((t) => t.name));
    for (const w of fixture.wrt) {
      if (w.kind === 'initializer')
        expect(initializers.has(w.onnx), `initializer ${w.onnx} (${w.torch})`).toBe(true);
      else expect(w.onnx in fixture.inputs, `input ${w.onnx}`).toBe(true);
    }
    const again = decodeModel(encodeModel(model).model);
    expect(again.graph.nodes.length).toBe(model.graph.nodes.length);
    expect(again.graph.initializers.map((t) => [t.name, t.dims])).toEqual(
      model.graph.initializers.map((t) => [t.name, t.dims]),
    );
  });

  it('forward in onnxruntime matches torch', async () => {
    const { bytes, fixture } = loadFixture(name);
    const session = await createSession(encodeModel(decodeModel(bytes)).model);
    const result = await session.run(feedsOf(fixture));
    for (const [out, enc] of Object.entries(fixture.outputs)) {
      const actual = result[out];
      if (!actual) throw new Error(`${name}: onnxruntime returned no '${out}'`);
      expect(
        worstElementwise(actual, decodeTensor(enc), FWD_ATOL, FWD_RTOL),
        `output ${out}`,
      ).toBeLessThanOrEqual(1);
    }
  });

  it('gradients of sum(output * R) match torch autograd', async () => {
    const { bytes, fixture } = loadFixture(name);
    const model = decodeModel(bytes);
    const loss = appendLoss(model, fixture);
    const feeds = feedsOf(fixture);
    // torch.onnx writes no value_info for intermediates; shapes come from one probing run, as
    // GradientProgram does for real models.
    const shapes = await probeShapes(model, feeds);
    const grad = buildGradientGraph(model, { loss, wrt: fixture.wrt.map((w) => w.onnx), shapes });
    expect(grad.unconnected).toEqual([]);
    const session = await createSession(grad.model);
    const result = await session.run(feeds);
    const lossValue = Number(result[loss]?.data[0]);
    expect(Math.abs(lossValue - fixture.loss), 'loss').toBeLessThanOrEqual(
      FWD_ATOL + FWD_RTOL * Math.abs(fixture.loss),
    );
    for (const w of fixture.wrt) {
      const actual = result[grad.gradients[w.onnx]!];
      if (!actual)
        throw new Error(`${name}: gradient of '${w.onnx}' missing from the gradient graph's outputs`);
      expect(
        relToMax(actual, decodeTensor(w.gradient)),
        `d loss / d ${w.torch} (${w.onnx})`,
      ).toBeLessThanOrEqual(GRAD_TOL);
    }
  });
});
