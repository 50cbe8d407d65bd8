package xsim

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Profile is what one population user shows instead of what the population
// drew for them, set in Faults.Profiles: a rehearsal can give a prospect a
// hostile name or bio (markup, scripts, odd scripts and emoji) and watch
// every screen that shows leads. Each field that is "" keeps the drawn
// value. It changes what every endpoint returns for the user (lookups,
// follower lists, DM expansions) from the moment it is set; account
// holders (Login) keep their plain profile.
type Profile struct {
	// Name is the display name, at most 50 characters as on X.
	Name string
	// Description is the bio, at most 160 characters as on X.
	Description string
	// Location is the free-text location, at most 30 characters as on X.
	Location string
	// URL is the website, at most 100 characters as on X. It is returned
	// as given, unchecked, so that a rehearsal can try a javascript: URL on
	// the screens that link it.
	URL string
}

// X's limits on the profile fields a user edits, in characters.
const (
	maxProfileName        = 50
	maxProfileDescription = 160
	maxProfileLocation    = 30
	maxProfileURL         = 100
)

// apply puts p's fields over u's.
func (p Profile) apply(u *User) {
	if p.Name != "" {
		u.Name = p.Name
	}
	if p.Description != "" {
		u.Description = p.Description
	}
	if p.Location != "" {
		u.Location = p.Location
	}
	if p.URL != "" {
		u.URL = p.URL
	}
}

// checkProfiles validates Faults.Profiles, naming the setting at fault.
func checkProfiles(profiles map[string]Profile) error {
	seen := map[string]string{}
	for _, handle := range sortedKeys(profiles) {
		field := "profiles." + handle
		if !validUsername(handle) {
			return fmt.Errorf("%s: not a username: a username is 1 to 15 letters, digits or underscores", field)
		}
		if prev, dup := seen[strings.ToLower(handle)]; dup {
			return fmt.Errorf("%s: the same user as profiles.%s (handles are case-insensitive); give one", field, prev)
		}
		seen[strings.ToLower(handle)] = handle
		p := profiles[handle]
		for _, f := range []struct {
			name, value string
			max         int
		}{
			{"name", p.Name, maxProfileName},
			{"description", p.Description, maxProfileDescription},
			{"location", p.Location, maxProfileLocation},
			{"url", p.URL, maxProfileURL},
		} {
			if !utf8.ValidString(f.value) {
				return fmt.Errorf("%s.%s: not valid UTF-8", field, f.name)
			}
			if n := utf8.RuneCountInString(f.value); n > f.max {
				return fmt.Errorf("%s.%s: %d characters; X allows at most %d", field, f.name, n, f.max)
			}
		}
	}
	return nil
}

// profileJSON is a Profile on the faults endpoint.
type profileJSON struct {
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	Location    string `json:"location,omitempty"`
	URL         string `json:"url,omitempty"`
}

func decodeProfiles(f *Faults, raw json.RawMessage, _ time.Time) error {
	var in map[string]*profileJSON
	if err := strictDecode(raw, &in); err != nil {
		return err
	}
	profiles := make(map[string]Profile, len(f.Profiles)+len(in))
	for h, p := range f.Profiles {
		profiles[strings.ToLower(h)] = p
	}
	for h, p := range in {
		h = strings.ToLower(h)
		if p == nil {
			delete(profiles, h)
			continue
		}
		profiles[h] = Profile(*p)
	}
	f.Profiles = profiles
	return nil
}
