import type { Rng } from '@soundedit/models';

/**
 * An Rng that wants to know which group of parameters its next draws feed. Style-mixing training
 * (tools/packs/latent-rng.ts) gives each group its own generator layer and draws it from that
 * layer's latent; every other Rng ignores the marks.
 */
export interface SectionedRng {
  enterSection(section: string): void;
}

/** Marks that the next draws of `rng` feed `section` (a no-op for a plain Rng). */
export function drawSection(rng: Rng, section: string): void {
  (rng as Rng & Partial<SectionedRng>).enterSection?.(section);
}
