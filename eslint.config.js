import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '**/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/apps/**',
                '@soundedit/api*',
                '@soundedit/web*',
                '@soundedit/bot*',
                '@soundedit/worker*',
              ],
              message: 'libs never import apps.',
            },
          ],
        },
      ],
    },
  },
  {
    // onnxruntime lives behind libs/models/src/runtime: nothing else may import it.
    files: ['**/*.ts'],
    ignores: ['libs/models/src/runtime/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'onnxruntime-node',
              message: 'Use @soundedit/models runtime (libs/models/src/runtime) instead.',
            },
          ],
          patterns: [{ group: ['**/apps/**'], message: 'libs never import apps.' }],
        },
      ],
    },
  },
);
