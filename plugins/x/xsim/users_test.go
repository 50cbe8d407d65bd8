package xsim

import (
	"net/url"
	"strings"
	"testing"
)

func TestUserLookupShapes(t *testing.T) {
	h := newHarness(t, Options{})
	tok, meID := h.login("acme_sales")
	target, _ := h.sim.UserByUsername("TwitterDev")
	protected := findUser(t, h.sim, "locked", func(u User) bool { return u.Protected })

	cases := []struct {
		name, path, example string
	}{
		{"by username, default fields", "/2/users/by/username/TwitterDev", "users_by_username.default.response.json"},
		{"by id, default fields", "/2/users/" + target.ID, "users_by_username.default.response.json"},
		{"by username, public metrics", "/2/users/by/username/TwitterDev?user.fields=created_at,description,public_metrics,verified", "users_by_username.public_metrics.response.json"},
		{"by id, protected user", "/2/users/" + protected.ID + "?user.fields=created_at,description,id,name,profile_image_url,protected,url,username,verified", "users_by_id.protected_user.response.json"},
		{"me", "/2/users/me?user.fields=created_at,description,verified,public_metrics,profile_image_url", "users_me.response.json"},
		{"unknown username", "/2/users/by/username/ghostly", "users_by_username.not_found.response.json"},
		{"unknown id", "/2/users/2244994946", "users_by_id.not_found.response.json"},
		{"followers", "/2/users/" + target.ID + "/followers?max_results=10", "followers.response.json"},
		{"following", "/2/users/" + target.ID + "/following?max_results=10", "followers.response.json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := h.do("GET", tc.path, tok, nil)
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			for _, hd := range []string{"x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"} {
				if rec.Header().Get(hd) == "" {
					t.Errorf("no %s header", hd)
				}
			}
			assertShape(t, decodeJSON(t, rec.Body.Bytes()), tc.example)
		})
	}

	me := h.get("/2/users/me", tok, 200)["data"].(map[string]any)
	if me["id"] != meID || me["username"] != "acme_sales" {
		t.Errorf("me is %v", me)
	}
	nf := h.get("/2/users/by/username/Ghostly", tok, 200)
	p := asList(nf["errors"])[0].(map[string]any)
	if p["value"] != "Ghostly" || p["parameter"] != "username" || p["detail"] != "Could not find user with username: [Ghostly]." ||
		p["type"] != "https://api.twitter.com/2/problems/resource-not-found" {
		t.Errorf("not-found problem %v", p)
	}
}

func TestFollowersEdgeCases(t *testing.T) {
	h := newHarness(t, Options{})
	tok, _ := h.login("acme_sales")
	target, _ := h.sim.UserByUsername("bigtarget")
	lonely := findUser(t, h.sim, "quiet", func(u User) bool { return u.FollowersCount == 0 })

	body := h.get("/2/users/"+lonely.ID+"/followers", tok, 200)
	if !jsonEqual(body, map[string]any{"meta": map[string]any{"result_count": 0}}) {
		t.Errorf("no followers: %v", body)
	}
	body = h.get("/2/users/"+target.ID+"/followers?max_results=1", tok, 200)
	if n := len(asList(body["data"])); n != 1 {
		t.Errorf("max_results=1 gave %d", n)
	}
	// The last page has no next_token.
	last := h.get("/2/users/"+target.ID+"/followers?max_results=1000", tok, 200)
	if _, ok := last["meta"].(map[string]any)["next_token"]; ok {
		t.Error("a single full page has a next_token")
	}
	// A follower list of a missing user is a not-found problem.
	nf := h.get("/2/users/2244994946/followers", tok, 200)
	if _, ok := nf["errors"]; !ok {
		t.Errorf("followers of a missing user: %v", nf)
	}
}

func TestInvalidParameters(t *testing.T) {
	h := newHarness(t, Options{})
	tok, _ := h.login("acme_sales")
	target, _ := h.sim.UserByUsername("bigtarget")
	followingTok := h.get("/2/users/"+target.ID+"/following?max_results=5", tok, 200)["meta"].(map[string]any)["next_token"].(string)
	other, _ := h.sim.UserByUsername("othertarget")
	otherTok := h.get("/2/users/"+other.ID+"/followers?max_results=5", tok, 200)["meta"].(map[string]any)["next_token"].(string)

	cases := []struct {
		name, path, param string
	}{
		{"max_results 0", "/2/users/" + target.ID + "/followers?max_results=0", "max_results"},
		{"max_results 1001", "/2/users/" + target.ID + "/followers?max_results=1001", "max_results"},
		{"max_results not a number", "/2/users/" + target.ID + "/followers?max_results=ten", "max_results"},
		{"garbage token", "/2/users/" + target.ID + "/followers?pagination_token=NOTATOKEN", "pagination_token"},
		{"token of another list", "/2/users/" + target.ID + "/followers?pagination_token=" + followingTok, "pagination_token"},
		{"token of another user", "/2/users/" + target.ID + "/followers?pagination_token=" + otherTok, "pagination_token"},
		{"unknown user field", "/2/users/by/username/paulg?user.fields=description,shoe_size", "user.fields"},
		{"bad username", "/2/users/by/username/no-dashes", "username"},
		{"username too long", "/2/users/by/username/sixteen_chars_xx", "username"},
		{"bad id", "/2/users/12ab", "id"},
		{"id too long", "/2/users/12345678901234567890", "id"},
		{"dm max_results 101", "/2/dm_events?max_results=101", "max_results"},
		{"dm unknown field", "/2/dm_events?dm_event.fields=mood", "dm_event.fields"},
		{"dm unknown event type", "/2/dm_events?event_types=Typing", "event_types"},
		{"tweets max_results 4", "/2/users/" + target.ID + "/tweets?max_results=4", "max_results"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := h.get(tc.path, tok, 400)
			if body["type"] != "https://api.twitter.com/2/problems/invalid-request" || body["title"] != "Invalid Request" {
				t.Errorf("problem %v", body)
			}
			errs := asList(body["errors"])
			if len(errs) != 1 {
				t.Fatalf("errors %v", body["errors"])
			}
			e := errs[0].(map[string]any)
			params, _ := e["parameters"].(map[string]any)
			if _, ok := params[tc.param]; !ok || !strings.Contains(e["message"].(string), tc.param) {
				t.Errorf("problem does not name %s: %v", tc.param, e)
			}
		})
	}
}

func TestUserFieldsSelectOutput(t *testing.T) {
	h := newHarness(t, Options{})
	tok, _ := h.login("acme_sales")
	withLocation := findUser(t, h.sim, "placed", func(u User) bool { return u.Location != "" && u.URL != "" })
	q := url.Values{"user.fields": {"location,url,receives_your_dm,entities,pinned_tweet_id"}}
	d := h.get("/2/users/by/username/"+withLocation.Username+"?"+q.Encode(), tok, 200)["data"].(map[string]any)
	if d["location"] != withLocation.Location || d["url"] != withLocation.URL || d["receives_your_dm"] != withLocation.AcceptsDMs {
		t.Errorf("fields %v for %+v", d, withLocation)
	}
	if _, ok := d["description"]; ok {
		t.Error("description was not asked for")
	}
}
