package pluginhost

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Spec declares a plugin, as a `plugin "NAME"` block does.
type Spec struct {
	Name string
	// Source is the absolute path of an external plugin binary, or the name
	// of a built-in plugin. Empty means Name.
	Source string
	// Version is a version constraint, shown in errors; Allows checks it
	// (nil accepts any version).
	Version string
	Allows  func(version string) bool
	// Config is the plugin's configuration, a JSON object.
	Config json.RawMessage
}

// Source says where a plugin comes from.
type Source struct {
	// Builtin is true for a plugin compiled into outreach.
	Builtin bool
	// Name is the built-in's name, Path the external binary.
	Name, Path string
	// Version and allows are the constraint of the plugin block, if any.
	Version string
	allows  func(string) bool
	config  json.RawMessage
	// alias is true for a built-in declared under another name.
	alias bool
}

// String is how the source is shown: "builtin" (naming the built-in when
// a plugin block gave it another name) or the binary's path.
func (s Source) String() string {
	switch {
	case s.Builtin && s.alias:
		return "builtin " + s.Name
	case s.Builtin:
		return "builtin"
	}
	return s.Path
}

// ExternalPrefix starts the file name of every external plugin binary.
const ExternalPrefix = "outreach-plugin-"

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

// Register declares a plugin before first use: an external binary by
// absolute path, or a built-in under its own or another name (with its own
// configuration). A registered plugin takes precedence over a built-in or
// discovered plugin of the same name.
func (h *Host) Register(s Spec) error {
	if !nameRE.MatchString(s.Name) {
		return fmt.Errorf("plugin name %q: use lower-case letters, digits, - and _, starting with a letter", s.Name)
	}
	if s.Source == "" {
		s.Source = s.Name
	}
	if !filepath.IsAbs(s.Source) && !slices.Contains(h.opts.Builtins, s.Source) {
		return fmt.Errorf("plugin %q: source %q is neither an absolute path nor a built-in plugin (built-ins: %s)",
			s.Name, s.Source, strings.Join(h.opts.Builtins, ", "))
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, dup := h.specs[s.Name]; dup {
		return fmt.Errorf("plugin %q is declared twice", s.Name)
	}
	if _, running := h.plugins[s.Name]; running {
		return fmt.Errorf("plugin %q is already in use: declare plugins before using them", s.Name)
	}
	h.specs[s.Name] = s
	return nil
}

// resolve finds plugin name: a registered spec, else a built-in, else
// outreach-plugin-NAME in the plugin dir. h.mu is held.
func (h *Host) resolve(name string) (Source, error) {
	if s, ok := h.specs[name]; ok {
		src := Source{Version: s.Version, allows: s.Allows, config: s.Config}
		if filepath.IsAbs(s.Source) {
			src.Path = s.Source
		} else {
			src.Builtin, src.Name, src.alias = true, s.Source, s.Source != name
		}
		return src, nil
	}
	if slices.Contains(h.opts.Builtins, name) {
		return Source{Builtin: true, Name: name}, nil
	}
	if path, ok := h.discovered()[name]; ok {
		return Source{Path: path}, nil
	}
	where := "no plugin dir is set"
	if h.opts.PluginDir != "" {
		where = fmt.Sprintf("%s has no %s%s", h.opts.PluginDir, ExternalPrefix, name)
	}
	return Source{}, fmt.Errorf("plugin %q not found: it is not built in (built-ins: %s), no plugin block declares it, and %s",
		name, strings.Join(h.opts.Builtins, ", "), where)
}

// discovered lists the executables named outreach-plugin-NAME in the plugin
// dir, by NAME. It reads the dir on every call: the dir is small, and a
// plugin dropped in while serving is found without a restart.
func (h *Host) discovered() map[string]string {
	out := map[string]string{}
	if h.opts.PluginDir == "" {
		return out
	}
	entries, err := os.ReadDir(h.opts.PluginDir)
	if err != nil {
		if !os.IsNotExist(err) {
			h.opts.Logger.Warn("read plugin dir", "dir", h.opts.PluginDir, "error", err)
		}
		return out
	}
	for _, e := range entries {
		name, ok := strings.CutPrefix(e.Name(), ExternalPrefix)
		name = strings.TrimSuffix(name, ".exe")
		if !ok || !nameRE.MatchString(name) {
			continue
		}
		path := filepath.Join(h.opts.PluginDir, e.Name())
		if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
			continue
		}
		out[name] = path
	}
	return out
}

// Names lists every plugin the host can launch: built-ins, registered and
// discovered plugins, sorted.
func (h *Host) Names() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	set := map[string]bool{}
	for _, n := range h.opts.Builtins {
		set[n] = true
	}
	for n := range h.specs {
		set[n] = true
	}
	for n := range h.discovered() {
		set[n] = true
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
