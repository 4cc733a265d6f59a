export { ApiError, type ApiErrorCode, type ApiErrorPayload } from './api-error.ts';
export { SoundeditClient, type ClientOptions, type UploadedSound } from './client.ts';
export * from './generated/operations.ts';
