/** Codes the API answers with (extensions.code), and the client's own for transport failures. */
export type ApiErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'CONFLICT'
  | 'BAD_REQUEST'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'INTERNAL_SERVER_ERROR'
  /** The API could not be reached, or answered with something that is not the API's JSON. */
  | 'UNREACHABLE';

/** One GraphQL error as the API formats it. */
export interface ApiErrorPayload {
  message: string;
  extensions?: Record<string, unknown>;
}

/** What a call to the API failed with: a stable code to switch on, and the API's own details. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode | (string & {});
  /** The input field at fault (BAD_USER_INPUT). */
  readonly field: string | undefined;
  /** When to try again (RATE_LIMITED). */
  readonly retryAfterS: number | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.details = details;
    this.field = typeof details['field'] === 'string' ? details['field'] : undefined;
    this.retryAfterS = typeof details['retryAfterS'] === 'number' ? details['retryAfterS'] : undefined;
  }

  static fromPayload(error: ApiErrorPayload): ApiError {
    const { code, ...rest } = error.extensions ?? {};
    return new ApiError(typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR', error.message, rest);
  }
}
