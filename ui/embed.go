// Package ui holds the analyst's link-chart app. Its Vite build lands in
// dist/, which this package embeds so that the probity binary serves it; a
// committed placeholder keeps `go build` working on a clone without Node.
package ui

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// FS returns the built app, rooted at its index.html.
func FS() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // dist is embedded at build time; it cannot be missing
	}
	return sub
}
