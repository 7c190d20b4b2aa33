import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'src/generated/', 'packages/*/src/generated/', '.emulator/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Small named parts: a function that outgrows a screen holds more than one concern.
    // Inline configuration is off there, so no comment can switch a rule off.
    files: ['src/**/*.ts', 'packages/*/src/**/*.ts', 'packages/*/console/**/*.{ts,tsx}'],
    linterOptions: { noInlineConfig: true },
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
);
