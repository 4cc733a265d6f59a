import { GraphQLError } from 'graphql';

/** Stable error codes clients can switch on (extensions.code). */
export const API_ERROR_CODES = [
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'CONFLICT',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export function apiError(
  code: ApiErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const notFound = (what: string, id: string): GraphQLError =>
  apiError('NOT_FOUND', `${what} ${id} does not exist`, { id });
