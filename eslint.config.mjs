// Lint for src/, test/, scripts/, esbuild.mjs and bin/: ESLint's and typescript-eslint's recommended
// rules (syntax only, no type information, so it stays fast), no import cycles and no duplicate imports.
// Layout (2 spaces, single quotes, semicolons) is left to review.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'test-results/', '.bench/', 'media/', '.assignment2/', 'assignment2-report/', 'scratch/', '.cache/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-duplicates': 'error',
      eqeqeq: 'error',
      'prefer-const': 'error',
      'no-var': 'error',
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/consistent-type-imports': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Errors are rethrown with the file or run they concern in the message, which carries the cause's.
      'preserve-caught-error': 'off',
    },
  },
  {
    // Optional native modules (onnxruntime-node, @napi-rs/canvas, the backends' packages) are loaded on
    // demand with require, so that a missing one is a reason to fall back, not a crash at load time.
    files: ['src/engine/backend/probes.ts', 'src/engine/report/canvas.ts', 'src/engine/versions.ts', 'test/unit/backend.test.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-cycle': ['error', { maxDepth: '∞', ignoreExternal: true }],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['esbuild.mjs', 'eslint.config.mjs', 'scripts/**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
