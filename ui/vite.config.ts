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
  // npm run dev: the app on Vite's server, /graphql forwarded to a running
  // probity serve (PROBITY_URL, default the one `make run` starts).
  server: {
    proxy: { "/graphql": process.env.PROBITY_URL ?? "http://127.0.0.1:8080" },
  },
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
  },
});
