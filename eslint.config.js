import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Module boundaries: data flows apps -> libs/service -> libs/core -> libs/models -> onnxruntime. Each scope lists
 * what it may not import; onnxruntime-node is reachable only from libs/models/src/runtime.
 */
const APPS = {
  group: ['**/apps/**', '@soundedit/api*', '@soundedit/web*', '@soundedit/bot*', '@soundedit/worker*'],
  message: 'libs never import apps.',
};
const CORE = {
  group: ['@soundedit/core', '@soundedit/core/*', '**/libs/core/**'],
  message: 'libs/models knows nothing of libs/core: data flows core -> models.',
};
const SERVICE = {
  group: ['@soundedit/service', '@soundedit/service/*', '**/libs/service/**'],
  message: 'libs/service sits above core and models: apps -> service -> core -> models.',
};
const MODELS = {
  group: ['@soundedit/models', '@soundedit/models/*', '**/libs/models/**'],
  message: 'libs/graphql is the API contract: it runs in browsers and knows nothing of the engine.',
};
const ORT = { name: 'onnxruntime-node', message: 'Use @soundedit/models (libs/models/src/runtime) instead.' };

const restrict = (patterns, paths = [ORT]) => ({
  'no-restricted-imports': ['error', { paths, patterns }],
});

export default tseslint.config(
  {
    ignores: [
      '**/.next/**',
      '**/next-env.d.ts',
      '**/dist/**',
      '**/node_modules/**',
      '**/.nx/**',
      '**/fixtures/**',
      '**/resolver-types.ts',
      '**/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      ...restrict([APPS]),
    },
  },
  { files: ['libs/core/**/*.ts'], rules: restrict([APPS, SERVICE]) },
  { files: ['libs/graphql/**/*.ts'], rules: restrict([APPS, CORE, SERVICE, MODELS]) },
  // The bot, like the web site, is a client of the API only.
  {
    files: ['apps/bot/**/*.ts'],
    ignores: ['apps/bot/test/**'],
    rules: restrict([
      { ...CORE, message: 'apps/bot talks to the API through @soundedit/graphql.' },
      { ...SERVICE, message: 'apps/bot talks to the API through @soundedit/graphql.' },
      { ...MODELS, message: 'apps/bot talks to the API through @soundedit/graphql.' },
    ]),
  },
  // The web site is a client of the API only: the engine and the server side stay out of its bundle.
  {
    files: ['apps/web/**/*.ts', 'apps/web/**/*.tsx'],
    rules: restrict([
      { ...CORE, message: 'apps/web talks to the API through @soundedit/graphql.' },
      { ...SERVICE, message: 'apps/web talks to the API through @soundedit/graphql.' },
      { ...MODELS, message: 'apps/web talks to the API through @soundedit/graphql.' },
    ]),
  },
  { files: ['libs/models/**/*.ts'], rules: restrict([APPS, CORE, SERVICE]) },
  { files: ['libs/models/src/runtime/**/*.ts'], rules: restrict([APPS, CORE, SERVICE], []) },
);
