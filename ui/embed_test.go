package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// sourceHash is scripts/hash.mjs's digest of the UI sources: for each file,
// sorted by slash path, the path, a NUL, the bytes, a NUL.
func sourceHash(t *testing.T) string {
	t.Helper()
	files := []string{"index.html", "package.json", "package-lock.json", "tsconfig.json", "vite.config.ts"}
	err := filepath.WalkDir("src", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, filepath.ToSlash(p))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	h := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(filepath.FromSlash(f))
		if err != nil {
			t.Fatal(err)
		}
		h.Write([]byte(f))
		h.Write([]byte{0})
		h.Write(b)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestDistIsBuiltFromSources fails when the committed dist/ was not rebuilt
// after a change to the UI sources (run `npm run build` in ui/).
func TestDistIsBuiltFromSources(t *testing.T) {
	b, err := fs.ReadFile(FS(), "source.sha256")
	if err != nil {
		t.Fatalf("dist/source.sha256 missing: build the UI (cd ui && npm ci && npm run build)")
	}
	if got, want := strings.TrimSpace(string(b)), sourceHash(t); got != want {
		t.Fatalf("dist built from sources %s, sources are now %s: run npm run build in ui/", got, want)
	}
}

// TestDistHasTheApp checks that the embedded index.html loads the built
// script and stylesheet and that both are embedded.
func TestDistHasTheApp(t *testing.T) {
	index, err := fs.ReadFile(FS(), "index.html")
	if err != nil {
		t.Fatal(err)
	}
	assets, err := fs.Glob(FS(), "assets/*")
	if err != nil || len(assets) < 2 {
		t.Fatalf("assets = %v (%v), want the built script and stylesheet", assets, err)
	}
	for _, a := range assets {
		if !strings.Contains(string(index), "/"+a) {
			t.Errorf("index.html does not load %s", a)
		}
	}
}
