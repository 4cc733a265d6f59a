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

export interface SgdOptions {
  lr: number;
  /** Default 0 (plain gradient descent, no buffer). */
  momentum?: number;
  /** Default 0; scales the new gradient by (1 - dampening) in the momentum update. */
  dampening?: number;
  /** L2 penalty added to the gradient: g + weightDecay * p. Default 0. */
  weightDecay?: number;
  /** Nesterov momentum; needs momentum > 0 and dampening 0. Default false. */
  nesterov?: boolean;
  /** Ascend instead of descend. Default false. */
  maximize?: boolean;
}

export type SgdHyper = Required<SgdOptions>;

const KEYS = ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize'] as const;
const MOMENTUM = 'momentumBuffer';

function sgdHyper(raw: Record<string, unknown>): SgdHyper {
  checkKnownKeys('SGD', raw, KEYS);
  const h: SgdHyper = {
    lr: checkLr('lr', raw.lr, false),
    momentum: checkRange('momentum', raw.momentum, 0, 1, true),
    dampening: checkRange('dampening', raw.dampening, 0, 1),
    weightDecay: checkRange('weightDecay', raw.weightDecay, 0, Infinity),
    nesterov: checkBool('nesterov', raw.nesterov),
    maximize: checkBool('maximize', raw.maximize),
  };
  if (h.nesterov && (h.momentum === 0 || h.dampening !== 0)) {
    throw new OptimizerConfigError('nesterov', 'nesterov needs momentum > 0 and dampening 0');
  }
  return h;
}

/**
 * Stochastic gradient descent with PyTorch's torch.optim.SGD semantics:
 *   d = g + weightDecay * p
 *   buf = d on a parameter's first update, else momentum * buf + (1 - dampening) * d
 *   d = nesterov ? d + momentum * buf : buf
 *   p -= lr * d
 */
export class SGD extends BaseOptimizer<SgdHyper> {
  readonly kind = 'sgd' as const;

  constructor(params: ParamMap, options: SgdOptions) {
    super(
      params,
      sgdHyper({ momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...options }),
    );
  }

  protected override update(p: Float32Array, g: Float32Array, slot: ParamSlot, lr: number): void {
    const { momentum, dampening, weightDecay, nesterov, maximize } = this.hyper;
    let buf = slot.buffers.get(MOMENTUM);
    const first = buf === undefined;
    if (momentum !== 0 && buf === undefined) {
      buf = new Float32Array(p.length);
      slot.buffers.set(MOMENTUM, buf);
    }
    // Round where PyTorch's float32 CPU kernels do: scalars are cast to float32, each tensor op rounds
    // (Math.fround, or the store into a Float32Array), and `a + alpha * b` rounds once because those
    // kernels compile to a fused multiply-add (a product of two float32 values is exact in a double).
    // This reproduces torch 1.13 bit for bit on the reference fixture.
    const f = Math.fround;
    const mom = f(momentum);
    const keep = f(1 - dampening);
    const wd = f(weightDecay);
    const negLr = f(-lr);
    for (let i = 0; i < p.length; i++) {
      let d = maximize ? -g[i]! : g[i]!;
      if (wd !== 0) d = f(d + wd * p[i]!);
      if (buf !== undefined) {
        buf[i] = first ? d : f(mom * buf[i]!) + keep * d;
        d = nesterov ? f(d + mom * buf[i]!) : buf[i]!;
      }
      p[i] = p[i]! + negLr * d;
    }
  }

  protected override bufferNames(hyper: SgdHyper, step: number): string[] {
    return hyper.momentum !== 0 && step > 0 ? [MOMENTUM] : [];
  }

  protected override hyperFromJson(json: Record<string, unknown>): SgdHyper {
    return sgdHyper(json);
  }
}
