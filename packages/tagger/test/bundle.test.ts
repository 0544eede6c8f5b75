/**
 * What a bundler keeps of the tagger (esbuild on the built package, honouring `sideEffects`): a
 * bare `import 'asymmetric-loss-tagger'` keeps the registration of the model's custom layer,
 * without which `tf.loadLayersModel` cannot read a model directory.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bundle } from '@asymmetric-loss/testing/bundle';

describe('bundling asymmetric-loss-tagger', () => {
  it("a bare import keeps the custom layer's registration", async () => {
    const { code } = await bundle("import 'asymmetric-loss-tagger';");
    assert.match(code, /registerClass\(EmbeddingBagMean\)/);
  });

  it('the plots are browser-safe: no node: module, resvg or tfjs', async () => {
    const { code, inputs } = await bundle(
      "export { paperCurves, paperCurvesSpec } from 'asymmetric-loss-tagger/plots';",
    );
    assert.ok(!/from "node:/.test(code));
    assert.ok(
      !inputs.some((f) => f.includes('resvg') || f.includes('@tensorflow')),
      String(inputs),
    );
  });
});
