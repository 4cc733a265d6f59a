/**
 * Intensity of an edit drawn on its own (the worlds' 'independent' sampling) from its uniform draw
 * `u`, so that a share `p` of samples shows the edit at intensity 0.25 or more.
 *
 * An exponential ramp exp(k (u - 1)) rather than a threshold max(0, (u - (1 - p)) / p): under a threshold most
 * latents map to "no edit" exactly, a generator regressed on such samples learns a flat region
 * there, and an edit that starts inside it gets no gradient towards the attribute (measured on
 * tiny-scenes: W-space edits stalled; with u^3 they reached fire and explosions). u^3 itself put
 * visible traces of several edits in most pictures; the ramp keeps the typical sample clean (p 0.2:
 * intensity 0.03 at the median draw, which the renderer fades to near nothing) while every latent
 * keeps a slope towards every edit.
 */
export function independentEditIntensity(u: number, p: number): number {
  if (!(p > 0)) return 0;
  if (p >= 1) return 1;
  const rate = -Math.log(VISIBLE) / p;
  return Math.exp(rate * (Math.min(1, u) - 1));
}

/** The intensity from which an edit counts as shown. */
const VISIBLE = 0.25;
