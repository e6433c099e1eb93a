// Typed operations from the server's own schema files: `npm run codegen`
// rewrites src/gql/ (committed) after a change to graph/schema or to an
// operation in src/.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../../graph/schema/*.graphqls',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // Plain strings, not ASTs: the console needs no GraphQL runtime.
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { Time: 'string', JSONObject: 'Record<string, unknown>', Upload: 'File', TermsKind: 'string' },
      },
    },
  },
};
export default config;
