import { defineConfig } from 'vite';

// Built into dist/ (committed) and served by Gatehouse at /console. Hashed
// file names come from the contents only, so two machines build the same
// bytes and CI can compare the committed dist with a fresh build.
export default defineConfig({
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: true,
    // No inline scripts or styles: the CSP allows 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: { proxy: { '/graphql': 'http://127.0.0.1:8080', '/kyc': 'http://127.0.0.1:8080' } },
});
