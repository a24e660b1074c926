// ESLint (flat config): typescript-eslint with type information, and the project's layer rules
// (scripts/lint/layers.js). Formatting is Prettier's job (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './scripts/lint/layers.js';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'src/api/generated/**', 'src/routeTree.gen.ts', 'bench/**', 'test-results/**', 'playwright-report/**'],
  },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // One project per kind of code; each file is checked with the first that includes it.
        project: ['./tsconfig.json', './src/tsconfig.json', './e2e/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Database rows and API payloads are `any` on purpose (checked where they are read); the
      // unsafe-any family would flag every row access.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // Control flow throws non-errors on purpose: a stage suspension, the router's redirect().
      '@typescript-eslint/only-throw-error': 'off',
      // Style, not correctness; left for the repository-wide formatting commit to settle.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // React event handlers may be async (their promise is handled inside).
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // The layers hold for the code; a test may reach across them (a console test compares the
    // console's stage schema with the server's, a test uses another layer's helper).
    files: ['server/**/*.ts', 'src/**/*.{ts,tsx}', 'common/**/*.ts'],
    ignores: ['**/*.test.{ts,tsx}', 'server/test/**', 'src/test/**'],
    plugins: { layers },
    rules: { 'layers/no-upward-import': 'error' },
  },
);
