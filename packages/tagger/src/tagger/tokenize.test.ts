import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recordTokens, wordTokens } from './tokenize.js';
import { Vocabulary } from './vocabulary.js';

describe('tokens', () => {
  it('lower-cases and splits on anything but letters, digits and _', () => {
    assert.deepEqual(wordTokens('GTK+ front-end for GNU Go, v2.0_beta'), [
      'gtk',
      'front',
      'end',
      'for',
      'gnu',
      'go',
      'v2',
      '0_beta',
    ]);
    assert.deepEqual(wordTokens('Éditeur für Ünïcode'), ['éditeur', 'für', 'ünïcode']);
    assert.deepEqual(wordTokens(' -- '), []);
  });

  it('orders name, section, description, depends, long description, and caps the count', () => {
    const record = {
      package: 'gnome-chess',
      section: 'games',
      description: 'Chess game',
      long_description: 'Play chess against the computer.',
      depends: ['libgtk-4-1', 'gnuchess'],
    };
    assert.deepEqual(recordTokens(record), [
      'gnome',
      'chess',
      'sec:games',
      'chess',
      'game',
      'dep:libgtk-4-1',
      'dep:gnuchess',
      'play',
      'chess',
      'against',
      'the',
      'computer',
    ]);
    assert.deepEqual(recordTokens(record, 4), ['gnome', 'chess', 'sec:games', 'chess']);
    assert.deepEqual(recordTokens({ description: 'A text' }), ['a', 'text']);
  });
});

describe('Vocabulary', () => {
  const docs = [
    ['b', 'a', 'c', 'a'],
    ['c', 'd'],
    ['e', 'b'],
  ];

  it('keeps the tokens seen at least minCount times, by count then alphabetically; id 0 is padding', () => {
    const vocabulary = Vocabulary.build(docs, 2);
    assert.deepEqual(vocabulary.tokens, ['a', 'b', 'c']);
    assert.equal(vocabulary.size, 4);
    assert.equal(vocabulary.id('a'), 1);
    assert.equal(vocabulary.id('d'), undefined);
    assert.deepEqual(vocabulary.encode(['c', 'x', 'a', 'a']), [3, 1, 1]);
    // Independent of the order of the documents.
    assert.deepEqual(Vocabulary.build([...docs].reverse(), 2).tokens, vocabulary.tokens);
    assert.deepEqual(Vocabulary.build(docs, 1).tokens, ['a', 'b', 'c', 'd', 'e']);
  });

  it('round-trips through JSON and rejects bad input', () => {
    const vocabulary = Vocabulary.build(docs, 1);
    const copy = Vocabulary.fromJSON(JSON.parse(JSON.stringify(vocabulary)));
    assert.deepEqual(copy.tokens, vocabulary.tokens);
    assert.throws(() => Vocabulary.fromJSON({ a: 1 }), TypeError);
    assert.throws(() => new Vocabulary(['a', 'a']), /duplicate/);
  });
});
