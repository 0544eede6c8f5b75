import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { subsetRecords, toJsonl } from '../../../test/tagger-subset.js';
import { DataError } from '../records.js';
import { defaultDataFile, readDataFile } from './data-file.js';

const dir = mkdtempSync(join(tmpdir(), 'asl-data-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('readDataFile', () => {
  const records = subsetRecords(50);
  const text = toJsonl(records);

  it('reads plain and gzip files to the same records (gzip detected from the bytes)', () => {
    const plain = join(dir, 'plain.jsonl');
    const gzip = join(dir, 'compressed.data'); // no .gz suffix: detection is by content
    writeFileSync(plain, text);
    writeFileSync(gzip, gzipSync(text));
    const a = readDataFile(plain);
    const b = readDataFile(gzip);
    assert.deepEqual(a.records, records);
    assert.deepEqual(b.records, records);
    assert.equal(a.sha256, createHash('sha256').update(readFileSync(plain)).digest('hex'));
    assert.notEqual(a.sha256, b.sha256);
  });

  it('reads the shipped data set (30,300 records)', () => {
    const data = readDataFile(defaultDataFile);
    assert.equal(data.records.length, 30300);
    assert.match(data.sha256, /^[0-9a-f]{64}$/);
  });

  it('reports a bad line as file:line: what is wrong', () => {
    const file = join(dir, 'bad.jsonl');
    const lines = text.trimEnd().split('\n');
    lines[2] = JSON.stringify({ ...records[2], tags: 'role::program' });
    writeFileSync(file, lines.join('\n'));
    assert.throws(() => readDataFile(file), {
      name: 'DataError',
      message: `${file}:3: field 'tags' must be an array of strings, got string`,
    });
    writeFileSync(file, gzipSync(lines.join('\n')));
    assert.throws(() => readDataFile(file), { message: new RegExp(`^${file}:3: `) });
  });

  it('reports missing files, corrupt gzip and non-UTF-8 bytes', () => {
    assert.throws(
      () => readDataFile(join(dir, 'missing.jsonl')),
      (error: unknown) => {
        assert.ok(error instanceof DataError);
        assert.match(error.message, /missing\.jsonl: cannot read the data file: no such file/);
        return true;
      },
    );
    const corrupt = join(dir, 'corrupt.gz');
    writeFileSync(corrupt, gzipSync(text).subarray(0, 40));
    assert.throws(() => readDataFile(corrupt), { message: /corrupt\.gz: corrupt gzip data/ });
    const latin1 = join(dir, 'latin1.jsonl');
    writeFileSync(latin1, Buffer.from([0x7b, 0xe9, 0x7d]));
    assert.throws(() => readDataFile(latin1), { message: /latin1\.jsonl: not UTF-8 text/ });
  });
});
