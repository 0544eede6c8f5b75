/**
 * What a bundler keeps of the library (esbuild on the built package, honouring `sideEffects`):
 * an import of one loss takes neither the metrics nor the tfjs layer, and a bare
 * `import 'asymmetric-loss/tfjs'` keeps the kernel registration it exists for.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bundle } from '@asymmetric-loss/testing/bundle';

describe('bundling asymmetric-loss', () => {
  it('one loss takes the core only (with the embedded WebAssembly), no metrics or tfjs', async () => {
    const { code, inputs } = await bundle(
      "export { asymmetricLossMultiLabel } from 'asymmetric-loss';",
    );
    assert.ok(code.includes('kernelsWasmBase64'));
    assert.ok(
      inputs.every((f) => f === '<stdin>' || /asymmetric-loss\/dist\/(index|core\/)/.test(f)),
      String(inputs),
    );
    assert.ok(!code.includes('@tensorflow/tfjs-core'));
    assert.ok(!code.includes('averagePrecision'));
  });

  it("a bare import 'asymmetric-loss/tfjs' keeps the kernels' registration", async () => {
    const { code } = await bundle("import 'asymmetric-loss/tfjs';");
    assert.match(code, /from "@tensorflow\/tfjs-core"/);
    assert.match(code, /registerKernel\(/);
    assert.match(code, /registerAslKernels\(\);/);
  });

  it('the metrics take no loss kernel', async () => {
    const { code } = await bundle(
      "export { meanAveragePrecision } from 'asymmetric-loss/metrics';",
    );
    assert.ok(code.includes('averagePrecision'));
    assert.ok(!code.includes('kernelsWasmBase64'));
  });
});
