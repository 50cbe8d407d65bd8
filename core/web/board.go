package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// boardService is what the board page needs from the service layer.
type boardService interface {
	// CRMBoard returns the board's columns, each with up to limit
	// conversations, and the workspace's custom tags.
	CRMBoard(ctx context.Context, workspace, tag string, limit int, withMessages bool) ([]service.CRMColumn, []store.CustomTag, error)
	// UpdateCRM changes a conversation's CRM card.
	UpdateCRM(ctx context.Context, workspace string, u service.CRMUpdate) (store.Conversation, error)
}

func (d *Dashboard) registerBoard() {
	d.handle("GET /board", d.board)
	d.handle("POST /board/move", d.moveCard)
}

// boardColumnSize is how many cards a column shows, the most CRMBoard
// gives.
const boardColumnSize = 100

type boardView struct {
	Columns []boardColumn
}

// boardColumn is a column of the board: the conversations of one tag, or
// for "unread" those with a reply nobody has read (a card can be in both).
type boardColumn struct {
	Tag, Label, HeadingID string
	// Color is a custom tag's, #rrggbb.
	Color string
	Cards []boardCard
	// Full says the column shows its first boardColumnSize cards only.
	Full bool
	// Target says cards can be moved here: not to "unread", which is not a
	// tag a person sets.
	Target bool
}

// boardCard is a conversation on the board.
type boardCard struct {
	ID, Href      string
	Name, Handle  string
	Snippet, Deal string
	// Last is when its newest message was sent, in Unix milliseconds: the
	// order of a column, which board.js keeps when it moves a card.
	Last int64
	// Tag is the conversation's tag; SelectID the id of its move form's
	// select, unique on the page (a card can be in two columns).
	Tag      string
	SelectID string
	Options  []tagOption
}

// board shows the CRM board.
func (d *Dashboard) board(w http.ResponseWriter, r *request) {
	cols, custom, err := d.svc.CRMBoard(r.ctx(), r.ws, "", boardColumnSize, false)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	tags := newCRMTags(custom)
	v := boardView{}
	for _, col := range cols {
		bc := boardColumn{
			Tag: col.Tag, Label: tags.label(col.Tag), HeadingID: "column-" + col.Tag, Color: tags.color(col.Tag),
			Full: len(col.Conversations) >= boardColumnSize, Target: col.Tag != "unread",
		}
		for _, info := range col.Conversations {
			name, handle := leadNames(info.Lead)
			bc.Cards = append(bc.Cards, boardCard{
				ID: info.ID, Href: "/inbox/" + info.ID, Name: name, Handle: handle,
				Snippet: snippet(info.LastText, 140), Deal: dealText(info.CRM), Last: info.LastAt.UnixMilli(),
				Tag: info.CRM.Tag, SelectID: "move-" + col.Tag + "-" + info.ID, Options: tags.options(info.CRM.Tag),
			})
		}
		v.Columns = append(v.Columns, bc)
	}
	d.render(w, r, http.StatusOK, "board", view{Title: "CRM board", Nav: "board", Data: v})
}

// moveCard moves a card to another column: it sets the conversation's tag
// and nothing else. The card's form comes back to the board; board.js's
// request (htmx's header) gets 204.
func (d *Dashboard) moveCard(w http.ResponseWriter, r *request) {
	if err := r.ParseForm(); err != nil {
		d.fail(w, r, &service.ValidationError{Field: "form", Reason: err.Error()})
		return
	}
	id, tag := r.PostFormValue("conversation_id"), r.PostFormValue("tag")
	if tag == "" {
		d.fail(w, r, &service.ValidationError{Field: "tag", Reason: "choose the column to move the card to"})
		return
	}
	if _, err := d.svc.UpdateCRM(r.ctx(), r.ws, service.CRMUpdate{ConversationID: id, Tag: &tag}); err != nil {
		d.fail(w, r, err)
		return
	}
	if isHTMX(r.Request) {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	back(w, r, "/board")
}

// tagOption is a choice of a select: a tag, an account, a campaign.
type tagOption struct {
	Value, Label string
	Selected     bool
}

// crmTags names the tags of a workspace: the base tags and its custom
// ones.
type crmTags struct {
	custom []store.CustomTag
}

func newCRMTags(custom []store.CustomTag) crmTags { return crmTags{custom: custom} }

// baseTagLabels are what the dashboard calls the base tags.
var baseTagLabels = map[string]string{
	"unread":           "Unread",
	"interested_reply": "Interested",
	"negative_reply":   "Negative reply",
	"neutral_reply":    "Neutral reply",
	"engaged":          "Engaged",
	"calendlyd":        "Calendly sent",
	"booked":           "Booked",
	"not_interested":   "Not interested",
	"not_qualified":    "Not qualified",
}

// label is what a tag is called: a custom tag by its name, a tag the
// workspace no longer has by its key.
func (t crmTags) label(key string) string {
	if l, ok := baseTagLabels[key]; ok {
		return l
	}
	for _, c := range t.custom {
		if c.Key() == key {
			return c.Name
		}
	}
	return key
}

// color is a custom tag's colour, "" for the others.
func (t crmTags) color(key string) string {
	for _, c := range t.custom {
		if c.Key() == key {
			return c.Color
		}
	}
	return ""
}

// options are the tags a person can give a conversation (every tag but
// "unread", a state rather than a tag), current selected; a current tag
// not among them is listed too, so that a form does not change it
// unasked.
func (t crmTags) options(current string) []tagOption {
	var out []tagOption
	for _, key := range service.BaseTags {
		if key != "unread" {
			out = append(out, tagOption{Value: key, Label: t.label(key), Selected: key == current})
		}
	}
	for _, c := range t.custom {
		out = append(out, tagOption{Value: c.Key(), Label: c.Name, Selected: c.Key() == current})
	}
	if current != "" && !slices.ContainsFunc(out, func(o tagOption) bool { return o.Value == current }) {
		out = append(out, tagOption{Value: current, Label: t.label(current), Selected: true})
	}
	return out
}

// snippet is the start of s, at most n characters, on one line.
func snippet(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// dealText shows a card's deal: "5,000 USD", "1,234.50 EUR"; "" for none.
func dealText(c store.CRM) string {
	if c.DealValue == nil {
		return ""
	}
	v := *c.DealValue
	whole := int64(v)
	s := groupDigits(whole)
	if cents := int64((v-float64(whole))*100 + 0.5); cents > 0 && cents < 100 {
		s += "." + strconv.FormatInt(100+cents, 10)[1:]
	}
	cur := c.DealCurrency
	if cur == "" {
		cur = "USD"
	}
	return s + " " + cur
}
