import { defineConfig } from 'vite';

// The page is served at / and its assets under /playground/ by the Go
// server (web/playground/embed.go), from the committed dist/. File names
// carry content hashes only, so a build of the same sources is the same
// bytes on every machine (CI rebuilds and diffs).
export default defineConfig({
  base: '/playground/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Monaco's chunks are large by nature; the page is for development.
    chunkSizeWarningLimit: 8000,
    rolldownOptions: {
      // Radix and framer-motion mark their modules "use client" (for React
      // server components); meaningless in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
