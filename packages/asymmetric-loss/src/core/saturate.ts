/**
 * Saturation of float32 outputs. Every element-wise loss and gradient of a finite input is
 * finite in float64, but weights, an upstream gradient or (single-label) logits far apart can
 * take it past the float32 maximum, where storing it would give Infinity. Such values are stored
 * as the float32 maximum instead (with their sign): results stay finite for finite inputs.
 * Reduced losses are float64 numbers and are not affected.
 */

/** The largest finite float32, 3.4028235e38. */
export const float32Max = 3.4028234663852886e38;

/** Replaces ±Infinity in `out` by ±{@link float32Max} (NaN is left as it is). */
export function saturateFloat32(out: Float32Array | null): void {
  if (out === null) return;
  for (let k = 0; k < out.length; k++) {
    const v = out[k];
    if (v === Infinity) out[k] = float32Max;
    else if (v === -Infinity) out[k] = -float32Max;
  }
}
