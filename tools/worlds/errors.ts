/** Bad input to a world (out-of-range parameters, NaN, an unusable image size). */
export class WorldParamsError extends Error {
  readonly code = 'WORLD_PARAMS_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'WorldParamsError';
  }
}

/** Refuses sizes the rasteriser cannot or should not allocate. */
export function checkImageSize(size: number): void {
  if (!Number.isInteger(size) || size < 8 || size > 2048) {
    throw new WorldParamsError(`image size must be an integer from 8 to 2048 pixels, got ${size}`);
  }
}

/** Refuses NaN and infinities, naming the parameter. */
export function checkFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new WorldParamsError(`${name} must be a finite number, got ${value}`);
}

/** Refuses a colour that is not three numbers in [0, 1]. */
export function checkRgb(name: string, color: readonly number[]): void {
  if (color.length !== 3 || !color.every((v) => v >= 0 && v <= 1)) {
    throw new WorldParamsError(`${name} must be three numbers in [0, 1], got [${color.join(', ')}]`);
  }
}

/** Refuses an intensity outside [0, 1] or NaN, naming which one. */
export function checkUnit(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) {
    throw new WorldParamsError(`${name} must be a number in [0, 1], got ${value}`);
  }
}
