//go:build linux

package web_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// dashboardPages are the dashboard's pages, each of which must show a
// workspace nothing of another's.
var dashboardPages = []string{"/", "/inbox", "/board", "/campaigns", "/accounts", "/sources", "/tweets", "/webhooks", "/review"}

// noDataAcrossSessions checks, over plain HTTP against the running server,
// that workspace A's data (its leads, accounts, conversations and
// campaign, by handle and id) reaches no one else: a request without a
// session is sent to sign in (a page) or refused (htmx), with nothing of
// A's; workspace B's session sees its own empty pages, and every page of
// one of A's objects answers it 404; B's forms cannot act on A's objects;
// and A's own forms refuse a POST without the session's CSRF token.
func noDataAcrossSessions(t *testing.T, ctx context.Context, d *dashboard) {
	d.resume(t)
	wait, cancel := context.WithTimeout(ctx, 40*time.Second)
	defer cancel()
	var convs struct {
		Conversations []struct {
			ConversationID string `json:"conversation_id"`
			AccountHandle  string `json:"account_handle"`
			Receiver       struct {
				ScreenName string `json:"screen_name"`
			} `json:"receiver"`
		} `json:"conversations"`
	}
	// Once a second: the API allows a key 60 requests a minute.
	untilEvery(t, wait, time.Second, "workspace A to have conversations", func() bool {
		d.api(t, http.MethodGet, d.KeyA, "/api/v1/conversations?limit=100", &convs)
		return len(convs.Conversations) >= 3
	})
	var accounts struct {
		Accounts []struct{ ID, Handle string }
	}
	d.api(t, http.MethodGet, d.KeyA, "/api/v1/accounts", &accounts)

	// What would betray A's data on a page: ids and handles.
	markers := []string{d.CampaignID, d.Lead.Handle}
	ids := []string{d.CampaignID}
	for _, c := range convs.Conversations {
		markers = append(markers, c.ConversationID, c.Receiver.ScreenName)
		ids = append(ids, c.ConversationID)
	}
	for _, a := range accounts.Accounts {
		markers = append(markers, a.ID, a.Handle)
		ids = append(ids, a.ID)
	}
	// leaks are the markers in a body, but for those of the path asked
	// for: a redirect to sign in names the page to come back to.
	leaks := func(path, body string) []string {
		var out []string
		for _, m := range markers {
			if m != "" && strings.Contains(body, m) && !strings.Contains(path, m) {
				out = append(out, m)
			}
		}
		return out
	}

	a := signInHTTP(t, d.URL, d.KeyA)
	b := signInHTTP(t, d.URL, d.KeyB)
	none := &httpSession{t: t, base: d.URL, c: noRedirects}

	// A's pages name A's objects in their links and forms: those are the
	// pages and actions to try from elsewhere.
	var objectPages []string
	var forms []postForm
	for _, p := range dashboardPages {
		status, body := a.get(p, nil)
		if status != http.StatusOK {
			t.Errorf("workspace A: GET %s: status %d", p, status)
			continue
		}
		for _, u := range links(body, `href|hx-get`) {
			if hasAny(u, ids) && !slices.Contains(objectPages, u) {
				objectPages = append(objectPages, u)
			}
		}
		forms = append(forms, postForms(body)...)
		for _, u := range links(body, `hx-post`) {
			if !slices.ContainsFunc(forms, func(f postForm) bool { return f.action == u }) {
				forms = append(forms, postForm{action: u, fields: url.Values{}})
			}
		}
	}
	if len(objectPages) == 0 {
		t.Errorf("no page of workspace A links to one of its objects (a conversation, campaign or account)")
	}
	t.Logf("%d pages of A's objects, %d forms", len(objectPages), len(forms))

	for _, p := range append(slices.Clone(dashboardPages), objectPages...) {
		status, body := none.get(p, nil)
		if status != http.StatusSeeOther || !strings.HasPrefix(none.location, "/signin") {
			t.Errorf("no session: GET %s: status %d, Location %q; want 303 to /signin", p, status, none.location)
		}
		if l := leaks(p, body); l != nil {
			t.Errorf("no session: GET %s shows A's %v", p, l)
		}
		status, body = none.get(p, http.Header{"HX-Request": {"true"}})
		if status != http.StatusUnauthorized {
			t.Errorf("no session, htmx: GET %s: status %d, want 401", p, status)
		}
		if l := leaks(p, body); l != nil {
			t.Errorf("no session, htmx: GET %s shows A's %v", p, l)
		}

		status, body = b.get(p, nil)
		want := http.StatusOK
		if slices.Contains(objectPages, p) {
			want = http.StatusNotFound
		}
		if status != want {
			t.Errorf("workspace B: GET %s: status %d, want %d", p, status, want)
		}
		if l := leaks("", body); l != nil {
			t.Errorf("workspace B: GET %s shows A's %v", p, l)
		}
	}

	for _, f := range forms {
		if f.touches(ids) {
			fields := cloneValues(f.fields)
			fields.Set("csrf", b.csrf)
			status, body := b.post(f.action, fields)
			switch status {
			case http.StatusNotFound:
			case http.StatusBadRequest: // refused before the lookup: nothing done
				t.Logf("workspace B: POST %s %v: 400, not 404", f.action, fields)
			default:
				t.Errorf("workspace B: POST %s %v (one of A's objects): status %d, want 404", f.action, fields, status)
			}
			if l := leaks("", body); l != nil {
				t.Errorf("workspace B: POST %s shows A's %v", f.action, l)
			}
		}
		fields := cloneValues(f.fields)
		fields.Del("csrf")
		if status, _ := a.post(f.action, fields); status != http.StatusForbidden {
			t.Errorf("workspace A: POST %s without a CSRF token: status %d, want 403", f.action, status)
		}
		fields.Set("csrf", b.csrf)
		if status, _ := a.post(f.action, fields); status != http.StatusForbidden {
			t.Errorf("workspace A: POST %s with another session's CSRF token: status %d, want 403", f.action, status)
		}
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// httpSession is a client that keeps cookies, as a browser does, follows
// no redirects, and knows its session's CSRF token.
type httpSession struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
	// location is the Location of the last answer.
	location string
}

var (
	csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	csrfAttr  = regexp.MustCompile(`data-csrf="([^"]+)"`)
)

// signInHTTP signs in with key through the sign-in form.
func signInHTTP(t *testing.T, base, key string) *httpSession {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &httpSession{t: t, base: base, c: &http.Client{Jar: jar, Timeout: noRedirects.Timeout, CheckRedirect: noRedirects.CheckRedirect}}
	_, body := s.get("/signin", nil)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the sign-in page has no CSRF field:\n%s", body)
	}
	if status, body := s.post("/signin", url.Values{"api_key": {key}, "csrf": {m[1]}, "next": {"/"}}); status != http.StatusSeeOther {
		t.Fatalf("sign in: status %d:\n%s", status, body)
	}
	_, body = s.get("/", nil)
	if m = csrfAttr.FindStringSubmatch(body); m == nil {
		t.Fatalf("signed in, the overview has no CSRF token:\n%s", body)
	}
	s.csrf = m[1]
	return s
}

func (s *httpSession) get(path string, h http.Header) (int, string) {
	s.t.Helper()
	return s.do(http.MethodGet, path, "", h)
}

// post sends form as a browser does, from this site.
func (s *httpSession) post(path string, form url.Values) (int, string) {
	s.t.Helper()
	return s.do(http.MethodPost, path, form.Encode(), http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"},
		"Origin":       {s.base},
	})
}

func (s *httpSession) do(method, path, body string, h http.Header) (int, string) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.base+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := s.c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	s.location = resp.Header.Get("Location")
	return resp.StatusCode, string(data)
}

// links are the site's own paths in the attributes attrs (a regexp
// alternation) of a page.
func links(body, attrs string) []string {
	re := regexp.MustCompile(`\s(?:` + attrs + `)="(/[^"/][^"]*|/)"`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// postForm is a form that a page posts: where to, and what it sends,
// with a value for every field a person would fill.
type postForm struct {
	action string
	fields url.Values
}

var (
	formRe   = regexp.MustCompile(`(?s)<form\b[^>]*>.*?</form>`)
	openRe   = regexp.MustCompile(`^<form\b[^>]*>`)
	methodRe = regexp.MustCompile(`(?i)\smethod="post"`)
	inputRe  = regexp.MustCompile(`(?s)<(input|textarea)\b[^>]*>|<select\b[^>]*>.*?</select>`)
	tagRe    = regexp.MustCompile(`^<[^>]*>`)
	optionRe = regexp.MustCompile(`<option\b[^>]*\svalue="([^"]*)"`)
	attrRe   = regexp.MustCompile(`\s([a-z-]+)="([^"]*)"`)
)

// postForms are the forms of a page that post (method="post", or
// hx-post), each with its hidden fields as they are, its text fields
// filled and its selects on their first option.
func postForms(body string) []postForm {
	var out []postForm
	for _, form := range formRe.FindAllString(body, -1) {
		open := openRe.FindString(form)
		action := links(open, `hx-post`)
		if methodRe.MatchString(open) {
			action = append(action, links(open, `action`)...)
		}
		if len(action) == 0 {
			continue
		}
		f := postForm{action: action[0], fields: url.Values{}}
		for _, m := range inputRe.FindAllStringSubmatch(form, -1) {
			attrs := map[string]string{}
			for _, a := range attrRe.FindAllStringSubmatch(tagRe.FindString(m[0]), -1) {
				attrs[a[1]] = html.UnescapeString(a[2])
			}
			name := attrs["name"]
			if name == "" {
				continue
			}
			switch {
			case strings.HasPrefix(m[0], "<select"):
				if o := optionRe.FindStringSubmatch(m[0]); o != nil {
					f.fields.Set(name, html.UnescapeString(o[1]))
				}
			case attrs["type"] == "hidden":
				f.fields.Set(name, attrs["value"])
			case attrs["type"] == "checkbox" || attrs["type"] == "radio" || attrs["type"] == "submit":
			case attrs["type"] == "number":
				f.fields.Set(name, "1")
			default:
				f.fields.Set(name, "isolation test")
			}
		}
		out = append(out, f)
	}
	return out
}

// touches says whether a form acts on one of ids: in its action or in a
// field.
func (f postForm) touches(ids []string) bool {
	if hasAny(f.action, ids) {
		return true
	}
	for _, vs := range f.fields {
		if slices.ContainsFunc(vs, func(v string) bool { return hasAny(v, ids) }) {
			return true
		}
	}
	return false
}

func hasAny(s string, subs []string) bool {
	return slices.ContainsFunc(subs, func(sub string) bool { return sub != "" && strings.Contains(s, sub) })
}
