import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError, parseRecordLine, parseRecords } from './records.js';

const good = {
  package: 'hello',
  section: 'devel',
  description: 'example package based on GNU hello',
  long_description: 'The GNU hello program produces a familiar, friendly greeting.',
  depends: ['libc6'],
  tags: ['devel::examples', 'role::program'],
};
const line = (value: unknown) => JSON.stringify(value);

describe('record validation', () => {
  it('parses a valid record', () => {
    assert.deepEqual(parseRecordLine(line(good), 'f.jsonl', 1), good);
  });

  const cases: [string, unknown, RegExp][] = [
    ['invalid JSON', '{"package": ', /^f\.jsonl:7: invalid JSON/],
    ['not an object', [1, 2], /^f\.jsonl:7: expected a JSON object, got array$/],
    ['missing field', { ...good, tags: undefined }, /^f\.jsonl:7: missing field 'tags'$/],
    [
      'wrong type',
      { ...good, section: 3 },
      /^f\.jsonl:7: field 'section' must be a string, got number$/,
    ],
    ['empty package', { ...good, package: '' }, /^f\.jsonl:7: field 'package' must not be empty$/],
    [
      'depends not an array',
      { ...good, depends: 'libc6' },
      /field 'depends' must be an array of strings, got string/,
    ],
    ['a tag not a string', { ...good, tags: ['a::b', 5] }, /but tags\[1\] is number/],
    ['an empty tag', { ...good, tags: [''] }, /but tags\[0\] is empty/],
    ['a duplicate tag', { ...good, tags: ['a::b', 'a::b'] }, /duplicate tag "a::b"/],
    ['white space in a tag', { ...good, tags: ['a:: b'] }, /contains white space/],
  ];
  for (const [name, value, message] of cases)
    it(`reports ${name} as file:line: what`, () => {
      const text = typeof value === 'string' ? value : line(value);
      assert.throws(
        () => parseRecordLine(text, 'f.jsonl', 7),
        (error: unknown) =>
          error instanceof DataError && error.line === 7 && message.test(error.message),
      );
    });

  it('ignores unknown fields', () => {
    assert.deepEqual(parseRecordLine(line({ ...good, extra: 1 }), 'f', 1), good);
  });

  it('accepts partial records for prediction, with defaults', () => {
    const record = parseRecordLine(line({ description: 'a text editor' }), 'f', 1, {
      partial: true,
    });
    assert.deepEqual(record, {
      package: '',
      section: '',
      description: 'a text editor',
      long_description: '',
      depends: [],
      tags: [],
    });
    assert.throws(
      () => parseRecordLine(line({ depends: [] }), 'f', 2, { partial: true }),
      /f:2: a record needs/,
    );
    assert.throws(
      () => parseRecordLine(line({ description: 1 }), 'f', 3, { partial: true }),
      /f:3: field 'description' must be a string/,
    );
  });
});

describe('parseRecords', () => {
  it('skips blank lines, accepts CRLF and counts lines from 1', () => {
    const text = `\n${line(good)}\r\n\n${line({ ...good, package: 'other' })}\n`;
    assert.deepEqual(
      parseRecords(text, 'f').map((r) => r.package),
      ['hello', 'other'],
    );
  });

  it('lists every bad line (up to maxErrors) with its line number', () => {
    const text = [line(good), '{', line({ ...good, package: 'x', tags: 1 }), '[', '{'].join('\n');
    assert.throws(
      () => parseRecords(text, 'data.jsonl', { maxErrors: 2 }),
      (error: unknown) => {
        assert.ok(error instanceof DataError);
        const lines = error.message.split('\n');
        assert.match(lines[0], /^data\.jsonl:2: invalid JSON/);
        assert.match(lines[1], /^data\.jsonl:3: field 'tags' must be an array of strings/);
        assert.equal(lines[2], '(2 more bad lines)');
        assert.equal(error.line, 2);
        return true;
      },
    );
  });

  it('rejects duplicate package names, pointing at the first', () => {
    assert.throws(() => parseRecords(`${line(good)}\n${line(good)}\n`, 'f'), {
      message: /^f:2: duplicate package "hello" \(first on line 1\)$/,
    });
  });

  it('rejects a text without records', () => {
    assert.throws(() => parseRecords('\n\n', 'empty.jsonl'), {
      message: /^empty\.jsonl: no records$/,
    });
  });
});
