package xsim

import (
	"strings"
	"testing"
)

// hostile is a profile that a screen showing leads must print as text.
var hostile = Profile{
	Name:        `<img src=x onerror=alert(1)>`,
	Description: `Founder. <script>alert("bio")</script> & "quotes"`,
	Location:    `<b>Paris</b>`,
	URL:         `javascript:alert(1)`,
}

// TestProfileOverride: a profile set in the faults is what every endpoint
// shows of the user (its lookup by name and by id, and the follower list it
// appears in), byte for byte; a field left empty keeps what the population
// drew; removing it brings the drawn profile back.
func TestProfileOverride(t *testing.T) {
	h := newHarness(t, Options{Seed: 5})
	tok, _ := h.login("acme_sales")
	target, _ := h.sim.UserByUsername("paulg")
	list := h.get("/2/users/"+target.ID+"/followers?max_results=3", tok, 200)["data"].([]any)
	first := list[0].(map[string]any)
	handle, id := first["username"].(string), first["id"].(string)
	drawn, _ := h.sim.UserByUsername(handle)

	if err := h.sim.SetFaults(Faults{Profiles: map[string]Profile{strings.ToUpper(handle): hostile}}); err != nil {
		t.Fatal(err)
	}
	const fields = "?user.fields=description,location,url"
	want := map[string]any{"id": id, "username": handle, "name": hostile.Name, "description": hostile.Description,
		"location": hostile.Location, "url": hostile.URL}
	for _, path := range []string{"/2/users/by/username/" + handle + fields, "/2/users/" + id + fields} {
		if got := h.get(path, tok, 200)["data"]; !jsonEqual(got, want) {
			t.Errorf("GET %s = %v; want %v", path, got, want)
		}
	}
	list = h.get("/2/users/"+target.ID+"/followers?max_results=3&user.fields=description", tok, 200)["data"].([]any)
	if got := list[0].(map[string]any); got["name"] != hostile.Name || got["description"] != hostile.Description {
		t.Errorf("followers list shows %v; want the profile set", got)
	}

	// Only the name: the rest is the population's.
	rec := h.do("POST", FaultsPath, "", `{"profiles": {"`+handle+`": {"name": "Only <i>name</i>"}}}`)
	if rec.Code != 200 {
		t.Fatalf("POST profiles: %d %s", rec.Code, rec.Body)
	}
	if got := h.get(FaultsPath, "", 200)["profiles"]; !jsonEqual(got, map[string]any{strings.ToLower(handle): map[string]any{"name": "Only <i>name</i>"}}) {
		t.Errorf("GET faults profiles = %v", got)
	}
	got := h.get("/2/users/"+id+fields, tok, 200)["data"].(map[string]any)
	if got["name"] != "Only <i>name</i>" || got["description"] != drawn.Description {
		t.Errorf("name only: %v; want the drawn bio %q", got, drawn.Description)
	}

	if rec := h.do("POST", FaultsPath, "", `{"profiles": {"`+strings.ToUpper(handle)+`": null}}`); rec.Code != 200 {
		t.Fatalf("removing the profile: %d %s", rec.Code, rec.Body)
	}
	if u, _ := h.sim.UserByUsername(handle); u != drawn {
		t.Errorf("after removal: %+v; want the drawn profile %+v", u, drawn)
	}
}

// TestProfileOverrideValidates: a profile longer than X allows, or keyed by
// something that is not a username, is refused naming the field, and
// changes nothing.
func TestProfileOverrideValidates(t *testing.T) {
	h := newHarness(t, Options{})
	for _, tc := range []struct{ body, field string }{
		{`{"profiles": {"ana": {"name": "` + strings.Repeat("x", 51) + `"}}}`, "profiles.ana.name"},
		{`{"profiles": {"ana": {"description": "` + strings.Repeat("é", 161) + `"}}}`, "profiles.ana.description"},
		{`{"profiles": {"ana": {"location": "` + strings.Repeat("x", 31) + `"}}}`, "profiles.ana.location"},
		{`{"profiles": {"ana": {"url": "https://` + strings.Repeat("x", 100) + `"}}}`, "profiles.ana.url"},
		{`{"profiles": {"not a handle": {"name": "x"}}}`, "profiles.not a handle"},
		{`{"profiles": {"ana": {"bio": "x"}}}`, "profiles"},
	} {
		rec := h.do("POST", FaultsPath, "", tc.body)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), tc.field) {
			t.Errorf("POST %.60s: %d %s; want 400 naming %s", tc.body, rec.Code, rec.Body, tc.field)
		}
	}
	if got := h.get(FaultsPath, "", 200)["profiles"]; !jsonEqual(got, map[string]any{}) {
		t.Errorf("refused bodies changed the profiles: %v", got)
	}
	err := h.sim.SetFaults(Faults{Profiles: map[string]Profile{"Ana": {Name: "a"}, "ana": {Name: "b"}}})
	if err == nil || !strings.Contains(err.Error(), "profiles.ana") {
		t.Errorf("SetFaults with one user twice: %v; want an error naming profiles.ana", err)
	}
}
