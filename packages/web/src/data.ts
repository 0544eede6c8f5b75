/**
 * The shipped data set, `data/debtags-bookworm.jsonl.gz`: Vite copies it into the build as is;
 * the page fetches it once (same origin) and hands the bytes to the training workers, which
 * decompress them with the tagger's `bytesToText` (the browser's `DecompressionStream('gzip')`;
 * bytes a server already decoded pass through).
 */
import dataUrl from 'asymmetric-loss-tagger/data/debtags-bookworm.jsonl.gz?url';

/** The URL of the data file in this build. */
export const debtagsUrl: string = dataUrl;

/** Progress of the download: bytes received and the total (0 when unknown). */
export type DownloadProgress = (received: number, total: number) => void;

/** Downloads the data file (same origin) and returns its bytes, reporting progress. */
export async function downloadDebtags(
  onProgress: DownloadProgress = () => {},
): Promise<Uint8Array> {
  const response = await fetch(debtagsUrl);
  if (!response.ok || response.body === null)
    throw new Error(`could not load the data set (${response.status} ${response.statusText})`);
  const total = Number(response.headers.get('content-length') ?? 0);
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onProgress(received, total);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
