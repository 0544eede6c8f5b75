import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { shippedRecords } from '../../test/tagger-subset.js';
import { sha1, toHex } from './sha1.js';
import { splitBucket, splitOf, splitRecords } from './split.js';

const nodeSha1 = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex');

describe('sha1', () => {
  it('matches the FIPS 180 examples', () => {
    assert.equal(toHex(sha1('abc')), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(toHex(sha1('')), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
    assert.equal(
      toHex(sha1('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')),
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    );
  });

  it("equals node:crypto's for every length around the block boundaries and non-ASCII text", () => {
    for (let n = 0; n < 200; n++) {
      const text = 'x'.repeat(n);
      assert.equal(toHex(sha1(text)), nodeSha1(text), `length ${n}`);
    }
    for (const text of ['ñandú', 'пакет', '日本語-fonts', '🦀rust', 'lib+plus.0']) {
      assert.equal(toHex(sha1(text)), nodeSha1(text));
      assert.equal(toHex(sha1(new TextEncoder().encode(text))), nodeSha1(text));
    }
  });
});

describe('the split', () => {
  it('is the SHA-1 of the name as a big-endian integer, modulo 10', () => {
    const names = shippedRecords()
      .slice(0, 2000)
      .map((r) => r.package);
    for (const name of names) {
      const expected = Number(BigInt(`0x${nodeSha1(name)}`) % 10n);
      assert.equal(splitBucket(name), expected, name);
      assert.equal(splitOf(name), expected < 8 ? 'train' : expected === 8 ? 'val' : 'test');
    }
  });

  it('gives the fixed sizes on the shipped data (24,187 / 3,023 / 3,090)', () => {
    const parts = splitRecords(shippedRecords());
    assert.deepEqual(
      [parts.train.length, parts.val.length, parts.test.length],
      [24187, 3023, 3090],
    );
    // Deterministic: the same names land in the same part every time.
    assert.deepEqual(
      splitRecords(shippedRecords()).test.map((r) => r.package),
      parts.test.map((r) => r.package),
    );
  });
});
