/** Typed errors for everything that can be wrong with an ONNX model we are handed. */

export type OnnxErrorCode =
  | 'MALFORMED_PROTOBUF'
  | 'TRUNCATED'
  | 'UNSUPPORTED_OPSET'
  | 'UNSUPPORTED_DTYPE'
  | 'MISSING_INITIALIZER'
  | 'MISSING_EXTERNAL_DATA'
  | 'INVALID_GRAPH'
  | 'SHAPE_MISMATCH';

export class OnnxModelError extends Error {
  readonly code: OnnxErrorCode;
  /** The node or tensor the problem is about, when there is one. */
  readonly subject: string | undefined;

  constructor(code: OnnxErrorCode, message: string, options: { subject?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OnnxModelError';
    this.code = code;
    this.subject = options.subject;
  }
}
