import type { CodegenConfig } from '@graphql-codegen/cli';

// `npm run codegen -w @soundedit/graphql` regenerates the typed documents from the schema and the
// operations; a test checks that the committed file is current.
const config: CodegenConfig = {
  schema: 'src/schema.graphql',
  documents: 'src/operations/*.graphql',
  generates: {
    'src/generated/operations.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        scalars: { DateTime: 'string' },
        enumsAsTypes: true,
        avoidOptionals: false,
        skipTypename: true,
        dedupeFragments: true,
      },
    },
  },
};
export default config;
