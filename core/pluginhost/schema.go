package pluginhost

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/outreachhq/outreach/sdk"
)

// Kinds of problem checkConfig finds.
const (
	problemUnknown  = "unknown"
	problemType     = "type"
	problemRequired = "required"
)

// configProblem is one way a config object does not fit a plugin's schema.
type configProblem struct {
	Kind string
	// Field is the top-level attribute, Path where in its value the problem
	// is ("stages[1]", "auth.user"; Field itself for the whole value).
	Field, Path string
	// Want is the type the schema declares, Got what the value is, both as
	// a person says them ("a string"); set for problemType.
	Want, Got string
}

// checkConfig checks a config object (the JSON of a plugin block's config)
// against the fields a plugin declares: no attribute it does not declare,
// every required one present, and each value of its declared type. The
// types are those sdk.ConfigField documents (string, number, bool,
// list(string), map(string); lists and maps of any of them are checked as
// well); a type it does not know is not checked, since the plugin may be
// newer than this host. A null value counts as absent.
// Problems come in field order, unknown attributes by name.
func checkConfig(fields []sdk.ConfigField, raw json.RawMessage) ([]configProblem, error) {
	var obj map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil {
		return nil, fmt.Errorf("the config is not a JSON object: %v", err)
	}
	declared := make(map[string]bool, len(fields))
	var out []configProblem
	for _, f := range fields {
		declared[f.Name] = true
		v, set := obj[f.Name]
		if !set || v == nil {
			if f.Required {
				out = append(out, configProblem{Kind: problemRequired, Field: f.Name, Path: f.Name})
			}
			continue
		}
		if p, ok := checkType(f.Type, v, f.Name); !ok {
			p.Field = f.Name
			out = append(out, p)
		}
	}
	var unknown []string
	for name := range obj {
		if !declared[name] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		out = append(out, configProblem{Kind: problemUnknown, Field: name, Path: name})
	}
	return out, nil
}

// checkType checks value v (as encoding/json decodes it, numbers as
// json.Number) against type ty, at path.
func checkType(ty string, v any, path string) (configProblem, bool) {
	ty = strings.TrimSpace(ty)
	if elem, ok := collection(ty, "list"); ok {
		list, isList := v.([]any)
		if !isList {
			return mismatch(ty, v, path), false
		}
		for i, e := range list {
			if p, ok := checkType(elem, e, fmt.Sprintf("%s[%d]", path, i)); !ok {
				return p, false
			}
		}
		return configProblem{}, true
	}
	if elem, ok := collection(ty, "map"); ok {
		m, isMap := v.(map[string]any)
		if !isMap {
			return mismatch(ty, v, path), false
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if p, ok := checkType(elem, m[k], path+"."+k); !ok {
				return p, false
			}
		}
		return configProblem{}, true
	}
	var ok bool
	switch ty {
	case "string":
		_, ok = v.(string)
	case "number":
		_, ok = v.(json.Number)
	case "bool":
		_, ok = v.(bool)
	default:
		// A type this host does not know.
		ok = true
	}
	if !ok {
		return mismatch(ty, v, path), false
	}
	return configProblem{}, true
}

// collection reads "list(T)" or "map(T)" and returns T.
func collection(ty, kind string) (string, bool) {
	inner, ok := strings.CutPrefix(ty, kind+"(")
	if !ok || !strings.HasSuffix(inner, ")") {
		return "", false
	}
	return strings.TrimSuffix(inner, ")"), true
}

func mismatch(ty string, v any, path string) configProblem {
	return configProblem{Kind: problemType, Path: path, Want: describeType(ty), Got: describeJSON(v)}
}

// describeType says a schema type as a person does: "a list of strings".
func describeType(ty string) string {
	if elem, ok := collection(ty, "list"); ok {
		return "a list of " + plural(elem)
	}
	if elem, ok := collection(ty, "map"); ok {
		return "an object of " + plural(elem)
	}
	switch ty {
	case "string":
		return "a string"
	case "number":
		return "a number"
	case "bool":
		return "true or false"
	}
	return ty
}

func plural(ty string) string {
	switch ty {
	case "string", "number":
		return ty + "s"
	case "bool":
		return "bools"
	}
	return strings.TrimPrefix(strings.TrimPrefix(describeType(ty), "a "), "an ")
}

// describeJSON names the type of a decoded JSON value, never the value:
// it may be a secret.
func describeJSON(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a bool"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}
