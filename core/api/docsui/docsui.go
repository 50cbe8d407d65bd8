// Package docsui serves the API's interactive documentation (Swagger UI)
// from assets embedded in the binary, so /docs works on a machine with no
// internet access. The assets are swagger-ui-dist, vendored unchanged
// (Apache-2.0, see assets/LICENSE); `make docs-assets` refreshes them, at
// the version the Makefile names.
package docsui

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
)

//go:embed assets
var assets embed.FS

var page = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="stylesheet" href="{{.Base}}/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{{.Base}}/assets/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({url: {{.SpecURL}}, dom_id: "#swagger-ui", deepLinking: true});
</script>
</body>
</html>
`))

// Handler serves the docs page at base (e.g. "/docs") and its assets under
// base+"/assets/", reading the OpenAPI document from specURL.
func Handler(base, title, specURL string) http.Handler {
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	files := http.StripPrefix(base+"/assets/", http.FileServerFS(sub))
	mux := http.NewServeMux()
	mux.Handle("GET "+base+"/assets/", files)
	mux.HandleFunc("GET "+base, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// The page runs only its own and the embedded scripts.
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:")
		_ = page.Execute(w, struct{ Title, Base, SpecURL string }{title, base, specURL})
	})
	return mux
}
