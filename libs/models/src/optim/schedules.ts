import { checkCount, checkFraction, checkLr, checkRange, OptimizerConfigError } from './optimizer.ts';

/**
 * A learning rate as a function of the step index (0 for the first update). Pass its value to
 * `optimizer.step(grads, schedule(optimizer.stepCount))`; `stepCount` survives save/load, so a resumed
 * run continues the schedule where it stopped. Steps past a schedule's end hold its final value.
 */
export type LrSchedule = (step: number) => number;

function checkStep(step: number): number {
  if (typeof step !== 'number' || !Number.isFinite(step) || step < 0) {
    throw new OptimizerConfigError('step', `schedule step must be a finite number >= 0, got ${String(step)}`);
  }
  return step;
}

function checkFloor(minLr: number, lr: number): number {
  return checkRange('minLr', minLr, 0, lr);
}

/** Half a cosine from `hi` (phase 0) down to `lo` (phase 1). */
function cosineBetween(lo: number, hi: number, phase: number): number {
  return lo + ((hi - lo) * (1 + Math.cos(Math.PI * phase))) / 2;
}

export function constantLr(lr: number): LrSchedule {
  const base = checkLr('lr', lr, false);
  return (step) => {
    checkStep(step);
    return base;
  };
}

/**
 * Cosine annealing from `lr` at step 0 to `minLr` at `totalSteps`, then held at `minLr`
 * (PyTorch's CosineAnnealingLR closed form for step <= T_max, which would climb again after it).
 */
export function cosineAnnealingLr(opts: { lr: number; minLr?: number; totalSteps: number }): LrSchedule {
  const lr = checkLr('lr', opts.lr, false);
  const minLr = checkFloor(opts.minLr ?? 0, lr);
  const total = checkCount('totalSteps', opts.totalSteps, 1);
  return (step) => cosineBetween(minLr, lr, Math.min(checkStep(step) / total, 1));
}

/**
 * Cosine annealing restarted every `cycleSteps` steps (SGDR with a fixed cycle; PyTorch's
 * CosineAnnealingWarmRestarts with T_mult = 1): `lr` at each cycle start, falling towards `minLr`,
 * which the last step of a cycle approaches but does not reach.
 */
export function cyclicCosineLr(opts: { lr: number; minLr?: number; cycleSteps: number }): LrSchedule {
  const lr = checkLr('lr', opts.lr, false);
  const minLr = checkFloor(opts.minLr ?? 0, lr);
  const cycle = checkCount('cycleSteps', opts.cycleSteps, 1);
  return (step) => cosineBetween(minLr, lr, (checkStep(step) % cycle) / cycle);
}

/**
 * Linear warm-up in front of another schedule: for step < warmupSteps the rate rises linearly from
 * startFactor * inner(0) to inner(0); from then on it is inner(step - warmupSteps), so the inner
 * schedule keeps its whole shape (size its totalSteps as the run's total minus warmupSteps).
 * startFactor defaults to 0; a zero rate is a valid step (moments still advance).
 */
export function linearWarmup(
  inner: LrSchedule,
  opts: { warmupSteps: number; startFactor?: number },
): LrSchedule {
  if (typeof inner !== 'function')
    throw new OptimizerConfigError('inner', 'linearWarmup needs a schedule function to wrap');
  const warmup = checkCount('warmupSteps', opts.warmupSteps, 0);
  const start = checkRange('startFactor', opts.startFactor ?? 0, 0, 1);
  return (step) => {
    checkStep(step);
    if (step >= warmup) return inner(step - warmup);
    return inner(0) * (start + ((1 - start) * step) / warmup);
  };
}

/**
 * The latent-optimisation schedule of StyleCLIP's optimisation script (also used by the sound-guided
 * manipulation code), with t = step / totalSteps clamped to [0, 1]:
 *   ramp = min(1, (1 - t) / rampDown);  ramp = 0.5 - 0.5 cos(pi * ramp);  ramp *= min(1, t / rampUp)
 * so the rate is 0 at t = 0, rises linearly to `lr` by t = rampUp, holds, and falls along a half
 * cosine to 0 over the last rampDown of the run.
 */
export function styleClipLr(opts: {
  lr: number;
  totalSteps: number;
  rampDown?: number;
  rampUp?: number;
}): LrSchedule {
  const lr = checkLr('lr', opts.lr, false);
  const total = checkCount('totalSteps', opts.totalSteps, 1);
  const rampDown = checkFraction('rampDown', opts.rampDown ?? 0.25);
  const rampUp = checkFraction('rampUp', opts.rampUp ?? 0.05);
  return (step) => {
    const t = Math.min(checkStep(step) / total, 1);
    let ramp = Math.min(1, (1 - t) / rampDown);
    ramp = 0.5 - 0.5 * Math.cos(ramp * Math.PI);
    return lr * ramp * Math.min(1, t / rampUp);
  };
}
