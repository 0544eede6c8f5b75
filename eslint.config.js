import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/',
      '**/node_modules/',
      'asl-demo/',
      'asl-plots/',
      'coverage/',
      '.tmp-*/',
      // AssemblyScript sources (compiled by asc, not tsc; decorators on functions, v128 types)
      'packages/asymmetric-loss/assembly/',
      'packages/asymmetric-loss/src/core/wasm/kernels.generated.js',
      'packages/asymmetric-loss/src/core/wasm/kernels.generated.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
);
