/**
 * The helper threads' module, derived from the calling thread's: the two builds of
 * `assembly/` differ only in their memory section (asc `--sharedMemory --maximumMemory`), so
 * the package embeds one binary and rewrites that section here instead of shipping a second
 * copy. `scripts/build-wasm.mjs` checks at every build that the result equals asc's own
 * shared-memory build byte for byte.
 */

/** Pages (64 KiB) a helper's memory may grow to: 2 GiB, where the helpers' batches live. */
export const sharedMaximumPages = 32768;

/** Reads an unsigned LEB128 at `at`; returns the value and the offset after it. */
function readU32(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= bytes.length) throw new RangeError('sharedMemoryModule: truncated module');
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, at];
    shift += 7;
  }
}

/** The unsigned LEB128 encoding of `value`. */
function u32(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/**
 * A copy of a WebAssembly module whose one defined memory is declared shared, with `maxPages`
 * as its maximum (its minimum kept). Throws a `RangeError` when the module does not define
 * exactly one memory without a maximum (then it is not the kernels' module).
 *
 * @param bytes - The module's binary (`--runtime stub`, memory defined, not imported).
 * @param maxPages - The shared memory's maximum, in 64 KiB pages (default 2 GiB).
 * @returns A new binary; `bytes` is not changed.
 *
 * @example
 * ```ts
 * const shared = new WebAssembly.Module(sharedMemoryModule(kernelModuleBytes()));
 * ```
 */
export function sharedMemoryModule(
  bytes: Uint8Array,
  maxPages: number = sharedMaximumPages,
): Uint8Array {
  let at = 8; // magic and version
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, body] = readU32(bytes, at + 1);
    const end = body + size;
    if (id === 5) {
      const [count, limitsAt] = readU32(bytes, body);
      if (count !== 1 || bytes[limitsAt] !== 0x00)
        throw new RangeError('sharedMemoryModule: expected one memory with no maximum');
      const [minimum, after] = readU32(bytes, limitsAt + 1);
      if (after !== end) throw new RangeError('sharedMemoryModule: malformed memory section');
      const section = [...u32(1), 0x03, ...u32(minimum), ...u32(maxPages)];
      const head = [5, ...u32(section.length)];
      const out = new Uint8Array(at + head.length + section.length + (bytes.length - end));
      out.set(bytes.subarray(0, at), 0);
      out.set(head, at);
      out.set(section, at + head.length);
      out.set(bytes.subarray(end), at + head.length + section.length);
      return out;
    }
    at = end;
  }
  throw new RangeError('sharedMemoryModule: the module defines no memory');
}
