import {
  BaseOptimizer,
  checkBool,
  checkKnownKeys,
  checkLr,
  checkRange,
  OptimizerConfigError,
  type ParamMap,
  type ParamSlot,
} from './optimizer.ts';

export interface AdamOptions {
  /** Default 1e-3. */
  lr?: number;
  /** Default [0.9, 0.999]; each in [0, 1). */
  betas?: readonly [number, number];
  /** Added to the bias-corrected sqrt of the second moment. Default 1e-8; must be > 0. */
  eps?: number;
  /** Adam: L2 added to the gradient (default 0). AdamW: decoupled decay p *= 1 - lr * wd (default 1e-2). */
  weightDecay?: number;
  /** Normalise by the running maximum of the second moment. Default false. */
  amsgrad?: boolean;
  /** Ascend instead of descend. Default false. */
  maximize?: boolean;
}

export interface AdamHyper {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

const KEYS = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'] as const;
const EXP_AVG = 'expAvg';
const EXP_AVG_SQ = 'expAvgSq';
const MAX_EXP_AVG_SQ = 'maxExpAvgSq';

function adamHyper(what: string, raw: Record<string, unknown>): AdamHyper {
  checkKnownKeys(what, raw, KEYS);
  const betas = raw.betas;
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new OptimizerConfigError(
      'betas',
      `betas must be a pair [beta1, beta2], got ${JSON.stringify(betas)}`,
    );
  }
  return {
    lr: checkLr('lr', raw.lr, false),
    betas: [checkRange('betas[0]', betas[0], 0, 1, true), checkRange('betas[1]', betas[1], 0, 1, true)],
    // PyTorch accepts eps = 0, but then an element whose gradient has always been 0 becomes 0/0 = NaN.
    eps: checkLr('eps', raw.eps, false),
    weightDecay: checkRange('weightDecay', raw.weightDecay, 0, Infinity),
    amsgrad: checkBool('amsgrad', raw.amsgrad),
    maximize: checkBool('maximize', raw.maximize),
  };
}

/** Adam and AdamW differ only in how weight decay enters (L2 in the gradient vs decoupled). */
abstract class AdamBase extends BaseOptimizer<AdamHyper> {
  protected abstract readonly decoupled: boolean;

  protected constructor(what: string, params: ParamMap, options: AdamOptions, defaultWeightDecay: number) {
    const defaults = {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: defaultWeightDecay,
      amsgrad: false,
      maximize: false,
    };
    super(params, adamHyper(what, { ...defaults, ...options }));
  }

  protected override update(p: Float32Array, g: Float32Array, slot: ParamSlot, lr: number): void {
    const { betas, eps, weightDecay, amsgrad, maximize } = this.hyper;
    const m = this.buffer(slot, EXP_AVG, p.length);
    const v = this.buffer(slot, EXP_AVG_SQ, p.length);
    const vmax = amsgrad ? this.buffer(slot, MAX_EXP_AVG_SQ, p.length) : undefined;
    // Round where PyTorch's float32 CPU kernels do: scalars are cast to float32, each tensor op rounds
    // (Math.fround, or the store into a Float32Array), and `a + alpha * b` rounds once because those
    // kernels compile to a fused multiply-add (a product of two float32 values is exact in a double).
    // This reproduces torch 1.13 bit for bit on the reference fixture.
    const f = Math.fround;
    const [beta1, beta2] = betas;
    const b1 = f(beta1);
    const c1 = f(1 - beta1);
    const b2 = f(beta2);
    const c2 = f(1 - beta2);
    const negStepSize = f(-(lr / (1 - beta1 ** slot.step)));
    const bc2Sqrt = f(Math.sqrt(1 - beta2 ** slot.step));
    const epsF = f(eps);
    const decay = this.decoupled && weightDecay !== 0 ? f(1 - lr * weightDecay) : 1;
    const l2 = this.decoupled ? 0 : f(weightDecay);
    for (let i = 0; i < p.length; i++) {
      if (decay !== 1) p[i] = p[i]! * decay;
      let gi = maximize ? -g[i]! : g[i]!;
      if (l2 !== 0) gi = f(gi + l2 * p[i]!);
      m[i] = f(b1 * m[i]!) + c1 * gi;
      v[i] = f(b2 * v[i]!) + f(c2 * gi) * gi;
      let second = v[i]!;
      if (vmax !== undefined) {
        if (second > vmax[i]!) vmax[i] = second;
        second = vmax[i]!;
      }
      const denom = f(f(f(Math.sqrt(second)) / bc2Sqrt) + epsF);
      p[i] = p[i]! + f(f(negStepSize * m[i]!) / denom);
    }
  }

  private buffer(slot: ParamSlot, name: string, length: number): Float32Array {
    let buf = slot.buffers.get(name);
    if (buf === undefined) {
      buf = new Float32Array(length);
      slot.buffers.set(name, buf);
    }
    return buf;
  }

  protected override bufferNames(hyper: AdamHyper, step: number): string[] {
    if (step === 0) return [];
    return hyper.amsgrad ? [EXP_AVG, EXP_AVG_SQ, MAX_EXP_AVG_SQ] : [EXP_AVG, EXP_AVG_SQ];
  }
}

/**
 * Adam with PyTorch's torch.optim.Adam semantics (per-parameter step count, bias correction,
 * eps outside the square root, optional AMSGrad); weight decay is an L2 term added to the gradient.
 */
export class Adam extends AdamBase {
  readonly kind = 'adam' as const;
  protected readonly decoupled = false;

  constructor(params: ParamMap, options: AdamOptions = {}) {
    super('Adam', params, options, 0);
  }

  protected override hyperFromJson(json: Record<string, unknown>): AdamHyper {
    return adamHyper('Adam', json);
  }
}

/** AdamW with PyTorch's torch.optim.AdamW semantics: p *= 1 - lr * weightDecay before the Adam step. */
export class AdamW extends AdamBase {
  readonly kind = 'adamw' as const;
  protected readonly decoupled = true;

  constructor(params: ParamMap, options: AdamOptions = {}) {
    super('AdamW', params, options, 1e-2);
  }

  protected override hyperFromJson(json: Record<string, unknown>): AdamHyper {
    return adamHyper('AdamW', json);
  }
}
