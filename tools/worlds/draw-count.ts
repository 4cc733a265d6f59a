import { Rng } from '@soundedit/models';

/** An Rng that counts its draws: the check that a world sampler is slot-stable. */
export class CountingRng extends Rng {
  draws = 0;

  override next(): number {
    this.draws++;
    return super.next();
  }
}

/** Draws made by each of `count` calls of `sample` on one stream. */
export function drawsPerSample(seed: number, count: number, sample: (rng: Rng) => unknown): number[] {
  const rng = new CountingRng(seed);
  return Array.from({ length: count }, () => {
    const before = rng.draws;
    sample(rng);
    return rng.draws - before;
  });
}
