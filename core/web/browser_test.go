//go:build linux

package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestBrowser drives the dashboard in Debian's chromium against `outreach
// serve` with a campaign in flight, as a person would: it signs in, watches
// conversations arrive in the inbox without a reload, answers one and finds
// the answer in the simulated X's DM events, moves cards on the CRM board
// (by dragging, and with the card's keyboard form) and finds their new tags
// through the API, checks that a chart has drawn, and pauses an account. A
// lead whose name and bio are markup and script must show as text on every
// page, add no element to the DOM and run nothing: every page the test
// visits is watched for dialogs, exceptions and console errors (CSP
// violations among them). It takes screenshots of every page at 1280 and
// 390 pixels wide into bin/screenshots/ (and, with
// OUTREACH_UPDATE_SCREENSHOTS=1, the README's into docs/screenshots/). Then
// it checks over plain HTTP that a request without a session, or with
// another workspace's session, gets nothing of the workspace's data.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: builds outreach and runs it with chromium")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	d := startDashboard(t, ctx)

	t.Run("Chromium", func(t *testing.T) {
		b := newBrowser(t, ctx, d.URL)
		var conv string // the hostile lead's conversation page
		steps := []struct {
			name string
			run  func(t *testing.T)
		}{
			{"SignIn", func(t *testing.T) { b.signIn(t, d.KeyA) }},
			{"ConversationsArrive", func(t *testing.T) { conv = conversationsArrive(t, b, d) }},
			{"HostileLeadIsText", func(t *testing.T) { hostileLeadIsText(t, b, d, conv) }},
			{"Answer", func(t *testing.T) { answer(t, b, d, conv) }},
			{"BoardDrag", func(t *testing.T) { moveCard(t, b, d, dragCard) }},
			{"BoardKeyboard", func(t *testing.T) { moveCard(t, b, d, keyboardMove) }},
			{"ChartDrawn", func(t *testing.T) { chartDrawn(t, b) }},
			{"PauseAccount", func(t *testing.T) { pauseAccount(t, b, d) }},
			{"TweetInLocalTime", func(t *testing.T) { tweetInLocalTime(t, b, d) }},
			{"Screenshots", func(t *testing.T) { screenshots(t, b, d, conv) }},
		}
		for _, s := range steps {
			start := time.Now()
			ok := t.Run(s.name, s.run)
			t.Logf("%s: %v", s.name, time.Since(start).Round(time.Millisecond))
			if !ok && !b.signedIn {
				t.FailNow()
			}
		}
	})
	t.Run("NoDataAcrossSessions", func(t *testing.T) { noDataAcrossSessions(t, ctx, d) })
}

// tab is a chromium tab on the dashboard that notes everything a page must
// never do: open a dialog, throw, log an error to the console, or break
// the Content-Security-Policy (which chromium logs as an error).
type tab struct {
	ctx  context.Context
	base string
	// signedIn is set once the tab has a session.
	signedIn bool
	// moved are the cards the test moved on the board, the dragged one
	// first, so that the keyboard moves another one.
	moved []string

	mu       sync.Mutex
	problems []string
}

// newBrowser starts chromium (headless, with a profile of its own) with
// one tab, or skips the test when there is no chromium.
func newBrowser(t *testing.T, parent context.Context, base string) *tab {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not found in PATH: apt-get install chromium")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	b := &tab{base: base}
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(b.listen))
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	b.ctx = ctx
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return b
}

// listen notes the events that mean a page went wrong. It runs in the
// tab's event loop, so it only notes; a dialog is dismissed from another
// goroutine, or it would block the page.
func (b *tab) listen(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *page.EventJavascriptDialogOpening:
		problem = fmt.Sprintf("a dialog (%s) opened: %q", ev.Type, ev.Message)
		go chromedp.Call(b.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
	case *runtime.EventExceptionThrown:
		problem = "uncaught exception: " + exceptionText(ev.ExceptionDetails)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				args = append(args, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			problem = "console." + string(ev.Type) + ": " + strings.Join(args, " ")
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			problem = fmt.Sprintf("%s error: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	}
	if problem != "" {
		b.mu.Lock()
		b.problems = append(b.problems, problem)
		b.mu.Unlock()
	}
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "?"
	}
	s := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		s += " " + d.Exception.Description
	}
	return fmt.Sprintf("%s at %s:%d", s, d.URL, d.LineNumber+1)
}

// actionTimeout bounds one step in the tab: a page that never shows
// what a step waits for fails that step, not the whole test.
const actionTimeout = 20 * time.Second

// do runs actions in the tab, failing the test on an error.
func (b *tab) do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page and returns its
// value. The DevTools protocol runs it outside the page's CSP, which
// forbids eval (and so chromedp.Poll, which builds its predicate with new
// Function, and is why waits poll from Go).
func eval[T any](t *testing.T, b *tab, expr string) T {
	t.Helper()
	v, err := evaluate[T](b, expr)
	if err != nil {
		t.Fatalf("evaluate %.80q: %v", expr, err)
	}
	return v
}

// evaluate runs expr in the tab, within actionTimeout.
func evaluate[T any](b *tab, expr string) (T, error) {
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](expr))
}

// js quotes v as a JavaScript literal.
func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// visit opens path and checks the page once it has loaded.
func (b *tab) visit(t *testing.T, path string) {
	t.Helper()
	b.do(t, "open "+path, chromedp.Navigate(b.base+path), chromedp.WaitReady(chromedp.CSS("main")))
	b.check(t, path)
}

// check fails the test with whatever went wrong on the page since the
// last check, and with any element or attribute in the DOM that could
// only have come from a lead's text: an image from "x", a script that is
// not one of the dashboard's assets, an inline event handler, a
// javascript: link.
func (b *tab) check(t *testing.T, where string) {
	t.Helper()
	for _, p := range eval[[]string](t, b, domProblems) {
		t.Errorf("%s: %s", where, p)
	}
	b.mu.Lock()
	problems := b.problems
	b.problems = nil
	b.mu.Unlock()
	for _, p := range problems {
		t.Errorf("%s: %s", where, p)
	}
}

const domProblems = `(() => {
  const out = [];
  for (const el of document.querySelectorAll("img")) {
    const src = el.getAttribute("src") || "";
    if (src === "x" || src.endsWith("/x")) out.push("an image from a lead's text: " + el.outerHTML);
  }
  for (const el of document.querySelectorAll("script")) {
    if (!(el.getAttribute("src") || "").startsWith("/assets/")) out.push("a script that is not an asset: " + el.outerHTML.slice(0, 200));
  }
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (a.name.startsWith("on")) out.push("an inline handler: <" + el.localName + " " + a.name + "=" + JSON.stringify(a.value) + ">");
    }
  }
  for (const el of document.querySelectorAll("[href], [src], [action], [formaction]")) {
    for (const n of ["href", "src", "action", "formaction"]) {
      const v = (el.getAttribute(n) || "").trim().toLowerCase();
      if (v.startsWith("javascript:")) out.push("a javascript: URL: " + el.outerHTML.slice(0, 200));
    }
  }
  return out;
})()`

// waitFor evaluates a JavaScript condition until it is true. While a
// form's answer is loading the page may have no body yet, or no page at
// all: a condition that throws then, or cannot be evaluated, is not true
// yet.
func (b *tab) waitFor(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	guarded := fmt.Sprintf("(() => { try { return !!(%s); } catch (e) { return false; } })()", cond)
	until(t, ctx, what, func() bool {
		ok, err := evaluate[bool](b, guarded)
		return err == nil && ok
	})
}

// signIn types key into the sign-in form and submits it.
func (b *tab) signIn(t *testing.T, key string) {
	t.Helper()
	b.visit(t, "/inbox") // without a session: the sign-in page, which comes back here
	if loc := eval[string](t, b, "location.pathname"); loc != "/signin" {
		t.Fatalf("/inbox without a session shows %s, want the sign-in page", loc)
	}
	b.do(t, "sign in",
		chromedp.SendKeys(chromedp.ID("api_key"), key),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`nav[aria-label="Main"]`)),
	)
	b.signedIn = true
	if loc := eval[string](t, b, "location.pathname"); loc != "/inbox" {
		t.Errorf("after signing in: %s, want /inbox, where the person was going", loc)
	}
	b.check(t, "after signing in")
}

// conversationsArrive opens the inbox while the campaign is paused, lets
// it go, and watches the list grow without a reload until the hostile
// lead's conversation is in it. It returns the path of that conversation.
func conversationsArrive(t *testing.T, b *tab, d *dashboard) string {
	b.visit(t, "/inbox")
	b.do(t, "the inbox list", chromedp.WaitReady(chromedp.ID("conversations")))
	const count = `document.querySelectorAll("#conversations li.conversation").length`
	before := eval[int](t, b, count)
	// A mark on the window is gone if the page reloads.
	eval[bool](t, b, `window.outreachBrowserTest = true`)
	d.resume(t)
	ctx, cancel := context.WithTimeout(b.ctx, 40*time.Second)
	defer cancel()
	b.waitFor(t, ctx, "the inbox to list more conversations, the hostile lead's among them",
		fmt.Sprintf(`%s > %d && %s >= 3 && [...document.querySelectorAll("#conversations li.conversation")].some(li => li.textContent.includes(%s))`,
			count, before, count, js(d.Lead.Name)))
	after := eval[int](t, b, count)
	if !eval[bool](t, b, `window.outreachBrowserTest === true`) {
		t.Errorf("the inbox reloaded; it should poll")
	}
	t.Logf("the inbox listed %d conversations when opened, %d later, without a reload", before, after)
	b.check(t, "/inbox, after conversations arrived")
	path := eval[string](t, b, fmt.Sprintf(`(() => {
  const li = [...document.querySelectorAll("#conversations li.conversation")].find(li => li.textContent.includes(%s));
  const a = li && li.querySelector('a[href^="/inbox/"]');
  return a ? a.getAttribute("href") : "";
})()`, js(d.Lead.Name)))
	if path == "" {
		t.Fatalf("the hostile lead's conversation has no link to /inbox/{id}")
	}
	return path
}

// hostileLeadIsText checks that the lead's name and bio show literally, as
// text, in the inbox list, on the conversation page and on the board.
func hostileLeadIsText(t *testing.T, b *tab, d *dashboard, conv string) {
	if conv == "" {
		t.Skip("no conversation of the hostile lead")
	}
	// A text appears literally when some element's text is exactly it: a
	// page that printed it as HTML would have made elements of it instead,
	// and one that escaped it twice would show &lt;.
	shows := func(where, scope, text string) {
		t.Helper()
		ok := eval[bool](t, b, fmt.Sprintf(`[...document.querySelectorAll(%s)].some(el => el.textContent.trim() === %s || [...el.querySelectorAll("*")].some(c => c.textContent.trim() === %s))`,
			js(scope), js(text), js(text)))
		if !ok {
			t.Errorf("%s: no element of %s shows %q as text", where, scope, text)
		}
	}
	b.visit(t, "/inbox")
	b.do(t, "the inbox list", chromedp.WaitReady(chromedp.CSS("#conversations li.conversation")))
	shows("/inbox", "#conversations li.conversation", d.Lead.Name)

	b.visit(t, conv)
	b.do(t, "the lead's profile", chromedp.WaitVisible(chromedp.CSS("#lead-profile .lead-name")))
	for _, f := range []struct{ sel, want string }{
		{"#lead-profile .lead-name", d.Lead.Name},
		{"#lead-profile .lead-bio", d.Lead.Bio},
	} {
		if got := eval[string](t, b, fmt.Sprintf(`document.querySelector(%s)?.textContent.trim() ?? "(missing)"`, js(f.sel))); got != f.want {
			t.Errorf("%s: %s shows %q; want the lead's text as it is, %q", conv, f.sel, got, f.want)
		}
	}
	// Whatever of the location and website the page shows, it shows as
	// text; check has refused a javascript: link.
	if body := eval[string](t, b, `document.body.textContent`); strings.Contains(body, "&lt;") {
		t.Errorf("%s: the page shows an escaped entity (&lt;): a text was escaped twice", conv)
	}

	// The board shows the conversations a lead answered: wait for the
	// engine to have read the lead's answer.
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	id := strings.TrimPrefix(conv, "/inbox/")
	until(t, ctx, "the hostile lead's conversation on the CRM board (API)", func() bool {
		_, ok := d.onBoard(t)[id]
		return ok
	})
	b.visit(t, "/board")
	b.do(t, "the hostile lead's card", chromedp.WaitReady(chromedp.CSS(fmt.Sprintf(`li.card[data-conversation-id=%s]`, js(id)))))
	shows("/board", "li.card[data-conversation-id]", d.Lead.Name)
}

// answer sends an answer from the conversation page's reply box and finds
// it among the DMs on X's side of the conversation.
func answer(t *testing.T, b *tab, d *dashboard, conv string) {
	if conv == "" {
		t.Skip("no conversation to answer")
	}
	text := fmt.Sprintf("Tuesday at 10:00 works for me. (browser test %d)", time.Now().UnixNano())
	b.visit(t, conv)
	b.do(t, "answer",
		chromedp.WaitVisible(chromedp.ID("reply-text")),
		chromedp.SendKeys(chromedp.ID("reply-text"), text),
		chromedp.Click(chromedp.CSS(`#reply-form button[type="submit"], #reply-form input[type="submit"]`)),
	)
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	var found dmOnX
	until(t, ctx, "the answer among the DM events on X", func() bool {
		for _, handle := range []string{"acme_sales", "acme_founder"} {
			for _, dm := range d.dmsOnX(t, ctx, handle) {
				if dm.Text == text {
					found = dm
					return true
				}
			}
		}
		return false
	})
	if id := strings.TrimPrefix(conv, "/inbox/"); found.ConvID != id {
		t.Errorf("X has the answer in conversation %s; it was sent from %s", found.ConvID, conv)
	}
	b.waitFor(t, ctx, "the answer in the thread", fmt.Sprintf(`document.body.textContent.includes(%s)`, js(text)))
	b.check(t, conv+", after answering")
}

// cardMove is a way to move a card to another column: it returns the
// conversation id and the tag it moved to.
type cardMove func(t *testing.T, b *tab) (id, tag string)

// moveCard moves a card on the board and waits for the board and the API
// to show it in its new column.
func moveCard(t *testing.T, b *tab, d *dashboard, move cardMove) {
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	until(t, ctx, "three conversations on the CRM board (API)", func() bool { return len(d.onBoard(t)) >= 3 })
	b.visit(t, "/board")
	b.do(t, "the board", chromedp.WaitReady(chromedp.CSS("section.column[data-tag] li.card[data-conversation-id]")))
	before := d.onBoard(t)
	id, tag := move(t, b)
	b.moved = append(b.moved, id)
	if before[id] == tag {
		t.Fatalf("conversation %s was tagged %s before the move", id, tag)
	}
	b.waitFor(t, ctx, fmt.Sprintf("card %s in column %s", id, tag),
		fmt.Sprintf(`!!document.querySelector('section.column[data-tag=%s] li.card[data-conversation-id=%s]')`, js(tag), js(id)))
	until(t, ctx, fmt.Sprintf("the API to show conversation %s tagged %s", id, tag), func() bool {
		return d.onBoard(t)[id] == tag
	})
	b.check(t, "/board, after moving a card")
}

// cardJS is what the page says of a card it can move and of a column to
// move it to, both on screen: the card's id, the column it was picked in,
// the columns of the tags it has (the unread column lists cards whatever
// their tag), the column to move it to, and where the two are.
type cardJS struct {
	ID, From, To           string
	Tags                   []string
	FromX, FromY, ToX, ToY float64
}

// pickCard finds a card on screen (not one of the ids in skip) and a column
// whose middle is on screen too, other than the card's and the unread one.
func pickCard(t *testing.T, b *tab, skip []string) cardJS {
	t.Helper()
	c := eval[cardJS](t, b, fmt.Sprintf(`(() => {
  const skip = %s;
  const columns = [...document.querySelectorAll("section.column[data-tag]")];
  const onScreen = r => r.width > 0 && r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.top < innerHeight;
  const card = [...document.querySelectorAll("section.column[data-tag] li.card[data-conversation-id]")]
    .find(c => !skip.includes(c.dataset.conversationId) && onScreen(c.getBoundingClientRect()));
  if (!card) return {};
  const id = card.dataset.conversationId;
  const tags = columns.filter(col => col.dataset.tag !== "unread" &&
    [...col.querySelectorAll("li.card[data-conversation-id]")].some(c => c.dataset.conversationId === id)).map(col => col.dataset.tag);
  const to = columns.find(col => {
    if (col.dataset.tag === "unread" || tags.includes(col.dataset.tag)) return false;
    const r = col.getBoundingClientRect();
    return r.width > 0 && r.left + r.width / 2 > 0 && r.left + r.width / 2 < innerWidth && r.top < innerHeight - 40;
  });
  if (!to) return {};
  const cr = card.getBoundingClientRect(), tr = to.getBoundingClientRect();
  return {ID: id, From: card.closest("section.column").dataset.tag, To: to.dataset.tag, Tags: tags,
    FromX: cr.left + cr.width / 2, FromY: cr.top + Math.min(cr.height / 2, 20),
    ToX: tr.left + tr.width / 2, ToY: Math.min(tr.top + 60, innerHeight - 10)};
})()`, js(append([]string{}, skip...))))
	if c.ID == "" {
		t.Fatalf("no card and other column on screen together")
	}
	return c
}

// dragCard drags a card onto another column with the mouse.
func dragCard(t *testing.T, b *tab) (string, string) {
	t.Helper()
	c := pickCard(t, b, nil)
	b.do(t, fmt.Sprintf("drag card %s from %s to %s", c.ID, c.From, c.To),
		chromedp.DragAndDropXY(c.FromX, c.FromY, c.ToX, c.ToY, 15))
	t.Logf("dragged %s from %s (tags %v) to %s", c.ID, c.From, c.Tags, c.To)
	return c.ID, c.To
}

// keyboardMove moves a card with its own form, as a keyboard user does:
// the select of its form.move, then the Move button.
func keyboardMove(t *testing.T, b *tab) (string, string) {
	t.Helper()
	c := pickCard(t, b, b.moved)
	form := fmt.Sprintf(`li.card[data-conversation-id=%s] form.move`, js(c.ID))
	to := eval[string](t, b, fmt.Sprintf(`[...document.querySelectorAll(%s)].map(o => o.value).find(v => v && v !== "unread" && !%s.includes(v)) || ""`,
		js(form+` select[name="tag"] option`), js(append([]string{}, c.Tags...))))
	if to == "" {
		t.Fatalf("card %s: its move form offers no other column", c.ID)
	}
	button := eval[string](t, b, fmt.Sprintf(`document.querySelector(%s)?.textContent.trim() ?? ""`, js(form+" button")))
	if button != "Move" {
		t.Errorf("card %s: its move form's button says %q, want Move", c.ID, button)
	}
	b.do(t, fmt.Sprintf("move card %s to %s with its form", c.ID, to),
		chromedp.Focus(chromedp.CSS(form+` select[name="tag"]`)),
		chromedp.SetValue(chromedp.CSS(form+` select[name="tag"]`), to),
		chromedp.Click(chromedp.CSS(form+" button")),
	)
	t.Logf("moved %s from %s (tags %v) to %s with the keyboard form", c.ID, c.From, c.Tags, to)
	return c.ID, to
}

// chartDrawn checks that the overview's charts have drawn: a uPlot canvas
// with a size and painted pixels.
func chartDrawn(t *testing.T, b *tab) {
	b.visit(t, "/")
	b.do(t, "a chart on the overview", chromedp.WaitVisible(chromedp.CSS(".uplot canvas")))
	type canvas struct{ W, H, Painted int }
	got := eval[[]canvas](t, b, `[...document.querySelectorAll(".uplot canvas")].map(c => {
  let painted = 0;
  if (c.width > 0 && c.height > 0) {
    const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) painted++;
  }
  return {W: c.clientWidth, H: c.clientHeight, Painted: painted};
})`)
	if !slices.ContainsFunc(got, func(c canvas) bool { return c.W > 0 && c.H > 0 && c.Painted > 0 }) {
		t.Errorf("the overview's charts are blank: %+v", got)
	}
	t.Logf("charts: %+v", got)
	b.check(t, "/ with its charts")
}

// pauseAccount pauses an account with its button on the accounts page, and
// finds it paused on the page and through the API.
func pauseAccount(t *testing.T, b *tab, d *dashboard) {
	const handle = "acme_founder"
	row := fmt.Sprintf(`tr.account[data-handle=%s]`, js(handle))
	b.visit(t, "/accounts")
	button := row + " form.pause button"
	b.do(t, "the pause button", chromedp.WaitVisible(chromedp.CSS(button)))
	if got := eval[string](t, b, fmt.Sprintf(`document.querySelector(%s).textContent.trim()`, js(button))); got != "Pause sending" {
		t.Errorf("@%s's pause button says %q, want Pause sending", handle, got)
	}
	b.do(t, "pause @"+handle, chromedp.Click(chromedp.CSS(button)))
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	b.waitFor(t, ctx, "@"+handle+"'s row to say Paused",
		fmt.Sprintf(`(document.querySelector(%s)?.textContent ?? "").includes("Paused")`, js(row)))
	type account struct {
		Handle   string `json:"handle"`
		IsPaused bool   `json:"is_paused"`
	}
	var out struct{ Accounts []account }
	d.api(t, http.MethodGet, d.KeyA, "/api/v1/accounts", &out)
	i := slices.IndexFunc(out.Accounts, func(a account) bool { return a.Handle == handle })
	if i < 0 || !out.Accounts[i].IsPaused {
		t.Errorf("GET /api/v1/accounts: %+v; want @%s paused", out.Accounts, handle)
	}
	b.check(t, "/accounts, after pausing")
}

// tweetInLocalTime schedules a tweet from a browser in India (UTC+5:30,
// no summer time): the form shows and takes the browser's local time, and
// the API shows the tweet at that instant in UTC.
func tweetInLocalTime(t *testing.T, b *tab, d *dashboard) {
	const (
		zone  = "Asia/Kolkata"
		typed = "2031-01-02T15:30" // 10:00 UTC
		text  = "Scheduled from Kolkata"
	)
	setZone := func(zone string) {
		if _, err := chromedp.Call(b.ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: zone}); err != nil {
			t.Fatalf("the time zone %q: %v", zone, err)
		}
	}
	setZone(zone)
	defer setZone("") // the machine's
	b.visit(t, "/tweets")
	// Chromium may name the zone by its older alias, Asia/Calcutta.
	if got := eval[string](t, b, `document.querySelector("[data-zone-for=tweet-at]").textContent`); !strings.HasPrefix(got, "(Asia/") {
		t.Errorf("the time's label says %q, want (%s)", got, zone)
	}
	b.do(t, "the tweet form",
		chromedp.SendKeys(chromedp.CSS("#tweet-text"), text),
		chromedp.SetValue(chromedp.CSS("#tweet-at"), typed),
		chromedp.Click(chromedp.CSS("form:has(#tweet-at) button[type=submit]")))
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	b.waitFor(t, ctx, "the tweet in the list", fmt.Sprintf(`document.body.textContent.includes(%s)`, js(text)))
	var out struct {
		Tweets []struct {
			TweetText   string `json:"tweet_text"`
			ScheduledAt string `json:"scheduled_at"`
		} `json:"scheduled_tweets"`
	}
	d.api(t, http.MethodGet, d.KeyA, "/api/v1/scheduled-tweets", &out)
	i := slices.IndexFunc(out.Tweets, func(tw struct {
		TweetText   string `json:"tweet_text"`
		ScheduledAt string `json:"scheduled_at"`
	}) bool {
		return tw.TweetText == text
	})
	if i < 0 || out.Tweets[i].ScheduledAt != "2031-01-02T10:00:00.000Z" {
		t.Errorf("GET /api/v1/scheduled-tweets: %+v; want %q at 2031-01-02T10:00:00.000Z", out.Tweets, text)
	}
	b.check(t, "/tweets, after scheduling")
}

// screenshotPages are the pages the screenshots show, by file name.
func screenshotPages(conv string) [][2]string {
	return [][2]string{
		{"overview", "/"}, {"inbox", "/inbox"}, {"conversation", conv}, {"board", "/board"},
		{"campaigns", "/campaigns"}, {"accounts", "/accounts"}, {"sources", "/sources"},
		{"tweets", "/tweets"}, {"webhooks", "/webhooks"}, {"review", "/review"},
	}
}

// screenshots takes a full-page PNG of every page at 1280 and 390 pixels
// wide into bin/screenshots/, and of the sign-in page after signing out;
// with OUTREACH_UPDATE_SCREENSHOTS=1, it also writes the README's
// (the overview and the inbox, 1280 wide, what fits in the window) into
// docs/screenshots/.
func screenshots(t *testing.T, b *tab, d *dashboard, conv string) {
	dir := filepath.Join("..", "..", "bin", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	update := os.Getenv("OUTREACH_UPDATE_SCREENSHOTS") == "1"
	pages := screenshotPages(conv)
	if conv == "" {
		pages = slices.DeleteFunc(pages, func(p [2]string) bool { return p[0] == "conversation" })
	}
	for _, width := range []int64{1280, 390} {
		b.do(t, "resize", chromedp.EmulateViewport(width, 900))
		for _, p := range pages {
			b.visit(t, p[1])
			if p[0] == "overview" {
				b.do(t, "the charts", chromedp.WaitVisible(chromedp.CSS(".uplot canvas")))
			}
			if width == 390 {
				if w := eval[int](t, b, `document.documentElement.scrollWidth`); w > 390 {
					t.Errorf("%s is %dpx wide at 390px: the page scrolls sideways", p[1], w)
				}
			}
			writePNG(t, filepath.Join(dir, fmt.Sprintf("%s-%d.png", p[0], width)), fullPage(t, b))
		}
	}
	if update {
		readmeScreenshots(t, b, d)
	}
	// The sign-in page, where signing out leads.
	b.do(t, "sign out", chromedp.Click(chromedp.CSS(`form.signout button[type="submit"]`)), chromedp.WaitVisible(chromedp.ID("api_key")))
	b.signedIn = false
	if loc := eval[string](t, b, "location.pathname"); loc != "/signin" {
		t.Errorf("signing out leads to %s, want /signin", loc)
	}
	b.check(t, "/signin, after signing out")
	for _, width := range []int64{1280, 390} {
		b.do(t, "resize", chromedp.EmulateViewport(width, 900), chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("api_key")))
		writePNG(t, filepath.Join(dir, fmt.Sprintf("signin-%d.png", width)), fullPage(t, b))
	}
	t.Logf("screenshots in %s", dir)
}

// readmeScreenshots writes the README's pictures, 1280 pixels wide, what
// fits in the window: the overview, and the inbox with the conversation of
// an interested lead open (not the hostile lead's, whose name is a test's,
// nor one the test moved on the board).
func readmeScreenshots(t *testing.T, b *tab, d *dashboard) {
	t.Helper()
	var convs struct {
		Conversations []struct {
			ConversationID string `json:"conversation_id"`
			Receiver       struct {
				ScreenName string `json:"screen_name"`
			} `json:"receiver"`
			LastMessage struct {
				IsSent bool `json:"is_sent"`
			} `json:"last_message"`
		} `json:"conversations"`
	}
	d.api(t, http.MethodGet, d.KeyA, "/api/v1/conversations?limit=100", &convs)
	tags := d.onBoard(t)
	inbox := "/inbox"
	for _, c := range convs.Conversations {
		if !c.LastMessage.IsSent && c.Receiver.ScreenName != d.Lead.Handle && !slices.Contains(b.moved, c.ConversationID) {
			inbox = "/inbox/" + c.ConversationID
			if tags[c.ConversationID] == "interested_reply" {
				break
			}
		}
	}
	docs := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	b.do(t, "resize", chromedp.EmulateViewport(1280, 900))
	for _, p := range [][2]string{{"overview", "/"}, {"inbox", inbox}} {
		b.visit(t, p[1])
		if p[0] == "overview" {
			b.do(t, "the charts", chromedp.WaitVisible(chromedp.CSS(".uplot canvas")))
		}
		ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		cancel()
		if err != nil {
			t.Fatalf("screenshot of %s: %v", p[1], err)
		}
		writePNG(t, filepath.Join(docs, p[0]+".png"), png)
	}
	t.Logf("README screenshots in docs/screenshots (the inbox: %s)", inbox)
}

// fullPage is a PNG of the whole page, beyond the window.
func fullPage(t *testing.T, b *tab) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return png
}

func writePNG(t *testing.T, path string, png []byte) {
	t.Helper()
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}
