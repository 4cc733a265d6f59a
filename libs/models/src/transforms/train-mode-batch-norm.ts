import { floatAttr, intAttr } from '../builder/attributes.ts';
import { GraphBuilder } from '../builder/graph-builder.ts';
import { DataType, modelOpset, type Graph, type Model, type Node } from '../onnx/ir.ts';
import type { HostData } from '../runtime/host-tensor.ts';

export type BatchNormTransformErrorCode =
  | 'NOT_BATCH_NORM'
  | 'TRAINING_MODE'
  | 'RUNNING_STATS_NOT_INITIALIZERS'
  | 'UNSUPPORTED_DTYPE'
  | 'UNSUPPORTED_RANK'
  | 'UNSUPPORTED_OPSET'
  | 'MISSING_STATS'
  | 'STATS_MISMATCH'
  | 'NON_FINITE_STATS'
  | 'BAD_MOMENTUM';

/** A BatchNormalization node the transform cannot rewrite, or batch statistics that do not fit the running ones. */
export class BatchNormTransformError extends Error {
  override name = 'BatchNormTransformError';
  constructor(
    readonly code: BatchNormTransformErrorCode,
    /** The node or tensor the problem is about. */
    readonly subject: string,
    message: string,
  ) {
    super(message);
  }
}

export interface BatchNormStatsLink {
  /** Name of the original BatchNormalization node. */
  node: string;
  /** Initializer holding its running mean (e.g. 'feature_extractor.bn1.running_mean'). */
  runningMean: string;
  /** Initializer holding its running variance. */
  runningVar: string;
  /** Graph output: this batch's per-channel mean [C]. */
  batchMean: string;
  /** Graph output: this batch's per-channel unbiased variance [C], the one torch folds into running_var. */
  batchVar: string;
}

export interface TrainModeBatchNorm {
  model: Model;
  stats: BatchNormStatsLink[];
}

export interface TrainModeBatchNormOptions {
  /** Rewrite only these BatchNormalization nodes (by node name); default every one in the main graph. */
  nodes?: readonly string[];
}

/** ReduceSum takes its axes as an input from opset 13; the run-time axes path needs that. */
const MIN_OPSET = 13;

const RANK_FROM_WEIGHT = new Set(['Conv', 'ConvTranspose']);

/**
 * The rank of `x` when the graph states it: a declared shape (symbolic dims are fine), or a Conv
 * whose weight is an initializer, whose output has the weight's rank. Undefined means the rewrite
 * computes the reduction axes at run time instead.
 */
function staticRank(graph: Graph, producers: ReadonlyMap<string, Node>, x: string): number | undefined {
  const declared = [...graph.inputs, ...graph.valueInfo, ...graph.outputs].find((v) => v.name === x);
  if (declared?.shape) return declared.shape.length;
  const producer = producers.get(x);
  if (producer && RANK_FROM_WEIGHT.has(producer.opType) && producer.outputs[0] === x) {
    const weight = graph.initializers.find((t) => t.name === producer.inputs[1]);
    if (weight) return weight.dims.length;
  }
  return undefined;
}

function checkRewritable(node: Node, graph: Graph): { channels: number } {
  const label = node.name || node.outputs[0] || '(unnamed)';
  if (
    intAttr(node.attributes, 'training_mode', 0) !== 0 ||
    node.outputs.slice(1).some((o) => o !== '') ||
    node.inputs.length !== 5
  ) {
    throw new BatchNormTransformError(
      'TRAINING_MODE',
      label,
      `BatchNormalization '${label}' is not in inference form (training_mode=0, 5 inputs, one output); it already uses batch statistics or is malformed`,
    );
  }
  const [, , , mean, variance] = node.inputs as [string, string, string, string, string];
  const stats = [mean, variance].map((name) => graph.initializers.find((t) => t.name === name));
  const inputNames = new Set(graph.inputs.map((v) => v.name));
  stats.forEach((t, k) => {
    const name = k === 0 ? mean : variance;
    if (!t || inputNames.has(name)) {
      throw new BatchNormTransformError(
        'RUNNING_STATS_NOT_INITIALIZERS',
        label,
        `BatchNormalization '${label}': running ${k === 0 ? 'mean' : 'var'} '${name}' is not an initializer (or is overridable as a graph input); the train-mode rewrite keeps running statistics as initializers updated by updateRunningStats`,
      );
    }
    if (t.dataType !== DataType.FLOAT || t.dims.length !== 1) {
      throw new BatchNormTransformError(
        'UNSUPPORTED_DTYPE',
        label,
        `BatchNormalization '${label}': running statistic '${name}' must be a float32 vector [C] (got data type ${t.dataType}, dims [${t.dims.join(', ')}])`,
      );
    }
  });
  return { channels: stats[0]!.dims[0]! };
}

/**
 * Rewrites every BatchNormalization (inference form: 5 inputs, training_mode absent or 0) as
 * normalisation by the batch's own statistics, as torch.nn.BatchNorm*d does in train():
 * y = (x - mean) / sqrt(var + eps) * scale + bias with mean and biased var over every axis but 1.
 * Only ops with gradient rules are emitted, so the result differentiates through the batch
 * statistics. Scale and bias stay where they were (trainable); the running statistics stay
 * initializers that no node reads any more, and each node's batch mean and unbiased variance
 * become graph outputs to fetch and fold in with `updateRunningStats`. The input model is not
 * modified; every other node, tensor name and output is kept as it was.
 */
export function toTrainModeBatchNorm(
  model: Model,
  options: TrainModeBatchNormOptions = {},
): TrainModeBatchNorm {
  const source = model.graph;
  const bnNodes = source.nodes.filter((n) => n.opType === 'BatchNormalization' && n.domain === '');
  let targets: Set<Node>;
  if (options.nodes) {
    targets = new Set();
    for (const name of options.nodes) {
      const found = source.nodes.find((n) => n.name === name);
      if (!found || found.opType !== 'BatchNormalization' || found.domain !== '') {
        throw new BatchNormTransformError(
          'NOT_BATCH_NORM',
          name,
          found
            ? `node '${name}' is a ${found.opType}, not a BatchNormalization`
            : `no node named '${name}' in graph '${source.name}'`,
        );
      }
      targets.add(found);
    }
  } else targets = new Set(bnNodes);

  const channelsOf = new Map<Node, number>();
  for (const node of targets) channelsOf.set(node, checkRewritable(node, source).channels);
  if (targets.size > 0 && modelOpset(model) < MIN_OPSET) {
    throw new BatchNormTransformError(
      'UNSUPPORTED_OPSET',
      source.name,
      `the train-mode rewrite needs opset ${MIN_OPSET} or later (ReduceSum with an axes input); the model declares ${modelOpset(model)}`,
    );
  }

  const graph: Graph = {
    ...source,
    nodes: [...source.nodes],
    inputs: [...source.inputs],
    outputs: [...source.outputs],
    initializers: [...source.initializers],
    valueInfo: [...source.valueInfo],
  };
  const producers = new Map<string, Node>();
  for (const n of source.nodes) for (const o of n.outputs) if (o) producers.set(o, n);
  // The builder learns every existing name first, then the nodes are re-emitted in order so each
  // replacement sits where its BatchNormalization was.
  const b = new GraphBuilder(graph);
  graph.nodes = [];
  // A node whose output keeps a chosen name (the BN's own output, the statistics outputs).
  const emit = (opType: string, inputs: string[], output: string): void => {
    graph.nodes.push({
      opType,
      inputs,
      outputs: [output],
      name: b.fresh(opType),
      domain: '',
      attributes: {},
    });
  };

  const stats: BatchNormStatsLink[] = [];
  for (const node of source.nodes) {
    if (!targets.has(node)) {
      graph.nodes.push({ ...node, inputs: [...node.inputs], outputs: [...node.outputs] });
      continue;
    }
    const channels = channelsOf.get(node)!;
    const [x, scale, bias, runningMean, runningVar] = node.inputs as [string, string, string, string, string];
    const y = node.outputs[0]!;
    const rank = staticRank(source, producers, x);
    if (rank !== undefined && rank < 2) {
      throw new BatchNormTransformError(
        'UNSUPPORTED_RANK',
        node.name || y,
        `BatchNormalization '${node.name || y}': input '${x}' has rank ${rank}; batch statistics need [N, C, ...]`,
      );
    }
    const epsilon = floatAttr(node.attributes, 'epsilon', 1e-5);
    const link = b.scope(node.name || y, () => {
      let axes: string;
      if (rank !== undefined) axes = b.constI64([0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)]);
      else {
        // Rank known only at run time: axes = [0, 2, 3, ..., rank - 1].
        const runtimeRank = b.op('Size', [b.op('Shape', [x])]);
        const spatial = b.op('Range', [b.constI64([2], []), runtimeRank, b.constI64([1], [])]);
        axes = b.op('Concat', [b.constI64([0]), spatial], { axis: 0 });
      }
      // Elements per channel, N * D1 * ... * Dk: read at run time because the batch is symbolic.
      const count = b.op('Div', [
        b.op('Cast', [b.op('Size', [x])], { to: DataType.FLOAT }),
        b.scalarF(channels),
      ]);
      const meanOver = (t: string): string =>
        b.op('Div', [b.op('ReduceSum', [t, axes], { keepdims: 1 }), count]);
      const mean = meanOver(x);
      const centred = b.op('Sub', [x, mean]);
      const variance = meanOver(b.op('Mul', [centred, centred]));
      // [C] -> [1, C, 1, ...]: the reduced statistics already have that shape.
      const channelShape =
        rank !== undefined ? b.constI64([1, -1, ...Array<number>(rank - 2).fill(1)]) : b.op('Shape', [mean]);
      const perChannel = (v: string): string => b.op('Reshape', [v, channelShape]);
      const factor = b.op('Div', [
        perChannel(scale),
        b.op('Sqrt', [b.op('Add', [variance, b.scalarF(epsilon)])]),
      ]);
      emit('Add', [b.op('Mul', [centred, factor]), perChannel(bias)], y);

      const flat = b.constI64([-1]);
      const batchMean = b.fresh('batch_mean');
      emit('Reshape', [mean, flat], batchMean);
      const bessel = b.op('Div', [count, b.op('Sub', [count, b.scalarF(1)])]);
      const batchVar = b.fresh('batch_var');
      emit('Reshape', [b.op('Mul', [variance, bessel]), flat], batchVar);
      return { node: node.name, runningMean, runningVar, batchMean, batchVar };
    });
    graph.outputs.push(
      { name: link.batchMean, elemType: DataType.FLOAT, shape: [channels] },
      { name: link.batchVar, elemType: DataType.FLOAT, shape: [channels] },
    );
    stats.push(link);
  }
  return { model: { ...model, graph }, stats };
}

/**
 * torch's running-statistics update after a train-mode step, in place on `params`:
 * running = (1 - momentum) * running + momentum * batch, for the mean and (unbiased) variance of
 * every link. `outputs` holds the fetched batch statistics (e.g. a GradientProgram step's
 * `outputs`, compiled with the links' batchMean/batchVar in `fetch`). Everything is checked before
 * anything changes, so a bad batch leaves every running statistic as it was.
 */
export function updateRunningStats(
  params: Record<string, Float32Array>,
  stats: readonly BatchNormStatsLink[],
  outputs: Readonly<Record<string, { readonly data: HostData }>>,
  momentum = 0.1,
): void {
  if (!(momentum >= 0 && momentum <= 1)) {
    throw new BatchNormTransformError(
      'BAD_MOMENTUM',
      String(momentum),
      `momentum must be in [0, 1], got ${momentum}`,
    );
  }
  const pairs: { running: Float32Array; batch: Float32Array | Float64Array }[] = [];
  for (const link of stats) {
    for (const [runningName, batchName] of [
      [link.runningMean, link.batchMean],
      [link.runningVar, link.batchVar],
    ] as const) {
      const running = params[runningName];
      if (!running) {
        throw new BatchNormTransformError(
          'MISSING_STATS',
          runningName,
          `no running statistic '${runningName}' among the parameters given (BatchNormalization '${link.node}')`,
        );
      }
      const batch = outputs[batchName]?.data;
      if (!batch) {
        throw new BatchNormTransformError(
          'MISSING_STATS',
          batchName,
          `batch statistic '${batchName}' was not fetched (BatchNormalization '${link.node}'); add it to the step's fetch list`,
        );
      }
      if (
        !(batch instanceof Float32Array || batch instanceof Float64Array) ||
        batch.length !== running.length
      ) {
        throw new BatchNormTransformError(
          'STATS_MISMATCH',
          batchName,
          `batch statistic '${batchName}' must be ${running.length} float values to update '${runningName}'`,
        );
      }
      const bad = batch.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        throw new BatchNormTransformError(
          'NON_FINITE_STATS',
          batchName,
          `batch statistic '${batchName}' is ${batch[bad]} at channel ${bad} (a channel of one element has no unbiased variance); no running statistic was updated`,
        );
      }
      pairs.push({ running, batch });
    }
  }
  for (const { running, batch } of pairs) {
    for (let c = 0; c < running.length; c++) running[c] = (1 - momentum) * running[c]! + momentum * batch[c]!;
  }
}
