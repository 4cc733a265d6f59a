import { writeFile } from 'node:fs/promises';
import { encodePicturePng, encodeSideBySidePng, encodeTrajectoryGif } from '@soundedit/core';

export async function writePicture(
  file: string,
  image: Float32Array,
  size: number,
  scale = 4,
): Promise<void> {
  await writeFile(file, encodePicturePng(image, size, scale));
}

export async function writeSideBySide(
  file: string,
  images: Float32Array[],
  size: number,
  scale = 4,
): Promise<void> {
  await writeFile(file, encodeSideBySidePng(images, size, scale));
}

export async function writeTrajectoryGif(
  file: string,
  frames: Float32Array[],
  size: number,
  scale = 4,
): Promise<void> {
  await writeFile(file, encodeTrajectoryGif(frames, size, scale));
}
