import type { RgbImage } from '@soundedit/core';
import { Rng } from '@soundedit/models';
import { drawsPerSample } from '../draw-count.ts';
import { describe, expect, it } from 'vitest';
import { WorldParamsError } from '../errors.ts';
import {
  captionFace,
  checkFaceParams,
  FACE_EXPRESSION_NAMES,
  FACE_VIEW,
  faceLayout,
  renderFace,
  sampleFaceIdentity,
  sampleFaceParams,
  withExpression,
  type FaceExpressionName,
  type FaceParams,
} from './index.ts';

const SIZE = 64;

/** A region of the portrait in canvas units, as a predicate on pixel centres. */
type Region = (x: number, y: number) => boolean;

/** Canvas-unit position of each pixel centre under the portrait framing. */
function pixelCentre(px: number, py: number): [number, number] {
  const scale = SIZE * FACE_VIEW.zoom;
  return [
    FACE_VIEW.centerX - SIZE / 2 / scale + (px + 0.5) / scale,
    FACE_VIEW.centerY - SIZE / 2 / scale + (py + 0.5) / scale,
  ];
}

/** Sum of |a - b| over the region and over the whole image. */
function diffIn(a: RgbImage, b: RgbImage, region: Region): { inside: number; total: number; pixels: number } {
  const n = SIZE * SIZE;
  let inside = 0;
  let total = 0;
  let pixels = 0;
  for (let i = 0; i < n; i++) {
    const [x, y] = pixelCentre(i % SIZE, Math.floor(i / SIZE));
    let d = 0;
    for (let c = 0; c < 3; c++) d += Math.abs(a.data[c * n + i]! - b.data[c * n + i]!);
    total += d;
    if (region(x, y)) {
      inside += d;
      pixels++;
    }
  }
  return { inside, total, pixels };
}

function countIn(img: RgbImage, region: Region, test: (r: number, g: number, b: number) => boolean): number {
  const n = SIZE * SIZE;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const [x, y] = pixelCentre(i % SIZE, Math.floor(i / SIZE));
    if (region(x, y) && test(img.data[i]!, img.data[n + i]!, img.data[2 * n + i]!)) count++;
  }
  return count;
}

const nearWhite = (r: number, g: number, b: number) =>
  r > 0.85 && g > 0.85 && b > 0.8 && Math.max(r, g, b) - Math.min(r, g, b) < 0.1;

function neutralFaces(count: number, seed = 31): FaceParams[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => sampleFaceParams(rng, { expressionProbability: 0 }));
}

describe('renderFace', () => {
  it('is deterministic: the same parameters give identical pixels', () => {
    const [params] = neutralFaces(1);
    const sobbing = withExpression(params!, { sobbing: 0.8 });
    expect(renderFace(sobbing, SIZE).data).toEqual(renderFace(sobbing, SIZE).data);
    expect(renderFace(sampleFaceParams(new Rng(9)), SIZE).data).toEqual(
      renderFace(sampleFaceParams(new Rng(9)), SIZE).data,
    );
  });

  it('gives values in [0, 1] without NaN', () => {
    const rng = new Rng(4);
    for (let k = 0; k < 12; k++) {
      const img = renderFace(
        sampleFaceParams(rng, {
          expression: { giggling: rng.next(), sobbing: rng.next(), nose_blowing: rng.next() },
        }),
        SIZE,
      );
      expect(img.data.filter((v) => !(v >= 0 && v <= 1)).length).toBe(0);
    }
  });

  it('gives different people for different seeds', () => {
    const [a, b] = neutralFaces(2);
    const d = diffIn(renderFace(a!, SIZE), renderFace(b!, SIZE), () => true);
    expect(d.total / (3 * SIZE * SIZE)).toBeGreaterThan(0.05);
  });

  it('refuses bad parameters with a typed error', () => {
    const [params] = neutralFaces(1);
    expect(() => renderFace(withExpression(params!, { sobbing: -0.1 }), SIZE)).toThrow(WorldParamsError);
    const odd = { ...params!, identity: { ...params!.identity, skinTone: Number.NaN } };
    expect(() => renderFace(odd, SIZE)).toThrow(/skinTone/);
  });
});

describe('expressions', () => {
  const faces = neutralFaces(6);

  it('change the face inside its features, not the hair, outline or backdrop', () => {
    for (const params of faces) {
      const l = faceLayout(params.identity);
      const features: Region = (x, y) =>
        Math.abs(x - l.cx) < l.halfWidth * 0.95 && y > l.browY - 0.06 && y < l.chin + 0.02;
      const neutral = renderFace(params, SIZE);
      for (const name of ['giggling', 'sobbing'] as const) {
        const d = diffIn(neutral, renderFace(withExpression(params, { [name]: 1 }), SIZE), features);
        expect(d.inside / d.total, name).toBeGreaterThan(0.9);
      }
      // The tissue comes with hands, which reach below the chin; nothing changes above the brows.
      const below: Region = (_x, y) => y > l.browY - 0.06;
      const blow = diffIn(neutral, renderFace(withExpression(params, { nose_blowing: 1 }), SIZE), below);
      expect(blow.inside / blow.total).toBeGreaterThan(0.95);
    }
  });

  it('nose blowing puts a white tissue over the nose', () => {
    for (const params of faces) {
      const l = faceLayout(params.identity);
      const nose: Region = (x, y) => Math.abs(x - l.cx) < 0.06 && y > l.noseY - 0.02 && y < l.noseY + 0.04;
      const before = countIn(renderFace(params, SIZE), nose, nearWhite);
      const after = countIn(renderFace(withExpression(params, { nose_blowing: 1 }), SIZE), nose, nearWhite);
      const area = countIn(renderFace(params, SIZE), nose, () => true);
      expect(before).toBeLessThan(area * 0.05);
      expect(after).toBeGreaterThan(area * 0.5);
    }
  });

  it('sobbing runs tears down the cheeks', () => {
    for (const params of faces) {
      const l = faceLayout(params.identity);
      const cheeks: Region = (x, y) => {
        const dx = Math.abs(x - l.cx);
        return (
          dx > l.eyeDx - l.eyeHalfWidth &&
          dx < l.eyeDx + l.eyeHalfWidth * 1.5 &&
          y > l.eyeY + 0.03 &&
          y < l.eyeY + 0.22
        );
      };
      const bluish = (r: number, _g: number, b: number) => b > r + 0.05;
      expect(countIn(renderFace(params, SIZE), cheeks, bluish)).toBe(0);
      expect(
        countIn(renderFace(withExpression(params, { sobbing: 1 }), SIZE), cheeks, bluish),
      ).toBeGreaterThan(6);
    }
  });

  it('giggling opens the mouth to show teeth', () => {
    for (const params of faces) {
      const l = faceLayout(params.identity);
      const mouth: Region = (x, y) =>
        Math.abs(x - l.cx) < l.mouthHalfWidth * 1.3 && Math.abs(y - l.mouthY) < 0.06;
      expect(countIn(renderFace(params, SIZE), mouth, nearWhite)).toBe(0);
      expect(
        countIn(renderFace(withExpression(params, { giggling: 1 }), SIZE), mouth, nearWhite),
      ).toBeGreaterThan(2);
    }
  });

  it('keep the identity: hair and outline change far less than between two people', () => {
    const rng = new Rng(77);
    for (let k = 0; k < 6; k++) {
      const a = sampleFaceParams(rng, { expressionProbability: 0 });
      const b = sampleFaceParams(rng, { expressionProbability: 0 });
      const l = faceLayout(a.identity);
      // Above the brows (hair, hat, forehead) and beside the face (ears, hair, backdrop).
      const hairAndOutline: Region = (x, y) =>
        y < l.browY - 0.05 || (Math.abs(x - l.cx) > l.halfWidth + 0.01 && y < l.noseY);
      const neutralA = renderFace(a, SIZE);
      const between = diffIn(neutralA, renderFace(b, SIZE), hairAndOutline).inside;
      for (const name of FACE_EXPRESSION_NAMES) {
        const within = diffIn(
          neutralA,
          renderFace(withExpression(a, { [name]: 1 }), SIZE),
          hairAndOutline,
        ).inside;
        expect(within, name).toBeLessThan(0.1 * between);
      }
    }
  });
});

describe('sampleFaceParams', () => {
  it('samples parameters that pass its own checks', () => {
    const rng = new Rng(8);
    for (let i = 0; i < 200; i++) expect(() => checkFaceParams(sampleFaceParams(rng))).not.toThrow();
  });

  it('makes the same draws for every face, whatever its branches', () => {
    const plain = drawsPerSample(4, 300, (rng) => sampleFaceParams(rng));
    const fixed = drawsPerSample(5, 50, (rng) =>
      sampleFaceParams(rng, { detailSeed: 3, expressionProbability: 1 }),
    );
    expect(new Set([...plain, ...fixed]).size).toBe(1);
  });

  it('uses a given detail seed for identity and backdrop and leaves the rest as drawn', () => {
    const drawn = sampleFaceParams(new Rng(21));
    const fixed = sampleFaceParams(new Rng(21), { detailSeed: 99 });
    expect(fixed).toEqual({
      ...drawn,
      identity: { ...drawn.identity, seed: 99 },
      background: { ...drawn.background, seed: 99 },
    });
  });

  it('keeps a given identity and forces expressions on request', () => {
    const rng = new Rng(12);
    const identity = sampleFaceIdentity(rng);
    for (let k = 0; k < 10; k++) {
      const p = sampleFaceParams(rng, { identity, expression: { sobbing: 0.5 }, expressionProbability: 0 });
      expect(p.identity).toBe(identity);
      expect(p.expression).toEqual({ giggling: 0, sobbing: 0.5, nose_blowing: 0 });
    }
  });
});

const MENTIONS: Record<FaceExpressionName, RegExp> = {
  giggling: /\b(laugh\w*|giggl\w*|smil\w*|grin\w*|beaming|cheerful)\b/,
  sobbing: /\b(cry\w*|sobb\w*|tear\w*|weep\w*|sad)\b/,
  nose_blowing: /\b(nose|tissue|sniffl\w*)\b/,
};

describe('captionFace', () => {
  it('names the expression, however it is worded', () => {
    const rng = new Rng(1);
    for (const params of neutralFaces(10)) {
      for (const name of FACE_EXPRESSION_NAMES) {
        for (const level of [0.3, 0.7, 1]) {
          expect(captionFace(withExpression(params, { [name]: level }), rng)).toMatch(MENTIONS[name]);
        }
      }
    }
  });

  it('names no expression for a neutral face, and varies its wording', () => {
    const rng = new Rng(2);
    const captions = new Set<string>();
    for (const params of neutralFaces(30)) {
      const caption = captionFace(params, rng);
      for (const name of FACE_EXPRESSION_NAMES) expect(caption).not.toMatch(MENTIONS[name]);
      captions.add(caption);
    }
    expect(captions.size).toBeGreaterThan(25);
  });

  it('describes what the person looks like', () => {
    const rng = new Rng(3);
    const params = neutralFaces(1)[0]!;
    const identity = {
      ...params.identity,
      glasses: 'round' as const,
      hair: { ...params.identity.hair, style: 'curly' as const, color: 'red' as const },
    };
    const captions = Array.from({ length: 30 }, () => captionFace({ ...params, identity }, rng)).join('\n');
    expect(captions).toMatch(/glasses/);
    expect(captions).toMatch(/red (curls|hair)|curly red hair/);
  });
});
