package pluginhost

import (
	"errors"

	"github.com/outreachhq/outreach/core/config"
)

// SpecOf returns the Spec a `plugin "NAME"` block declares.
func SpecOf(p *config.Plugin) Spec {
	s := Spec{Name: p.Name, Source: p.Source, Version: p.Version, Config: p.Config}
	if p.Version != "" {
		// The decoder has checked the constraint's syntax; a constraint
		// that still fails to parse accepts nothing rather than anything.
		c, err := config.ParseVersionConstraint(p.Version)
		s.Allows = func(v string) bool { return err == nil && c.Allows(v) }
	}
	return s
}

// RegisterConfig registers every plugin block of a configuration.
func (h *Host) RegisterConfig(plugins []*config.Plugin) error {
	var errs []error
	for _, p := range plugins {
		if err := h.Register(SpecOf(p)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
