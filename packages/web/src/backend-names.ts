/**
 * The TensorFlow.js backends the Try panel offers, in its menu's order (no tfjs here: the main
 * thread reads these names, the workers start the backends in `backend.ts`).
 */
export const backendNames = ['wasm', 'webgl', 'webgpu', 'cpu'] as const;

/** A backend the page offers. */
export type BackendName = (typeof backendNames)[number];

/** The GPU backends, which the page offers only once a probe has started them. */
export const gpuBackendNames = ['webgl', 'webgpu'] as const;

/** A GPU backend. */
export type GpuBackendName = (typeof gpuBackendNames)[number];
