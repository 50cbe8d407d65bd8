package xsim

import (
	"fmt"
	"strings"
	"testing"
)

// followersPages fetches every page of a list with the given page size and
// returns the raw page bodies and the user ids in order.
func followersPages(t *testing.T, h *harness, token, userID, list string, size int) ([]string, []string) {
	t.Helper()
	var bodies, ids []string
	next := ""
	for page := 0; ; page++ {
		path := fmt.Sprintf("/2/users/%s/%s?max_results=%d&user.fields=description,public_metrics", userID, list, size)
		if next != "" {
			path += "&pagination_token=" + next
		}
		rec := h.do("GET", path, token, nil)
		if rec.Code != 200 {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		bodies = append(bodies, rec.Body.String())
		body := decodeJSON(t, rec.Body.Bytes())
		data := asList(body["data"])
		meta := body["meta"].(map[string]any)
		if int(meta["result_count"].(float64)) != len(data) {
			t.Fatalf("result_count %v but %d users", meta["result_count"], len(data))
		}
		for _, u := range data {
			ids = append(ids, u.(map[string]any)["id"].(string))
		}
		tok, _ := meta["next_token"].(string)
		if tok == "" {
			return bodies, ids
		}
		if len(data) != size {
			t.Fatalf("page %d has %d users but is not the last", page, len(data))
		}
		if page > 100 {
			t.Fatal("pagination does not end")
		}
		next = tok
	}
}

func TestFollowersAreDeterministic(t *testing.T) {
	h1 := newHarness(t, Options{Seed: 42})
	h2 := newHarness(t, Options{Seed: 42})
	tok1, _ := h1.login("acme_sales")
	tok2, _ := h2.login("acme_sales")
	target, _ := h1.sim.UserByUsername("paulg")
	h2.sim.UserByUsername("paulg")

	for _, list := range []string{"followers", "following"} {
		t.Run(list, func(t *testing.T) {
			pages1, ids1 := followersPages(t, h1, tok1, target.ID, list, 37)
			pages2, _ := followersPages(t, h2, tok2, target.ID, list, 37)
			if strings.Join(pages1, "") != strings.Join(pages2, "") {
				t.Fatal("two Sims with one seed answer different pages")
			}
			seen := map[string]bool{}
			for _, id := range ids1 {
				if seen[id] {
					t.Fatalf("user %s is on two pages", id)
				}
				seen[id] = true
			}
			// Page boundaries do not change the list.
			_, whole := followersPages(t, h1, tok1, target.ID, list, 1000)
			if strings.Join(whole, ",") != strings.Join(ids1, ",") {
				t.Error("one page of 1000 differs from pages of 37 concatenated")
			}
			want := target.FollowersCount
			if list == "following" {
				want = target.FollowingCount
			}
			if len(ids1) == 0 || len(ids1) > want || len(ids1) > maxListedFollowers {
				t.Errorf("%d users listed; public count %d", len(ids1), want)
			}
		})
	}

	// Another seed is another world.
	h3 := newHarness(t, Options{Seed: 43})
	tok3, _ := h3.login("acme_sales")
	h3.sim.UserByUsername("paulg") // a hashed id resolves once its name has been looked up
	_, ids3 := followersPages(t, h3, tok3, target.ID, "followers", 1000)
	_, ids1 := followersPages(t, h1, tok1, target.ID, "followers", 1000)
	if strings.Join(ids1, ",") == strings.Join(ids3, ",") {
		t.Error("seeds 42 and 43 give the same followers")
	}
}

func TestFollowersResolveByIDAndUsername(t *testing.T) {
	h := newHarness(t, Options{})
	tok, _ := h.login("acme_sales")
	target, _ := h.sim.UserByUsername("some_target")
	body := h.get("/2/users/"+target.ID+"/followers?max_results=50&user.fields=description,location,url,public_metrics,created_at", tok, 200)
	for _, v := range asList(body["data"]) {
		u := v.(map[string]any)
		id, name := u["id"].(string), u["username"].(string)
		// A fresh Sim has seen none of these users: ids and usernames must
		// resolve on their own, as after a restart.
		fresh := New(Options{})
		ftok, _ := fresh.Login("acme_sales")
		hf := &harness{t: t, sim: fresh, clock: h.clock}
		byID := hf.get("/2/users/"+id+"?user.fields=description,location,url,public_metrics,created_at", ftok, 200)
		byName := hf.get("/2/users/by/username/"+strings.ToUpper(name)+"?user.fields=description,location,url,public_metrics,created_at", ftok, 200)
		if !jsonEqual(byID["data"], u) || !jsonEqual(byName["data"], u) {
			t.Fatalf("follower %s resolves differently:\n list  %v\n by id %v\n by name %v", name, u, byID["data"], byName["data"])
		}
	}
}

func TestUsersLookVaried(t *testing.T) {
	s := New(Options{})
	var n, founders, matching, withURL, noLocation, verified, protected, small, huge, refuse int
	names := map[string]bool{}
	for o := 0; o < 30; o++ {
		owner, _ := s.UserByUsername(fmt.Sprintf("owner%d", o))
		id, _ := parseID(owner.ID)
		for _, m := range s.pop.edges(id, followersEdge, 200) {
			u, ok := s.userByIDLocked(m.id)
			if !ok {
				t.Fatalf("generated user %d does not resolve", m.id)
			}
			n++
			names[strings.Fields(u.Name)[0]] = true
			bio := strings.ToLower(u.Description)
			isFounder := strings.Contains(bio, "founder") || strings.Contains(bio, "ceo")
			if isFounder {
				founders++
			}
			if isFounder && u.FollowersCount >= 100 && u.FollowersCount <= 50_000 && u.URL != "" {
				matching++
			}
			if u.URL != "" {
				withURL++
			}
			if u.Location == "" {
				noLocation++
			}
			if u.Verified {
				verified++
			}
			if u.Protected {
				protected++
			}
			if u.FollowersCount < 50 {
				small++
			}
			if u.FollowersCount > 100_000 {
				huge++
			}
			if !u.AcceptsDMs {
				refuse++
			}
			if len(u.ID) < 18 || len(u.ID) > 19 {
				t.Errorf("id %s is not 18-19 digits", u.ID)
			}
			if !validUsername(u.Username) || isGhost(strings.ToLower(u.Username)) {
				t.Errorf("bad username %q", u.Username)
			}
		}
	}
	pct := func(x int) float64 { return 100 * float64(x) / float64(n) }
	checks := []struct {
		what   string
		got    float64
		lo, hi float64
	}{
		{"founders/CEOs", pct(founders), 12, 30},
		{"matching a typical filter", pct(matching), 4, 25},
		{"with a website", pct(withURL), 35, 65},
		{"without a location", pct(noLocation), 10, 40},
		{"verified", pct(verified), 1, 10},
		{"protected", pct(protected), 1, 6},
		{"under 50 followers", pct(small), 3, 15},
		{"over 100k followers", pct(huge), 0.5, 5},
		{"refusing DMs", pct(refuse), 2, 9},
	}
	for _, c := range checks {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%.1f%% %s, want %.0f-%.0f%%", c.got, c.what, c.lo, c.hi)
		}
	}
	if len(names) < 60 {
		t.Errorf("only %d distinct first names", len(names))
	}
}

func TestHandlesRoundTrip(t *testing.T) {
	r := newRNG(99)
	for i := 0; i < 20_000; i++ {
		p := randomParts(r)
		s, ok := p.render()
		if !ok {
			continue
		}
		c, ok := parseHandle(s)
		if !ok {
			t.Fatalf("%q (from %+v) does not parse", s, p)
		}
		if back, _ := c.render(); back != s {
			t.Fatalf("%q parses to %+v, which renders %q", s, c, back)
		}
		id := generatedID(c)
		d, ok := decodeGeneratedID(id)
		if !ok || d != c {
			t.Fatalf("id %d of %q decodes to %+v, %v", id, s, d, ok)
		}
		if idForUsername(s) != id {
			t.Fatalf("idForUsername(%q) disagrees with the handle's id", s)
		}
	}
	// Numbers in the generated range are almost never ids.
	decoded := 0
	for i := uint64(0); i < 20_000; i++ {
		if _, ok := decodeGeneratedID(genBase + hashOf(i)%(1<<genBits)); ok {
			decoded++
		}
	}
	if decoded > 2 {
		t.Errorf("%d random numbers decode as users", decoded)
	}
}

func TestUsernames(t *testing.T) {
	s := New(Options{})
	cases := []struct {
		name   string
		exists bool
	}{
		{"paulg", true},
		{"PaulG", true},
		{"a", true},
		{"fifteen_chars_x", true},
		{"sarah_chen42", true},
		{"ghost", false},
		{"GhostUser", false},
		{"ghost_123", false},
		{"sixteen_chars_xx", false},
		{"", false},
		{"no-dash", false},
		{"spa ce", false},
	}
	for _, c := range cases {
		u, ok := s.UserByUsername(c.name)
		if ok != c.exists {
			t.Errorf("UserByUsername(%q) exists=%v, want %v", c.name, ok, c.exists)
			continue
		}
		if ok && !strings.EqualFold(u.Username, c.name) {
			t.Errorf("UserByUsername(%q).Username = %q", c.name, u.Username)
		}
	}
	a, _ := s.UserByUsername("JaneDoeX")
	b, _ := s.UserByUsername("janedoex")
	if a != b {
		t.Error("lookups differ by case")
	}
	if b.Username != "JaneDoeX" {
		t.Errorf("username keeps the capitalisation first seen; got %q", b.Username)
	}
}
