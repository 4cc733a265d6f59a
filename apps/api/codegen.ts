import type { CodegenConfig } from '@graphql-codegen/cli';

// `npm run codegen -w @soundedit/api` regenerates the resolver types from the SDL; a test checks
// that the committed file is current.
const config: CodegenConfig = {
  schema: '../../libs/graphql/src/schema.graphql',
  generates: {
    'src/schema/resolver-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        contextType: '../context.ts#ApiContext',
        mappers: {
          Edit: '@soundedit/service#EditRow',
          Sound: '@soundedit/service#SoundRow',
          Author: '@soundedit/service#AccountRow',
          Viewer: '@soundedit/service#AccountRow',
          ApiToken: '@soundedit/service#ApiTokenRow',
          Pack: '@soundedit/models#Pack as PackModel',
        },
        scalars: { DateTime: 'Date' },
        enumsAsTypes: true,
        avoidOptionals: { field: false, inputValue: false, object: false, defaultValue: false },
        maybeValue: 'T | null | undefined',
        inputMaybeValue: 'T | null | undefined',
        useIndexSignature: false,
        emitLegacyCommonJSImports: false,
      },
    },
  },
};
export default config;
