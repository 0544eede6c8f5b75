/**
 * JSONL bytes to text in the browser and in Node: gzip data (detected by its magic number) is
 * inflated with the standard `DecompressionStream`. Browser-safe.
 */

/** Whether `bytes` start with the gzip magic number `1f 8b`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The UTF-8 text of `bytes`, inflated first when they are gzip.
 *
 * @example
 * ```ts
 * const bytes = new Uint8Array(await (await fetch('debtags-bookworm.jsonl.gz')).arrayBuffer());
 * const records = parseRecords(await bytesToText(bytes), 'debtags-bookworm.jsonl.gz');
 * ```
 */
export async function bytesToText(bytes: Uint8Array): Promise<string> {
  if (!isGzip(bytes)) return new TextDecoder().decode(bytes);
  const stream = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return await new Response(stream).text();
}
