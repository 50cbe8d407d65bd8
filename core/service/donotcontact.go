package service

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/store"
)

// DoNotContactEntry is an entry of the do-not-contact list, with the
// user's handle when the workspace knows the user as a lead.
type DoNotContactEntry struct {
	UserID, Handle, Reason string
}

// DoNotContactRefs name users of X: by user id, or by the handle of a lead
// the workspace knows (scraped or listed), since the list is kept by id.
type DoNotContactRefs struct {
	UserIDs, Handles []string
	Reason           string
}

// maxReason bounds the reason an entry keeps.
const maxReason = 1000

// DoNotContacts returns a page of the workspace's do-not-contact list, by
// user id, and how many entries it has.
func (s *Service) DoNotContacts(ctx context.Context, ws string, limit, offset int) ([]DoNotContactEntry, int, error) {
	var (
		out   []DoNotContactEntry
		total int
	)
	err := s.view(ctx, func(tx Tx) error {
		all, err := tx.DoNotContacts(ws)
		if err != nil {
			return err
		}
		total = len(all)
		out, err = dncEntries(tx, ws, page(all, limit, offset))
		return err
	})
	return out, total, err
}

func dncEntries(tx Tx, ws string, list []store.DoNotContact) ([]DoNotContactEntry, error) {
	out := make([]DoNotContactEntry, 0, len(list))
	for _, d := range list {
		e := DoNotContactEntry{UserID: d.UserID, Reason: d.Reason}
		switch l, err := tx.Lead(ws, d.UserID); {
		case err == nil:
			e.Handle = l.Username
		case !store.IsNotFound(err):
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// AddDoNotContacts puts users on the do-not-contact list: no campaign
// sends them a first DM, a follow-up or an engagement again. It returns
// the entries added or updated. A handle no lead of the workspace has is
// a *ValidationError naming handles[i]: give the user id.
func (s *Service) AddDoNotContacts(ctx context.Context, ws string, refs DoNotContactRefs) ([]DoNotContactEntry, error) {
	reason := strings.TrimSpace(refs.Reason)
	if len(reason) > maxReason {
		return nil, invalid("reason", "at most %d characters", maxReason)
	}
	if reason == "" {
		reason = "added through the API"
	}
	if err := checkRefs(refs); err != nil {
		return nil, err
	}
	var out []DoNotContactEntry
	err := s.update(ctx, func(tx Tx) (bool, error) {
		out = nil
		ids, err := resolveRefs(tx, ws, refs)
		if err != nil {
			return false, err
		}
		if err := tx.PutWorkspace(ws); err != nil {
			return false, err
		}
		var list []store.DoNotContact
		for _, id := range ids {
			if err := tx.AddDoNotContact(ws, id, reason); err != nil {
				return false, err
			}
			list = append(list, store.DoNotContact{UserID: id, Reason: reason})
		}
		out, err = dncEntries(tx, ws, list)
		return false, err
	})
	return out, err
}

// RemoveDoNotContacts takes users off the do-not-contact list and returns
// how many were on it. Leads taken off are not queued again by campaigns
// that skipped them; they get DMs from campaigns that reach them later.
func (s *Service) RemoveDoNotContacts(ctx context.Context, ws string, refs DoNotContactRefs) (int, error) {
	if err := checkRefs(refs); err != nil {
		return 0, err
	}
	var n int
	err := s.update(ctx, func(tx Tx) (bool, error) {
		n = 0
		ids, err := resolveRefs(tx, ws, refs)
		if err != nil {
			return false, err
		}
		for _, id := range ids {
			on, err := tx.DoNotContact(ws, id)
			if err != nil {
				return false, err
			}
			if !on {
				continue
			}
			if err := tx.RemoveDoNotContact(ws, id); err != nil {
				return false, err
			}
			n++
		}
		return false, nil
	})
	return n, err
}

// checkRefs validates user ids and handles, naming the one at fault.
func checkRefs(refs DoNotContactRefs) error {
	if len(refs.UserIDs)+len(refs.Handles) == 0 {
		return invalid("user_ids", "give user_ids or handles")
	}
	for i, id := range refs.UserIDs {
		if !isUserID(id) {
			return invalid(fmt.Sprintf("user_ids[%d]", i), "an X user id is 1 to 20 digits, not %q", id)
		}
	}
	for i, h := range refs.Handles {
		if _, err := config.CheckHandle(h); err != nil {
			return invalid(fmt.Sprintf("handles[%d]", i), "%v", err)
		}
	}
	return nil
}

func isUserID(s string) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// resolveRefs returns the user ids refs name, each once, handles resolved
// through the workspace's leads.
func resolveRefs(tx Tx, ws string, refs DoNotContactRefs) ([]string, error) {
	var ids []string
	seen := map[string]bool{}
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, id := range refs.UserIDs {
		add(id)
	}
	if len(refs.Handles) == 0 {
		return ids, nil
	}
	byHandle, err := leadIDsByHandle(tx, ws, refs.Handles)
	if err != nil {
		return nil, err
	}
	for i, h := range refs.Handles {
		id, ok := byHandle[store.NormalizeHandle(h)]
		if !ok {
			return nil, invalid(fmt.Sprintf("handles[%d]", i), "no lead @%s is known in this workspace; give the user's id in user_ids instead", store.NormalizeHandle(h))
		}
		add(id)
	}
	return ids, nil
}

// leadIDsByHandle finds the user ids of the workspace's leads with these
// handles. Leads are kept by id only, so it reads them all: a do-not-contact
// change is rare, and a handle index is not worth its upkeep on every kept
// lead.
func leadIDsByHandle(tx Tx, ws string, handles []string) (map[string]string, error) {
	want := map[string]bool{}
	for _, h := range handles {
		want[store.NormalizeHandle(h)] = true
	}
	out := map[string]string{}
	after := ""
	for len(out) < len(want) {
		leads, err := tx.LeadsAfter(ws, after, 1000)
		if err != nil {
			return nil, err
		}
		if len(leads) == 0 {
			break
		}
		for _, l := range leads {
			if h := store.NormalizeHandle(l.Username); want[h] {
				out[h] = l.UserID
			}
		}
		after = leads[len(leads)-1].UserID
	}
	return out, nil
}

// DoNotContactRow is one row of a do-not-contact CSV and its line.
type DoNotContactRow struct {
	Line int
	DoNotContactRefs
}

// ParseDoNotContactCSV reads a do-not-contact list in CSV: a header row
// with a user_id column, a handle column or both, and an optional reason
// column; then one user per row, by id or handle. A bad row is a
// *ValidationError naming its line.
func ParseDoNotContactCSV(data []byte) ([]DoNotContactRow, error) {
	r, header, err := readCSVHeader(data, "a header row with a user_id or handle column")
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	idCol, hasID := col["user_id"]
	handleCol, hasHandle := col["handle"]
	reasonCol, hasReason := col["reason"]
	if !hasID && !hasHandle {
		return nil, invalid("line 1", "the header row has neither a user_id nor a handle column (it has %s)", strings.Join(header, ", "))
	}
	cell := func(row []string, i int, ok bool) string {
		if !ok || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	var out []DoNotContactRow
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := r.FieldPos(0)
		field := fmt.Sprintf("line %d", line)
		id, h, reason := cell(row, idCol, hasID), cell(row, handleCol, hasHandle), cell(row, reasonCol, hasReason)
		var ref DoNotContactRefs
		switch {
		case id != "":
			if !isUserID(id) {
				return nil, invalid(field, "an X user id is 1 to 20 digits, not %q", id)
			}
			ref.UserIDs = []string{id}
		case h != "":
			if _, err := config.CheckHandle(h); err != nil {
				return nil, invalid(field, "%v", err)
			}
			ref.Handles = []string{h}
		case len(strings.Join(row, "")) == 0:
			continue // a blank line
		default:
			return nil, invalid(field, "the row has neither a user id nor a handle")
		}
		if len(reason) > maxReason {
			return nil, invalid(field, "the reason is longer than %d characters", maxReason)
		}
		ref.Reason = reason
		out = append(out, DoNotContactRow{Line: line, DoNotContactRefs: ref})
	}
	return out, nil
}

// ImportDoNotContacts adds every row of a parsed CSV (ParseDoNotContactCSV)
// in one transaction: all or nothing. An unknown handle names its line.
func (s *Service) ImportDoNotContacts(ctx context.Context, ws string, rows []DoNotContactRow) (int, error) {
	var n int
	err := s.update(ctx, func(tx Tx) (bool, error) {
		n = 0
		if err := tx.PutWorkspace(ws); err != nil {
			return false, err
		}
		// One pass over the leads for every handle of the file.
		var handles []string
		for _, row := range rows {
			handles = append(handles, row.Handles...)
		}
		byHandle, err := leadIDsByHandle(tx, ws, handles)
		if err != nil {
			return false, err
		}
		for _, row := range rows {
			ids := row.UserIDs
			for _, h := range row.Handles {
				id, ok := byHandle[store.NormalizeHandle(h)]
				if !ok {
					return false, invalid(fmt.Sprintf("line %d", row.Line), "no lead @%s is known in this workspace; give the user's id in the user_id column instead", store.NormalizeHandle(h))
				}
				ids = append(ids, id)
			}
			reason := row.Reason
			if reason == "" {
				reason = "imported from CSV"
			}
			for _, id := range ids {
				if err := tx.AddDoNotContact(ws, id, reason); err != nil {
					return false, err
				}
				n++
			}
		}
		return false, nil
	})
	return n, err
}

// CSVCell keeps a spreadsheet from running a cell of an export as a
// formula: one that starts with =, +, -, @, a tab or a carriage return
// gets a leading apostrophe (OWASP's advice on CSV injection). Text from X
// (bios, names, messages) and reasons are anyone's to write.
func CSVCell(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

// DoNotContactCSV writes the whole do-not-contact list as CSV, with the
// header ParseDoNotContactCSV reads: user_id,handle,reason.
func (s *Service) DoNotContactCSV(ctx context.Context, ws string) ([]byte, error) {
	entries, _, err := s.DoNotContacts(ctx, ws, 0, 0)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"user_id", "handle", "reason"})
	for _, e := range entries {
		_ = w.Write([]string{CSVCell(e.UserID), CSVCell(e.Handle), CSVCell(e.Reason)})
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
