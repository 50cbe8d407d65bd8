package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"path"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pages are the dashboard's templates. Every file in templates/ is parsed
// into one set, where each page defines a template named after it
// ("inbox") and any fragments it re-renders for htmx ("inbox-list"). The
// layout shows a page by calling "content", which each page's own copy of
// the set defines as a call of the page's template.
type pages struct {
	all    *template.Template
	byName map[string]*template.Template
}

func mustParsePages() *pages {
	p, err := parsePages()
	if err != nil {
		panic(err)
	}
	return p
}

func parsePages() (*pages, error) {
	all, err := template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	if _, err := all.New("content").Parse(""); err != nil {
		return nil, err
	}
	p := &pages{all: all, byName: map[string]*template.Template{}}
	files, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || all.Lookup(name) == nil {
			continue
		}
		t, err := all.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.New("content").Parse(fmt.Sprintf("{{template %q .}}", name)); err != nil {
			return nil, err
		}
		p.byName[name] = t
	}
	return p, nil
}

// execute runs template name of page's set ("fragments": the shared set,
// for a fragment of any page).
func (p *pages) execute(w io.Writer, page, name string, data any) error {
	t := p.all
	if page != "fragments" {
		var ok bool
		if t, ok = p.byName[page]; !ok {
			return fmt.Errorf("no page %q", page)
		}
	}
	return t.ExecuteTemplate(w, name, data)
}

// navItem is an entry of the main navigation.
type navItem struct{ Key, Path, Label string }

var nav = []navItem{
	{"overview", "/", "Overview"},
	{"inbox", "/inbox", "Inbox"},
	{"board", "/board", "CRM board"},
	{"campaigns", "/campaigns", "Campaigns"},
	{"accounts", "/accounts", "Accounts"},
	{"sources", "/sources", "Sources"},
	{"tweets", "/tweets", "Scheduled tweets"},
	{"webhooks", "/webhooks", "Webhooks"},
	{"review", "/review", "Needs review"},
}

var funcs = template.FuncMap{
	"navItems": func() []navItem { return nav },
	"asset":    assetURL,
	"when":     when,
	"json":     toJSON,
	"pct":      pct,
	"dict":     dict,
	"add":      func(a, b int) int { return a + b },
	"sub":      func(a, b float64) float64 { return a - b },
	// day shows a day given in Unix seconds (midnight UTC) as its date.
	"day": func(unix int64) string { return time.Unix(unix, 0).UTC().Format("Mon 2 Jan") },
	"title": func(s string) string {
		if s == "" {
			return s
		}
		return strings.ToUpper(s[:1]) + s[1:]
	},
}

// when shows a time as a <time> element: UTC on the server, rewritten in
// the browser's time zone by app.js. A zero time shows a dash.
func when(t time.Time) template.HTML {
	if t.IsZero() {
		return "—"
	}
	t = t.UTC()
	return template.HTML(fmt.Sprintf(`<time datetime="%s">%s</time>`,
		t.Format(time.RFC3339), t.Format("2 Jan 2006 15:04 UTC")))
}

// toJSON encodes v for a data-* attribute, which html/template escapes.
func toJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// pct shows a percentage with one decimal at most.
func pct(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0") + "%"
}

// dict builds a map from pairs, to pass several values to a template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}
