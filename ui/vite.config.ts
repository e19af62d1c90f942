import { defineConfig } from "vite";

// The app is served by probity serve from the embedded dist/ folder, so
// asset paths are absolute from the site root and the output is kept small:
// one script, one stylesheet, no source maps.
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
  },
});
