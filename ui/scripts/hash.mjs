// hash.mjs write|check — the SHA-256 of the UI's sources, stored in
// dist/source.sha256 after a build so that a check (this script, or the Go
// test in ui/embed_test.go) can tell whether the committed dist/ was built
// from the committed sources. The file list and the digest must match
// sourceHash in embed_test.go: for each file, sorted by path, the path, a
// NUL, the bytes, a NUL.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(import.meta.url), "..", "..");
const TOP = ["index.html", "package.json", "package-lock.json", "tsconfig.json", "vite.config.ts"];

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

export function sourceHash() {
  const files = [...TOP.map((f) => join(root, f)), ...walk(join(root, "src"))].map((p) => relative(root, p).split("\\").join("/")).sort();
  const h = createHash("sha256");
  for (const f of files) {
    h.update(f);
    h.update("\0");
    h.update(readFileSync(join(root, f)));
    h.update("\0");
  }
  return h.digest("hex");
}

const mode = process.argv[2];
const file = join(root, "dist", "source.sha256");
if (mode === "write") {
  writeFileSync(file, sourceHash() + "\n");
} else if (mode === "check") {
  let have = "";
  try {
    have = readFileSync(file, "utf8").trim();
  } catch {}
  const want = sourceHash();
  if (have !== want) {
    console.error(`ui/dist is stale: built from ${have || "nothing"}, sources are ${want}; run npm run build in ui/`);
    process.exit(1);
  }
  console.log("ui/dist matches the sources");
} else {
  console.error("usage: node scripts/hash.mjs write|check");
  process.exit(64);
}
