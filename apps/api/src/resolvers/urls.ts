/** Where the API serves a stored blob (content-addressed, cached forever). */
export function blobUrl(publicUrl: string, key: string | null | undefined): string | null {
  return key ? `${publicUrl}/blobs/${key}` : null;
}
