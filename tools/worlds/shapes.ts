/**
 * Shapes as signed distance functions in canvas units (negative inside). The rasteriser turns the
 * distance at each pixel centre into coverage, which antialiases every edge without supersampling,
 * and union/intersection/difference are just min/max, so compound shapes (a cloud made of puffs, a
 * crescent moon) blend once instead of darkening where their parts overlap.
 *
 * Distance functions run once per covered pixel, so they use Math.sqrt rather than Math.hypot
 * (several times slower in V8) and allocate nothing.
 */

export type Point = readonly [number, number];

export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Shape {
  /** Covers every point with distance <= 0. */
  readonly bounds: Bounds;
  distance(x: number, y: number): number;
  /**
   * How much faster than a true distance this one can change (1 when absent). The rasteriser
   * skips pixels whose coverage cannot change, and needs this to stay right for warped outlines.
   */
  readonly lipschitz?: number;
}

function lipschitzOf(...shapes: Shape[]): number | undefined {
  const k = Math.max(...shapes.map((s) => s.lipschitz ?? 1));
  return k > 1 ? k : undefined;
}

function boundsOf(points: readonly Point[], pad = 0): Bounds {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of points) {
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  return { x0: x0 - pad, y0: y0 - pad, x1: x1 + pad, y1: y1 + pad };
}

export function circle(cx: number, cy: number, r: number): Shape {
  return {
    bounds: { x0: cx - r, y0: cy - r, x1: cx + r, y1: cy + r },
    distance: (x, y) => Math.sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) - r,
  };
}

/**
 * Ellipse, optionally rotated by `angle` radians. The distance is the implicit function divided by
 * its gradient: exact on the outline (all antialiasing needs) and monotone away from it.
 */
export function ellipse(cx: number, cy: number, rx: number, ry: number, angle = 0): Shape {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const ex = Math.hypot(rx * cos, ry * sin);
  const ey = Math.hypot(rx * sin, ry * cos);
  return {
    bounds: { x0: cx - ex, y0: cy - ey, x1: cx + ex, y1: cy + ey },
    distance: (x, y) => {
      const dx = x - cx;
      const dy = y - cy;
      const lx = (dx * cos + dy * sin) / rx;
      const ly = (-dx * sin + dy * cos) / ry;
      const k = Math.sqrt(lx * lx + ly * ly);
      if (k < 1e-9) return -Math.min(rx, ry);
      const gx = lx / rx;
      const gy = ly / ry;
      const g = Math.sqrt(gx * gx + gy * gy) / k;
      return (k - 1) / g;
    },
  };
}

/** Axis-aligned rectangle with optionally rounded corners. */
export function rect(x0: number, y0: number, x1: number, y1: number, radius = 0): Shape {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const hx = Math.abs(x1 - x0) / 2 - radius;
  const hy = Math.abs(y1 - y0) / 2 - radius;
  return {
    bounds: { x0: Math.min(x0, x1), y0: Math.min(y0, y1), x1: Math.max(x0, x1), y1: Math.max(y0, y1) },
    distance: (x, y) => {
      const qx = Math.abs(x - cx) - hx;
      const qy = Math.abs(y - cy) - hy;
      const ox = qx > 0 ? qx : 0;
      const oy = qy > 0 ? qy : 0;
      const outside = Math.sqrt(ox * ox + oy * oy);
      return outside + Math.min(Math.max(qx, qy), 0) - radius;
    },
  };
}

/** Simple polygon (even-odd fill), any winding. */
export function polygon(points: readonly Point[]): Shape {
  const n = points.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  points.forEach(([x, y], i) => {
    xs[i] = x;
    ys[i] = y;
  });
  return {
    bounds: boundsOf(points),
    distance: (x, y) => {
      let best = Infinity;
      let inside = false;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const ax = xs[j]!;
        const ay = ys[j]!;
        const ex = xs[i]! - ax;
        const ey = ys[i]! - ay;
        const wx = x - ax;
        const wy = y - ay;
        const t = Math.min(1, Math.max(0, (wx * ex + wy * ey) / (ex * ex + ey * ey || 1)));
        const dx = wx - ex * t;
        const dy = wy - ey * t;
        const d2 = dx * dx + dy * dy;
        if (d2 < best) best = d2;
        if (ay > y !== ys[i]! > y && x < (ex * (y - ay)) / ey + ax) inside = !inside;
      }
      const d = Math.sqrt(best);
      return inside ? -d : d;
    },
  };
}

/**
 * A stroke through `points` whose half width goes linearly from `w0` at the first point to `w1` at
 * the last (tapered strokes make flames, brows and grass blades read as organic).
 */
export function polyline(points: readonly Point[], w0: number, w1 = w0): Shape {
  const n = points.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const ws = new Float64Array(n);
  let total = 0;
  const lengths = [0];
  for (let i = 1; i < n; i++) {
    total += Math.hypot(points[i]![0] - points[i - 1]![0], points[i]![1] - points[i - 1]![1]);
    lengths.push(total);
  }
  points.forEach(([x, y], i) => {
    xs[i] = x;
    ys[i] = y;
    ws[i] = w0 + (w1 - w0) * (total > 0 ? lengths[i]! / total : 0);
  });
  return {
    bounds: boundsOf(points, Math.max(w0, w1)),
    distance: (x, y) => {
      let best = Infinity;
      for (let i = 1; i < n; i++) {
        const ax = xs[i - 1]!;
        const ay = ys[i - 1]!;
        const ex = xs[i]! - ax;
        const ey = ys[i]! - ay;
        const wx = x - ax;
        const wy = y - ay;
        const t = Math.min(1, Math.max(0, (wx * ex + wy * ey) / (ex * ex + ey * ey || 1)));
        const dx = wx - ex * t;
        const dy = wy - ey * t;
        const d = Math.sqrt(dx * dx + dy * dy) - (ws[i - 1]! + (ws[i]! - ws[i - 1]!) * t);
        if (d < best) best = d;
      }
      return best;
    },
  };
}

export function segment(a: Point, b: Point, halfWidth: number): Shape {
  return polyline([a, b], halfWidth);
}

/** Points along a quadratic Bezier curve, for strokes and for polygon outlines. */
export function quadPoints(p0: Point, p1: Point, p2: Point, steps = 12): Point[] {
  const out: Point[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const u = 1 - t;
    out.push([
      u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0],
      u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1],
    ]);
  }
  return out;
}

/** A (tapered) stroke along a quadratic Bezier curve. */
export function quadCurve(p0: Point, p1: Point, p2: Point, w0: number, w1 = w0, steps = 12): Shape {
  return polyline(quadPoints(p0, p1, p2, steps), w0, w1);
}

/**
 * The region below a ridge line y = ridge(x) down to `bottom` (y grows downwards), for terrain. The
 * ridge is tabulated once; dividing the vertical gap by the slope's secant gives a true distance,
 * so steep mountain flanks antialias as well as flat ones.
 */
export function belowRidge(x0: number, x1: number, ridge: (x: number) => number, bottom: number): Shape {
  const samples = 512;
  const table = new Float64Array(samples + 1);
  let top = Infinity;
  for (let i = 0; i <= samples; i++) {
    const v = ridge(x0 + ((x1 - x0) * i) / samples);
    table[i] = v;
    if (v < top) top = v;
  }
  const step = (x1 - x0) / samples;
  return {
    bounds: { x0, y0: top, x1, y1: bottom },
    distance: (x, y) => {
      const f = Math.min(samples - 1e-9, Math.max(0, (x - x0) / step));
      const i = Math.floor(f);
      const a = table[i]!;
      const b = table[i + 1]!;
      const h = a + (b - a) * (f - i);
      const slope = (b - a) / step;
      const edge = (h - y) / Math.sqrt(1 + slope * slope);
      return Math.max(edge, y - bottom, x0 - x, x - x1);
    },
  };
}

export function union(...shapes: Shape[]): Shape {
  return {
    lipschitz: lipschitzOf(...shapes),
    bounds: {
      x0: Math.min(...shapes.map((s) => s.bounds.x0)),
      y0: Math.min(...shapes.map((s) => s.bounds.y0)),
      x1: Math.max(...shapes.map((s) => s.bounds.x1)),
      y1: Math.max(...shapes.map((s) => s.bounds.y1)),
    },
    distance: (x, y) => {
      let d = Infinity;
      for (const s of shapes) {
        const b = s.bounds;
        // A part is never nearer than its box, so a box farther than the best so far cannot win.
        if (Math.max(b.x0 - x, x - b.x1, b.y0 - y, y - b.y1) >= d) continue;
        const v = s.distance(x, y);
        if (v < d) d = v;
      }
      return d;
    },
  };
}

export function intersect(a: Shape, b: Shape): Shape {
  return {
    lipschitz: lipschitzOf(a, b),
    bounds: {
      x0: Math.max(a.bounds.x0, b.bounds.x0),
      y0: Math.max(a.bounds.y0, b.bounds.y0),
      x1: Math.min(a.bounds.x1, b.bounds.x1),
      y1: Math.min(a.bounds.y1, b.bounds.y1),
    },
    distance: (x, y) => Math.max(a.distance(x, y), b.distance(x, y)),
  };
}

/** `a` with `b` cut out of it. */
export function subtract(a: Shape, b: Shape): Shape {
  return {
    lipschitz: lipschitzOf(a, b),
    bounds: a.bounds,
    distance: (x, y) => Math.max(a.distance(x, y), -b.distance(x, y)),
  };
}

/**
 * Moves the outline by up to `amount` with a smooth field in [0, 1], for ragged flames, tissue and
 * fireballs. `steepness` bounds the field's slope per canvas unit (about its noise frequency).
 */
export function roughen(
  shape: Shape,
  amount: number,
  field: (x: number, y: number) => number,
  steepness: number,
): Shape {
  const b = shape.bounds;
  return {
    lipschitz: (shape.lipschitz ?? 1) + 2 * amount * steepness,
    bounds: { x0: b.x0 - amount, y0: b.y0 - amount, x1: b.x1 + amount, y1: b.y1 + amount },
    distance: (x, y) => shape.distance(x, y) - amount * (2 * field(x, y) - 1),
  };
}
