package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
)

// assets are the dashboard's scripts and styles: htmx and uPlot vendored
// from npm (see the Makefile's dashboard-assets), and our own. Each is
// served under a path that holds a hash of the build's assets, so a
// browser may keep them for a year and still never runs a stale one.
//
//go:embed assets
var assetFiles embed.FS

const assetsPrefix = "/assets/"

// assetsVersion is a hash of every asset, computed once.
var assetsVersion = func() string {
	h := sha256.New()
	err := fs.WalkDir(assetFiles, "assets", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := assetFiles.ReadFile(p)
		h.Write([]byte(p))
		h.Write(b)
		return err
	})
	if err != nil {
		panic(err)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}()

// assetURL is where asset file is served in this build.
func assetURL(file string) string {
	return assetsPrefix + assetsVersion + "/" + file
}

func serveAsset(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	b, err := assetFiles.ReadFile(path.Join("assets", file))
	if err != nil || r.PathValue("version") != assetsVersion {
		http.NotFound(w, r)
		return
	}
	if ct := mime.TypeByExtension(path.Ext(file)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(b)
}
