package config

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/outreachhq/outreach/core/filter"
)

// referencePath is the configuration reference, checked against the decoder.
var referencePath = filepath.Join("..", "..", "schema", "config", "reference.md")

// referenceSchemas is every block the language has, by path, with the
// schema its decoder uses; nil for free-form bodies.
var referenceSchemas = map[string]*hcl.BodySchema{
	"variable":                      variableSchema,
	"locals":                        nil,
	"settings":                      settingsSchema,
	"settings > account_defaults":   accountOptionsSchema,
	"settings > campaign_defaults":  campaignOptionsSchema,
	"settings > ai_setter":          setterSchema,
	"plugin":                        pluginSchema,
	"plugin > config":               nil,
	"account":                       accountSchema,
	"account > pacing":              pacingSchema,
	"account > active_hours":        windowSchema,
	"account > warmup":              warmupSchema,
	"filter":                        filterSchema,
	"source":                        sourceSchema,
	"source > target":               targetSchema,
	"source > filter":               filterSchema,
	"campaign":                      campaignSchema,
	"campaign > variant":            variantSchema,
	"campaign > variant > followup": followupSchema,
	"campaign > followup":           followupSchema,
	"campaign > comment":            commentSchema,
	"campaign > window":             windowSchema,
	"webhook":                       webhookSchema,
	"tweet":                         tweetSchema,
}

// referenceTemplates are minimal valid configurations with a place (%s) in
// the block of each path, to check documented defaults by setting them.
var referenceTemplates = map[string]string{
	"variable":                     "variable \"v\" {\n  default = 1\n%s}\n",
	"settings":                     "settings {\n%s}\n",
	"settings > account_defaults":  "settings {\n  account_defaults {\n%s  }\n}\naccount \"a\" {\n  handle = \"acme\"\n}\n",
	"settings > campaign_defaults": "settings {\n  campaign_defaults {\n%s  }\n}\n" + validSource + "campaign \"c\" {\n  sources = [source.s]\n  message = \"hi\"\n}\n",
	"settings > ai_setter":         "settings {\n  ai_setter {\n%s  }\n}\n",
	"plugin":                       "plugin \"p\" {\n%s}\n",
	"account":                      "account \"a\" {\n  handle = \"acme\"\n%s}\n",
	"account > pacing":             "account \"a\" {\n  handle = \"acme\"\n  pacing {\n%s  }\n}\n",
	"account > active_hours":       "account \"a\" {\n  handle = \"acme\"\n  active_hours {\n%s  }\n}\n",
	"account > warmup":             "account \"a\" {\n  handle = \"acme\"\n  warmup {\n%s  }\n}\n",
	"filter":                       "filter \"f\" {\n%s}\n",
	"source":                       "source \"s\" {\n  target \"paulg\" {}\n%s}\n",
	"source > target":              "source \"s\" {\n  target \"paulg\" {\n%s  }\n}\n",
	"campaign":                     validSource + "campaign \"c\" {\n  sources = [source.s]\n  message = \"hi\"\n%s}\n",
	"campaign > variant":           validSource + "campaign \"c\" {\n  sources = [source.s]\n  variant {\n    message = \"m\"\n%s  }\n}\n",
	"campaign > comment":           validSource + "campaign \"c\" {\n  sources = [source.s]\n  message = \"hi\"\n  comment {\n%s  }\n}\n",
	"campaign > window":            validSource + "campaign \"c\" {\n  sources = [source.s]\n  message = \"hi\"\n  window {\n%s  }\n}\n",
	"webhook":                      "webhook \"w\" {\n  url = \"https://example.com/hook\"\n%s}\n",
}

type referenceSection struct {
	path string
	// rows are the attribute table's rows: name -> default column.
	rows map[string]string
	// text is the section's prose, for its "Blocks:" line.
	text string
}

var (
	headingRE = regexp.MustCompile(`^#{3,4} (.+)$`)
	rowRE     = regexp.MustCompile("^\\| `([a-z_]+)` \\| [^|]+ \\| ([^|]+) \\|")
	labelRE   = regexp.MustCompile(` "[A-Z]+"`)
)

func readReference(t *testing.T) map[string]*referenceSection {
	t.Helper()
	b, err := os.ReadFile(referencePath)
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]*referenceSection{}
	var cur *referenceSection
	for _, line := range strings.Split(string(b), "\n") {
		if m := headingRE.FindStringSubmatch(line); m != nil {
			path := labelRE.ReplaceAllString(m[1], "")
			if _, dup := sections[path]; dup {
				t.Errorf("reference: section %q twice", path)
			}
			cur = &referenceSection{path: path, rows: map[string]string{}}
			sections[path] = cur
			continue
		}
		if cur == nil {
			continue
		}
		if m := rowRE.FindStringSubmatch(line); m != nil {
			cur.rows[m[1]] = strings.TrimSpace(m[2])
		} else {
			cur.text += line + "\n"
		}
	}
	return sections
}

// TestReferenceMatchesDecoder checks schema/config/reference.md against the
// decoder: the same blocks, the same attributes in each, the same required
// ones, and the documented defaults are the decoder's.
func TestReferenceMatchesDecoder(t *testing.T) {
	sections := readReference(t)
	var documented, decoded []string
	for p := range sections {
		documented = append(documented, p)
	}
	for p := range referenceSchemas {
		decoded = append(decoded, p)
	}
	sort.Strings(documented)
	sort.Strings(decoded)
	if diff := cmp.Diff(decoded, documented); diff != "" {
		t.Errorf("blocks (-decoder +reference):\n%s", diff)
	}
	for _, b := range rootSchema.Blocks {
		if _, ok := referenceSchemas[b.Type]; !ok {
			t.Errorf("top-level block %q is missing from referenceSchemas", b.Type)
		}
	}
	for path, schema := range referenceSchemas {
		sec, ok := sections[path]
		if !ok || schema == nil {
			continue
		}
		if len(sec.rows) == 0 && strings.Contains(sec.text, "with the attributes of") {
			continue // documented by reference to another block
		}
		var attrs []string
		for _, a := range schema.Attributes {
			attrs = append(attrs, a.Name)
			def, ok := sec.rows[a.Name]
			if ok && a.Required != (def == "required") {
				t.Errorf("%s.%s: required is %v, the reference says default %q", path, a.Name, a.Required, def)
			}
		}
		var rows []string
		for n := range sec.rows {
			rows = append(rows, n)
		}
		sort.Strings(attrs)
		sort.Strings(rows)
		if diff := cmp.Diff(attrs, rows); diff != "" {
			t.Errorf("%s attributes (-decoder +reference):\n%s", path, diff)
		}
		for _, b := range schema.Blocks {
			if _, ok := sections[path+" > "+b.Type]; !ok && !strings.Contains(sec.text, "`"+b.Type+"`") {
				t.Errorf("%s: block %q is not documented", path, b.Type)
			}
		}
	}
}

// TestReferenceDefaults decodes each block with and without each
// documented default set explicitly: the two must be the same.
func TestReferenceDefaults(t *testing.T) {
	sections := readReference(t)
	cmpOpts := cmp.Options{ignoreRanges,
		cmp.Comparer(func(a, b cty.Type) bool { return a.Equals(b) }),
		cmp.Comparer(func(a, b cty.Value) bool { return a.RawEquals(b) }),
		cmp.AllowUnexported(Variable{}),
	}
	checked := 0
	for path, tmpl := range referenceTemplates {
		sec := sections[path]
		if sec == nil {
			t.Errorf("no section %q", path)
			continue
		}
		base := mustLoad(t, fmt.Sprintf(tmpl, ""))
		for name, def := range sec.rows {
			if !strings.HasPrefix(def, "`") || !strings.HasSuffix(def, "`") {
				continue // required, none, or described in words
			}
			literal := strings.Trim(def, "`")
			if _, d := hclsyntax.ParseExpression([]byte(literal), "default", hcl.InitialPos); d.HasErrors() {
				t.Errorf("%s.%s: default %s is not an HCL value", path, name, def)
				continue
			}
			checked++
			src := fmt.Sprintf(tmpl, fmt.Sprintf("    %s = %s\n", name, literal))
			got, diags := load(t, src)
			if diags.HasErrors() {
				t.Errorf("%s.%s = %s does not decode:\n%s", path, name, literal, describe(diags))
				continue
			}
			if diff := cmp.Diff(base, got, cmpOpts); diff != "" && !sameFilterBehaviour(base, got) {
				t.Errorf("%s.%s: the documented default %s is not the decoder's (-default +explicit):\n%s", path, name, literal, diff)
			}
		}
	}
	if checked < 40 {
		t.Errorf("only %d defaults checked", checked)
	}
}

// sameFilterBehaviour reports whether two configurations differ only in
// filters that compile to the same program: a logic word left to its
// default reads as "" but means the default.
func sameFilterBehaviour(a, b *Config) bool {
	if len(a.Filters) != 1 || len(b.Filters) != 1 {
		return false
	}
	pa, err1 := filter.Compile(a.Filters[0].Spec)
	pb, err2 := filter.Compile(b.Filters[0].Spec)
	return err1 == nil && err2 == nil && pa.Source() == pb.Source() &&
		slices.Equal(a.Filters[0].Spec.LocationExclude, b.Filters[0].Spec.LocationExclude)
}
