import { Rng } from '@soundedit/models';
import type { SectionedRng } from '../worlds/draw-section.ts';

/** Standard normal CDF (Zelen & Severo's rational approximation, |error| < 7.5e-8). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly =
    t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = Math.exp(-0.5 * x * x) * 0.3989422804014327 * poly;
  return x >= 0 ? 1 - tail : tail;
}

/** Most uniforms a world sampler may draw from one latent. */
export const MAX_LATENT_DRAWS = 1024;

const projections = new Map<number, Float32Array>();

/** Fixed unit directions, one per draw: a seeded Gaussian matrix with normalised rows. */
function directions(dim: number): Float32Array {
  let a = projections.get(dim);
  if (!a) {
    a = new Rng(0x5eed + dim).fillNormal(new Float32Array(MAX_LATENT_DRAWS * dim));
    for (let k = 0; k < MAX_LATENT_DRAWS; k++) {
      let norm = 0;
      for (let i = 0; i < dim; i++) norm += a[k * dim + i]! ** 2;
      norm = Math.sqrt(norm);
      for (let i = 0; i < dim; i++) a[k * dim + i] = a[k * dim + i]! / norm;
    }
    projections.set(dim, a);
  }
  return a;
}

/**
 * A generator whose k-th uniform draw is Phi(a_k . z) for a fixed unit vector a_k: each draw is a
 * smooth function of the latent and uniform when z is standard normal. A world sampler driven by it
 * turns a latent into parameters through a fixed map, so a StyleGAN2 can be regressed onto the
 * renderer, and nearby latents give nearby pictures except where a discrete choice (a ground type,
 * a count) flips.
 *
 * Style mixing: given one latent per generator layer and `layerOf` (which layer owns a section of
 * the sampler's draws, see drawSection), each draw reads the latent of the layer that owns its
 * section. The picture of mixed latents then has a definite target: every group of parameters
 * comes from its own layer's latent, which is what lets a W+ code mean something layer by layer.
 */
export class LatentRng extends Rng implements SectionedRng {
  private k = 0;
  private readonly a: Float32Array;
  private readonly latents: readonly Float32Array[];
  private z: Float32Array;

  constructor(
    z: Float32Array | readonly Float32Array[],
    private readonly layerOf: (section: string) => number = () => 0,
  ) {
    super(0);
    this.latents = z instanceof Float32Array ? [z] : z;
    if (this.latents.length === 0 || this.latents.some((l) => l.length !== this.latents[0]!.length)) {
      throw new RangeError('LatentRng needs one or more latents of one length');
    }
    this.z = this.latents[0]!;
    this.a = directions(this.z.length);
  }

  enterSection(section: string): void {
    if (this.latents.length === 1) return;
    const layer = this.layerOf(section);
    const z = this.latents[layer];
    if (!z)
      throw new RangeError(
        `section '${section}' maps to layer ${layer}, outside 0..${this.latents.length - 1}`,
      );
    this.z = z;
  }

  override next(): number {
    if (this.k >= MAX_LATENT_DRAWS) {
      throw new RangeError(`the world sampler drew more than ${MAX_LATENT_DRAWS} values from one latent`);
    }
    let dot = 0;
    const d = this.z.length;
    for (let i = 0; i < d; i++) dot += this.a[this.k * d + i]! * this.z[i]!;
    this.k++;
    // Strictly inside (0, 1): samplers may take logs or use u as an exclusive upper bound.
    return Math.min(1 - 1e-7, Math.max(1e-7, normalCdf(dot)));
  }

  /** Draws used so far. */
  get used(): number {
    return this.k;
  }
}
