import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { backendNames } from './backend-names.js';
import { epsChoices, sliderRanges } from './explore-model.js';
import {
  defaultPageState,
  epochRange,
  queryOf,
  stateFromQuery,
  trainSizeChoices,
  type PageState,
} from './page-state.js';

describe('the page state in the URL', () => {
  it('is empty for the defaults and round-trips every other state', () => {
    assert.equal(queryOf(defaultPageState), '');
    assert.deepEqual(stateFromQuery(''), defaultPageState);
    const state: PageState = {
      explore: { gammaNeg: 2.5, gammaPos: 0.7, clip: 0.08, eps: 0.01, focalGrad: 'detached' },
      fit: true,
      trainSize: 0,
      epochs: 7,
      backend: 'webgl',
      useExplore: true,
    };
    const query = queryOf(state);
    assert.equal(
      query,
      '?gammaNeg=2.5&gammaPos=0.7&clip=0.08&eps=0.01&focalGrad=detached&fit=1&trainSize=0&epochs=7&backend=webgl&useExplore=1',
    );
    assert.deepEqual(stateFromQuery(query), state);
    // Every eps choice and every slider step survives the trip.
    for (const eps of epsChoices) {
      const s = { ...defaultPageState, explore: { ...defaultPageState.explore, eps } };
      assert.deepEqual(stateFromQuery(queryOf(s)), s);
    }
    for (let k = 0; k <= 80; k++) {
      const gammaNeg = Number((k * sliderRanges.gammaNeg.step).toFixed(1));
      const s = { ...defaultPageState, explore: { ...defaultPageState.explore, gammaNeg } };
      assert.deepEqual(stateFromQuery(queryOf(s)), s);
    }
  });

  it('ignores invalid and unknown values, keeping the defaults', () => {
    const state = stateFromQuery(
      '?gammaNeg=99&gammaPos=-1&clip=abc&eps=0.123&focalGrad=none&fit=maybe&trainSize=5&epochs=0&backend=webgl2&useExplore=2&other=1',
    );
    assert.deepEqual(state, defaultPageState);
    assert.deepEqual(stateFromQuery('?gammaNeg=&clip=Infinity&epochs=NaN'), defaultPageState);
  });

  it('snaps values between slider steps to the nearest step', () => {
    const state = stateFromQuery('?gammaNeg=2.04&clip=0.123&epochs=4.4');
    assert.equal(state.explore.gammaNeg, 2);
    assert.equal(state.explore.clip, 0.12);
    assert.equal(state.epochs, 4);
  });

  it('knows the menus of index.html, which hold the same choices', () => {
    const html = readFileSync(new URL('../index.html', import.meta.url), 'utf8');
    const options = (id: string) => {
      const select = html.slice(html.indexOf(`<select id="${id}"`));
      return [...select.slice(0, select.indexOf('</select>')).matchAll(/value="([^"]*)"/g)].map(
        (m) => m[1],
      );
    };
    assert.deepEqual(options('train-size'), trainSizeChoices.map(String));
    assert.deepEqual(options('backend'), [...backendNames]);
    assert.deepEqual(options('focal-grad'), ['full', 'detached']);
    assert.match(
      html,
      new RegExp(`id="epochs"[^>]*min="${epochRange.min}" max="${epochRange.max}"`),
    );
  });
});
