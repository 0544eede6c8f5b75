import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kernelModuleBytes } from '../core/wasm/loader.js';
import { sharedMaximumPages, sharedMemoryModule } from './shared-memory.js';

describe('sharedMemoryModule', () => {
  it('declares the kernels memory shared with a maximum, leaving the input as it was', () => {
    const plain = kernelModuleBytes();
    const before = plain.slice();
    const shared = sharedMemoryModule(plain);
    assert.deepEqual(plain, before);
    assert.equal(shared.length, plain.length + 3); // flags 0x03 and a 3-byte LEB128 maximum
    const instance = new WebAssembly.Instance(new WebAssembly.Module(shared as BufferSource));
    const memory = instance.exports.memory as WebAssembly.Memory;
    assert.ok(memory.buffer instanceof SharedArrayBuffer);
    assert.throws(() => memory.grow(sharedMaximumPages), RangeError);
    // Everything but the memory section is the same: the same exports, callable.
    const exports = Object.keys(instance.exports).sort();
    const plainExports = Object.keys(
      new WebAssembly.Instance(new WebAssembly.Module(plain as BufferSource)).exports,
    ).sort();
    assert.deepEqual(exports, plainExports);
  });

  it('refuses modules that are not the kernels (no memory, or a memory with a maximum)', () => {
    const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    assert.throws(() => sharedMemoryModule(empty), /defines no memory/);
    // One memory, flags 1 (has a maximum), min 1, max 2.
    const bounded = new Uint8Array([...empty, 0x05, 0x04, 0x01, 0x01, 0x01, 0x02]);
    assert.throws(() => sharedMemoryModule(bounded), /one memory with no maximum/);
    assert.throws(() => sharedMemoryModule(new Uint8Array([...empty, 0x05, 0x84])), /truncated/);
  });
});
