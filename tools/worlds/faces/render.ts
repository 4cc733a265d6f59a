import type { RgbImage } from '@soundedit/core';
import { checkImageSize } from '../errors.ts';
import { Canvas, type View } from '../raster.ts';
import { drawBeard, drawEarrings, drawGlasses, drawHat, drawTissue } from './accessories.ts';
import { drawBrows, drawCheeks, drawEyes, drawMouth, drawNose, drawTears } from './features.ts';
import { drawHairBack, drawHairFront } from './hair.ts';
import { drawBackground, drawBody, drawEars, drawFaceSkin } from './head.ts';
import { faceLayout } from './layout.ts';
import { checkFaceParams, type FaceParams } from './params.ts';
import { featurePose } from './pose.ts';

/** Portrait framing: the face fills most of the frame, as in aligned face datasets (FFHQ). */
export const FACE_VIEW: Readonly<View> = Object.freeze({ zoom: 1.15, centerX: 0.5, centerY: 0.56 });

/**
 * Renders a frontal portrait as a square RGB image of `size` pixels. Layers, back to front:
 * backdrop, hair behind the head, neck and shoulders, ears, face, beard, blush, eyes, brows,
 * nose, mouth, tears, the hair over the forehead, the tissue and hands, then earrings, glasses
 * and hat. Identity fixes the layout; the expression only moves features inside the face.
 */
export function renderFace(params: FaceParams, size: number): RgbImage {
  checkImageSize(size);
  checkFaceParams(params);
  const canvas = new Canvas(size, size, FACE_VIEW);
  const id = params.identity;
  const layout = faceLayout(id);
  const pose = featurePose(params.expression);

  drawBackground(canvas, params);
  drawHairBack(canvas, id, layout);
  drawBody(canvas, id, layout);
  drawEars(canvas, id, layout);
  drawFaceSkin(canvas, id, layout, pose.flush);
  drawBeard(canvas, id, layout);
  drawCheeks(canvas, layout, pose);
  drawHairFront(canvas, id, layout);
  drawEyes(canvas, id, layout, pose);
  drawBrows(canvas, id, layout, pose);
  drawNose(canvas, id, layout, pose);
  drawMouth(canvas, id, layout, pose);
  drawTears(canvas, layout, pose);
  drawTissue(canvas, id, layout, pose);
  drawEarrings(canvas, id, layout);
  drawGlasses(canvas, id, layout);
  drawHat(canvas, id, layout);
  return canvas.toImage();
}
