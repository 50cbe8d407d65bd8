package web

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// inboxService is what the inbox page needs from the service layer.
type inboxService interface {
	// ListConversations returns a page of conversations, newest first.
	ListConversations(ctx context.Context, workspace string, q store.ConversationQuery, withMessages bool) (service.ConversationPage, error)
	// Conversation returns one conversation with its messages.
	Conversation(ctx context.Context, workspace, id string) (service.ConversationInfo, error)
	// MarkRead marks a conversation read.
	MarkRead(ctx context.Context, workspace, id string) error
	// SendDM queues a person's message in a conversation.
	SendDM(ctx context.Context, workspace, conversationID, accountID, text string) (store.Job, error)
	// WaitMessage waits for a queued message to end.
	WaitMessage(ctx context.Context, workspace, jobID string, timeout time.Duration) (service.SentMessage, error)
	// UpdateCRM changes a conversation's CRM card.
	UpdateCRM(ctx context.Context, workspace string, u service.CRMUpdate) (store.Conversation, error)
	// CustomTags returns the workspace's custom tags.
	CustomTags(ctx context.Context, workspace string) ([]store.CustomTag, error)
	// ListAccounts returns the workspace's accounts, for the filter.
	ListAccounts(ctx context.Context, workspace string) ([]service.AccountInfo, error)
	// ListCampaigns returns a page of the workspace's campaigns, for the
	// filter.
	ListCampaigns(ctx context.Context, workspace string, limit, offset int) ([]service.CampaignSummary, int, error)
}

func (d *Dashboard) registerInbox() {
	d.handle("GET /inbox", d.inboxPage)
	d.handle("GET /inbox/list", d.inboxListFragment)
	d.handle("GET /inbox/{id}", d.conversationPage)
	d.handle("GET /inbox/{id}/thread", d.threadFragment)
	d.handle("POST /inbox/{id}/reply", d.reply)
	d.handle("POST /inbox/{id}/crm", d.saveCRM)
}

const (
	// inboxPageSize is how many conversations the list shows at a time.
	inboxPageSize = 50
	// replyWait is how long a reply waits for the engine to send it, as
	// the API's dm/send does; after that the page says it is queued.
	replyWait = 30 * time.Second
)

// inboxView is the inbox page: the list, and the open conversation if any.
type inboxView struct {
	Filters inboxFilters
	List    inboxList
	Conv    *conversationView
}

// inboxPage shows the list of conversations.
func (d *Dashboard) inboxPage(w http.ResponseWriter, r *request) {
	f := inboxFilterOf(r.URL.Query())
	v, err := d.inboxView(r, f, r.URL.Query().Get("cursor"), "")
	if err != nil {
		d.fail(w, r, err)
		return
	}
	d.render(w, r, http.StatusOK, "inbox", view{Title: "Inbox", Nav: "inbox", Data: v})
}

// inboxListFragment answers the list's poll: the list again, or 204 (htmx
// swaps nothing) when it has not changed since the version the browser
// shows, so that a list nobody writes to is left alone.
func (d *Dashboard) inboxListFragment(w http.ResponseWriter, r *request) {
	q := r.URL.Query()
	list, err := d.inboxList(r, inboxFilterOf(q), q.Get("cursor"), q.Get("current"))
	if err != nil {
		d.fail(w, r, err)
		return
	}
	if list.Version == q.Get("v") {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	d.fragment(w, http.StatusOK, "inbox-list", list)
}

// conversationPage shows one conversation beside the list, and marks it
// read.
func (d *Dashboard) conversationPage(w http.ResponseWriter, r *request) {
	id := r.PathValue("id")
	if err := d.svc.MarkRead(r.ctx(), r.ws, id); err != nil {
		d.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	d.showConversation(w, r, http.StatusOK, id, inboxFilterOf(q), q.Get("cursor"), nil)
}

// showConversation renders the page of conversation id, beside the page of
// the list at cursor, with status, after edit changes what it shows (an
// error beside a form, the text typed).
func (d *Dashboard) showConversation(w http.ResponseWriter, r *request, status int, id string, f inboxFilter, cursor string, edit func(*conversationView)) {
	v, err := d.inboxView(r, f, cursor, id)
	if err == nil {
		v.Conv, err = d.conversationView(r, id, f)
	}
	if err != nil {
		d.fail(w, r, err)
		return
	}
	if edit != nil {
		edit(v.Conv)
	}
	d.render(w, r, status, "inbox", view{Title: v.Conv.Lead.Name, Nav: "inbox", Data: v})
}

// threadFragment answers the thread's poll: the thread again, or 204 when
// it has no new message. The person is looking at it: a reply that comes
// in is read.
func (d *Dashboard) threadFragment(w http.ResponseWriter, r *request) {
	id := r.PathValue("id")
	info, err := d.svc.Conversation(r.ctx(), r.ws, id)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	if info.Unread {
		if err := d.svc.MarkRead(r.ctx(), r.ws, id); err != nil {
			d.fail(w, r, err)
			return
		}
	}
	t := threadOf(info)
	if t.Version == r.URL.Query().Get("v") {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	d.fragment(w, http.StatusOK, "inbox-thread", t)
}

func (d *Dashboard) inboxView(r *request, f inboxFilter, cursor, current string) (inboxView, error) {
	v := inboxView{}
	var err error
	if v.List, err = d.inboxList(r, f, cursor, current); err != nil {
		return v, err
	}
	v.Filters, err = d.inboxFilters(r, f, current)
	return v, err
}

// An inboxFilter narrows the list; it is kept in the page's URL.
type inboxFilter struct {
	Account, Campaign, Tag string
	Unread                 bool
}

func inboxFilterOf(q url.Values) inboxFilter {
	f := inboxFilter{Account: q.Get("account"), Campaign: q.Get("campaign"), Tag: q.Get("tag"), Unread: q.Get("unread") != ""}
	if f.Tag == "unread" { // the board's column of that name: the unread ones
		f.Tag, f.Unread = "", true
	}
	return f
}

func (f inboxFilter) query() store.ConversationQuery {
	return store.ConversationQuery{AccountID: f.Account, CampaignID: f.Campaign, Tag: f.Tag, UnreadOnly: f.Unread}
}

// values are f's URL parameters, only those set.
func (f inboxFilter) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"account": f.Account, "campaign": f.Campaign, "tag": f.Tag} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.Unread {
		v.Set("unread", "1")
	}
	return v
}

// link is path with f's parameters and extra ones.
func (f inboxFilter) link(path string, extra ...string) string {
	v := f.values()
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] != "" {
			v.Set(extra[i], extra[i+1])
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// inboxFilters is the filter form with its choices.
type inboxFilters struct {
	// Action is the page the form shows its result on: the list, or the
	// open conversation beside it.
	Action                    string
	Accounts, Campaigns, Tags []tagOption
	Unread, Filtered          bool
}

func (d *Dashboard) inboxFilters(r *request, f inboxFilter, current string) (inboxFilters, error) {
	accounts, err := d.svc.ListAccounts(r.ctx(), r.ws)
	if err != nil {
		return inboxFilters{}, err
	}
	campaigns, _, err := d.svc.ListCampaigns(r.ctx(), r.ws, 0, 0)
	if err != nil {
		return inboxFilters{}, err
	}
	custom, err := d.svc.CustomTags(r.ctx(), r.ws)
	if err != nil {
		return inboxFilters{}, err
	}
	out := inboxFilters{Action: "/inbox", Unread: f.Unread, Filtered: len(f.values()) > 0}
	if current != "" {
		out.Action = "/inbox/" + current
	}
	for _, a := range accounts {
		out.Accounts = append(out.Accounts, tagOption{Value: a.ID, Label: "@" + a.Handle, Selected: a.ID == f.Account})
	}
	for _, c := range campaigns {
		out.Campaigns = append(out.Campaigns, tagOption{Value: c.ID, Label: c.Name, Selected: c.ID == f.Campaign})
	}
	out.Tags = newCRMTags(custom).options(f.Tag)
	return out, nil
}

// inboxList is a page of the list, and how it refreshes.
type inboxList struct {
	Rows []conversationRow
	// PollURL is the fragment the list polls; Version identifies what it
	// shows.
	PollURL, Version string
	// OlderURL is the next page's, NewestURL the first page's when this
	// is not the first.
	OlderURL, NewestURL string
	Filtered            bool
}

// conversationRow is a conversation in the list.
type conversationRow struct {
	ID, Href, LinkID string
	Unread, Current  bool
	Name, Handle     string
	Text             string
	LastSent         bool
	At               time.Time
	Account          string
	Sentiment        string
	Tag              tagOption
}

func (d *Dashboard) inboxList(r *request, f inboxFilter, cursor, current string) (inboxList, error) {
	q := f.query()
	q.Limit = inboxPageSize
	if cursor != "" {
		after, err := decodeInboxCursor(cursor)
		if err != nil {
			return inboxList{}, err
		}
		q.After = after
	}
	page, err := d.svc.ListConversations(r.ctx(), r.ws, q, false)
	if err != nil {
		return inboxList{}, err
	}
	custom, err := d.svc.CustomTags(r.ctx(), r.ws)
	if err != nil {
		return inboxList{}, err
	}
	tags := newCRMTags(custom)
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s|", current, cursor)
	list := inboxList{Filtered: len(f.values()) > 0}
	for _, info := range page.Conversations {
		name, handle := leadNames(info.Lead)
		row := conversationRow{
			ID: info.ID, Href: f.link("/inbox/" + info.ID), LinkID: "conversation-" + info.ID,
			Unread: info.Unread, Current: info.ID == current, Name: name, Handle: handle,
			Text: info.LastText, LastSent: info.LastSent, At: info.LastAt,
			Account: info.AccountHandle, Sentiment: info.Sentiment,
		}
		if info.CRM.Tag != "" {
			row.Tag = tagOption{Value: info.CRM.Tag, Label: tags.label(info.CRM.Tag)}
		}
		fmt.Fprintf(h, "%s|%d|%t|%d|%s|%s|%s|%s|%s\n", info.ID, info.LastAt.UnixNano(), info.Unread, info.MessageCount,
			info.UpdatedAt.Format(time.RFC3339Nano), row.Tag.Label, info.Sentiment, name, handle)
		list.Rows = append(list.Rows, row)
	}
	base := "/inbox"
	if current != "" {
		base += "/" + current
	}
	if page.Next != nil {
		list.OlderURL = f.link(base, "cursor", page.Next.Token())
		fmt.Fprint(h, list.OlderURL)
	}
	if cursor != "" {
		list.NewestURL = f.link(base)
	}
	list.Version = strconv.FormatUint(h.Sum64(), 36)
	list.PollURL = f.link("/inbox/list", "cursor", cursor, "current", current, "v", list.Version)
	return list, nil
}

// leadNames are how the list names a lead: its name (its @handle when it
// has none) and its @handle.
func leadNames(l store.Lead) (name, handle string) {
	if l.Username != "" {
		handle = "@" + l.Username
	}
	name = strings.TrimSpace(l.Name)
	switch {
	case name != "":
	case handle != "":
		name = handle
	default:
		name = "Unknown lead"
	}
	return name, handle
}

// conversationView is the open conversation: the thread, the reply box,
// the lead's profile and the CRM panel.
type conversationView struct {
	ID string
	// InboxURL is the list with the same filters ("Back to inbox").
	InboxURL string
	Account  string
	Lead     leadView
	Thread   threadView
	Reply    replyView
	CRM      crmView
}

type leadView struct {
	Name, Handle, Bio, Location string
	// Website is the lead's website as written; WebsiteURL is set only
	// when it is an http(s) address, the only kind shown as a link.
	Website, WebsiteURL  string
	Followers, Following string
	ProfileURL           string
	Verified             bool
}

type threadView struct {
	ID, PollURL, Version string
	// LeadName names who wrote the received messages.
	LeadName string
	Messages []messageView
}

type messageView struct {
	Text      string
	Sent      bool
	Auto      bool
	At        time.Time
	Sentiment string
}

// replyView is the reply box, with what was typed and what came of it.
type replyView struct {
	ID, CSRF, Back string
	Text           string
	Error, Notice  string
}

// crmView is the CRM panel's form.
type crmView struct {
	ID, CSRF, Back          string
	Tags                    []tagOption
	Notes                   string
	DealValue, DealCurrency string
	Error, Saved            string
	NotesMax                int
}

func (d *Dashboard) conversationView(r *request, id string, f inboxFilter) (*conversationView, error) {
	info, err := d.svc.Conversation(r.ctx(), r.ws, id)
	if err != nil {
		return nil, err
	}
	custom, err := d.svc.CustomTags(r.ctx(), r.ws)
	if err != nil {
		return nil, err
	}
	back := f.link("/inbox/" + id)
	l := info.Lead
	name, handle := leadNames(l)
	v := &conversationView{
		ID: id, InboxURL: f.link("/inbox"), Account: info.AccountHandle,
		Lead: leadView{
			Name: name, Handle: handle, Bio: l.Bio, Location: l.Location,
			Website: l.Website, WebsiteURL: webLink(l.Website),
			Followers: groupDigits(l.Followers), Following: groupDigits(l.Following), Verified: l.Verified,
		},
		Thread: threadOf(info),
		Reply:  replyView{ID: id, CSRF: r.sess.csrf, Back: back},
		CRM:    crmViewOf(info.Conversation, newCRMTags(custom), r.sess.csrf, back),
	}
	if l.Username != "" {
		v.Lead.ProfileURL = "https://x.com/" + url.PathEscape(l.Username)
	}
	return v, nil
}

func threadOf(info service.ConversationInfo) threadView {
	name, _ := leadNames(info.Lead)
	t := threadView{ID: info.ID, LeadName: name}
	for _, m := range info.Messages {
		t.Messages = append(t.Messages, messageView{Text: m.Text, Sent: m.Sent, Auto: m.Auto, At: m.At, Sentiment: m.Sentiment})
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%d|%d|%s|%d", info.MessageCount, info.LastAt.UnixNano(), info.Sentiment, len(info.Messages))
	t.Version = strconv.FormatUint(h.Sum64(), 36)
	t.PollURL = "/inbox/" + url.PathEscape(info.ID) + "/thread?v=" + t.Version
	return t
}

func crmViewOf(c store.Conversation, tags crmTags, csrf, back string) crmView {
	v := crmView{ID: c.ID, CSRF: csrf, Back: back, Notes: c.CRM.Notes, DealCurrency: c.CRM.DealCurrency, NotesMax: service.MaxCRMNotes}
	v.Tags = append([]tagOption{{Value: "", Label: "No tag", Selected: c.CRM.Tag == ""}}, tags.options(c.CRM.Tag)...)
	if c.CRM.DealValue != nil {
		v.DealValue = strconv.FormatFloat(*c.CRM.DealValue, 'f', -1, 64)
	}
	if v.DealCurrency == "" {
		v.DealCurrency = "USD"
	}
	return v
}

// webLink is s as a link's address when it is an http or https URL with
// a host ("example.com" is taken as https://example.com), and "" for
// anything else: a lead's website is never a javascript: or data: link.
func webLink(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err == nil && u.Scheme == "" && !strings.ContainsAny(s, ":\\ ") && strings.Contains(s, ".") {
		u, err = url.Parse("https://" + s)
	}
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	return u.String()
}

// groupDigits writes n with thousands separators: 12,345.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// reply sends a person's message in the conversation from its own
// account, as dm/send does, and shows the thread with it once the engine
// has sent it. A refusal (an empty or too long text, a cap or X's rate
// limit, X's own refusal) is shown beside the box, with the text kept.
func (d *Dashboard) reply(w http.ResponseWriter, r *request) {
	id := r.PathValue("id")
	text := r.PostFormValue("text")
	info, err := d.svc.Conversation(r.ctx(), r.ws, id)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	j, err := d.svc.SendDM(r.ctx(), r.ws, id, info.AccountID, text)
	if err != nil {
		d.replyRefused(w, r, id, text, err)
		return
	}
	sent, err := d.svc.WaitMessage(r.ctx(), r.ws, j.ID, replyWait)
	switch {
	case errors.Is(err, service.ErrJobWaitTimeout):
		d.showReply(w, r, http.StatusAccepted, id, func(v *replyView) {
			v.Notice = "Your message is queued and has not gone out yet. It will: do not send it again."
		})
		return
	case err != nil:
		d.fail(w, r, err)
		return
	}
	if status, why, keep := messageFailure(sent.Job); why != "" {
		d.showReply(w, r, status, id, func(v *replyView) {
			v.Error = why
			if keep {
				v.Text = text
			}
		})
		return
	}
	if isHTMX(r.Request) {
		d.showReply(w, r, http.StatusOK, id, nil)
		return
	}
	back(w, r, "/inbox/"+id)
}

// replyRefused shows why SendDM refused a reply, or fails the request
// when the refusal is not about the reply (a conversation not found).
func (d *Dashboard) replyRefused(w http.ResponseWriter, r *request, id, text string, err error) {
	var (
		verr *service.ValidationError
		lerr *service.LimitError
	)
	var status int
	var why string
	switch {
	case errors.As(err, &verr):
		status, why = http.StatusBadRequest, "Not sent: "+replyProblem(verr)
	case errors.As(err, &lerr):
		w.Header().Set("Retry-After", retryAfter(lerr.RetryAfter))
		status, why = http.StatusTooManyRequests, "Not sent: "+lerr.Error()+"."
	default:
		d.fail(w, r, err)
		return
	}
	d.showReply(w, r, status, id, func(v *replyView) { v.Error, v.Text = why, text })
}

// replyProblem says what is wrong with a reply in the words of the box
// (the service names the API's field, "message").
func replyProblem(e *service.ValidationError) string {
	if e.Field == "message" {
		if rest, ok := strings.CutPrefix(e.Reason, "the message "); ok {
			return "the reply " + rest + "."
		}
		return "the reply has " + e.Reason + "."
	}
	return e.Error() + "."
}

// messageFailure says why a message job that ended did not send: the
// status to answer, the reason, and whether to keep the text for another
// try (not when it may have gone out). A sent message has no reason.
func messageFailure(j store.Job) (status int, why string, keep bool) {
	reason := j.LastError
	if reason == "" {
		reason = "no reason given"
	}
	switch j.State {
	case store.JobDone:
		return http.StatusOK, "", false
	case store.JobNeedsReview:
		return http.StatusBadGateway, "X's answer was lost, so nobody knows whether your message went out. Check the conversation on X, then settle it under Needs review.", false
	case store.JobFailed:
		return http.StatusBadGateway, "X did not take the message: " + reason, true
	default: // skipped or cancelled
		return http.StatusConflict, fmt.Sprintf("The message was %s: %s", j.State, reason), true
	}
}

// showReply shows the conversation after a reply: for htmx the thread and
// the reply box (an error is shown within them, so it is a 200: htmx
// swaps nothing on a 4xx), otherwise the whole page with status.
func (d *Dashboard) showReply(w http.ResponseWriter, r *request, status int, id string, edit func(*replyView)) {
	f := inboxFilterOf(backQuery(r))
	if !isHTMX(r.Request) {
		d.showConversation(w, r, status, id, f, "", func(v *conversationView) {
			if edit != nil {
				edit(&v.Reply)
			}
		})
		return
	}
	v, err := d.conversationView(r, id, f)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	if edit != nil {
		edit(&v.Reply)
	}
	d.fragment(w, http.StatusOK, "inbox-conversation", v)
}

// saveCRM changes the conversation's CRM card from the side panel's form:
// the fields it holds are set, an empty deal value or currency keeps the
// old one.
func (d *Dashboard) saveCRM(w http.ResponseWriter, r *request) {
	id := r.PathValue("id")
	u, err := crmUpdateOf(r.Request, id)
	if err == nil {
		_, err = d.svc.UpdateCRM(r.ctx(), r.ws, u)
	}
	var verr *service.ValidationError
	switch {
	case errors.As(err, &verr):
		d.showCRM(w, r, http.StatusBadRequest, id, func(v *crmView) {
			v.Error = "Not saved: " + verr.Error() + "."
			keepCRMInput(v, r)
		})
	case err != nil:
		d.fail(w, r, err)
	case isHTMX(r.Request):
		d.showCRM(w, r, http.StatusOK, id, func(v *crmView) { v.Saved = "Saved." })
	default:
		back(w, r, "/inbox/"+id)
	}
}

func crmUpdateOf(r *http.Request, id string) (service.CRMUpdate, error) {
	u := service.CRMUpdate{ConversationID: id}
	if err := r.ParseForm(); err != nil {
		return u, &service.ValidationError{Field: "form", Reason: err.Error()}
	}
	if r.PostForm.Has("tag") {
		tag := r.PostFormValue("tag")
		u.Tag = &tag
	}
	if r.PostForm.Has("notes") {
		notes := strings.ReplaceAll(r.PostFormValue("notes"), "\r\n", "\n")
		u.Notes = &notes
	}
	if s := strings.TrimSpace(r.PostFormValue("deal_value")); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return u, &service.ValidationError{Field: "deal_value", Reason: fmt.Sprintf("%q is not a number", s)}
		}
		u.DealValue = &v
	}
	if s := strings.ToUpper(strings.TrimSpace(r.PostFormValue("deal_currency"))); s != "" {
		u.DealCurrency = &s
	}
	return u, nil
}

// keepCRMInput puts what the person typed back into a refused form.
func keepCRMInput(v *crmView, r *request) {
	tag := r.PostFormValue("tag")
	for i := range v.Tags {
		v.Tags[i].Selected = v.Tags[i].Value == tag
	}
	v.Notes = r.PostFormValue("notes")
	v.DealValue = r.PostFormValue("deal_value")
	v.DealCurrency = r.PostFormValue("deal_currency")
}

// showCRM shows the CRM panel after a save: the panel alone for htmx
// (with a 200 even for a refusal, which htmx would not swap), otherwise
// the page with status.
func (d *Dashboard) showCRM(w http.ResponseWriter, r *request, status int, id string, edit func(*crmView)) {
	f := inboxFilterOf(backQuery(r))
	if !isHTMX(r.Request) {
		d.showConversation(w, r, status, id, f, "", func(v *conversationView) { edit(&v.CRM) })
		return
	}
	v, err := d.conversationView(r, id, f)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	edit(&v.CRM)
	d.fragment(w, http.StatusOK, "inbox-crm", v.CRM)
}

// backQuery is the query of the page a form was posted from (its "back"
// field): the inbox's filters.
func backQuery(r *request) url.Values {
	u, err := url.Parse(r.PostFormValue("back"))
	if err != nil {
		return url.Values{}
	}
	return u.Query()
}

// An inbox cursor is the API's (store.ConversationCursor.Token): a page
// stays stable while conversations come in.
func decodeInboxCursor(s string) (*store.ConversationCursor, error) {
	c, err := store.ParseCursor(s)
	if err != nil {
		return nil, &service.ValidationError{Field: "cursor", Reason: "not a position this inbox gave; go back to the newest conversations"}
	}
	return c, nil
}
