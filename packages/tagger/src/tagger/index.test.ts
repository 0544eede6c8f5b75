import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { bytesToText } from './gzip.js';
import * as tagger from './index.js';

describe('the browser-safe tagger modules', () => {
  it('import no node: module and nothing from ./node/', () => {
    const dir = new URL('./', import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    assert.ok(sources.length >= 15);
    for (const file of sources) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);
      for (const specifier of imports) {
        assert.ok(!specifier.startsWith('node:'), `${file} imports ${specifier}`);
        assert.ok(!specifier.includes('/node/'), `${file} imports ${specifier}`);
        assert.ok(
          specifier.startsWith('.') ||
            specifier.startsWith('@tensorflow/tfjs') ||
            /^asymmetric-loss($|\/)/.test(specifier),
          `${file} imports ${specifier}`,
        );
      }
    }
  });

  it('export the API from index.ts', () => {
    for (const name of [
      'trainTagger',
      'prepareData',
      'parseRecords',
      'Tagger',
      'compareLosses',
      'AdaptiveGammaController',
      'splitOf',
    ])
      assert.equal(typeof (tagger as Record<string, unknown>)[name], 'function', name);
  });

  it('bytesToText reads plain and gzip bytes (DecompressionStream)', async () => {
    const text = '{"a": "é"}\n';
    assert.equal(await bytesToText(new TextEncoder().encode(text)), text);
    assert.equal(await bytesToText(new Uint8Array(gzipSync(text))), text);
  });
});
