package service

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/store"
)

// MaxListedLeads is the most users one lead list holds: a campaign's
// most leads.
const MaxListedLeads = config.MaxCampaignLeads

// readCSVHeader starts reading a CSV upload (a byte-order mark is
// skipped; rows may have any number of cells) and returns its header row.
// An empty upload is a *ValidationError asking for want.
func readCSVHeader(data []byte, want string) (*csv.Reader, []string, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, invalid("csv", "the list is empty: give %s", want)
	}
	if err != nil {
		return nil, nil, csvError(err)
	}
	return r, header, nil
}

// ParseLeadList reads a lead list in CSV: a header row naming a handle
// column and optionally a name column (in any order, any case; other
// columns are ignored), then one user per row. A bad row is a
// *ValidationError naming its line; a handle listed twice is kept once.
func ParseLeadList(data []byte) ([]store.Listed, error) {
	r, header, err := readCSVHeader(data, "a header row with a handle column, then one handle per row")
	if err != nil {
		return nil, err
	}
	handleCol, nameCol := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "handle", "username", "screen_name":
			handleCol = i
		case "name":
			nameCol = i
		}
	}
	if handleCol < 0 {
		return nil, invalid("line 1", "the header row has no handle column (it has %s)", strings.Join(header, ", "))
	}
	var out []store.Listed
	seen := map[string]bool{}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := r.FieldPos(0)
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue // a blank line
		}
		if handleCol >= len(row) {
			return nil, invalid(fmt.Sprintf("line %d", line), "the row has no handle column")
		}
		h, err := config.CheckHandle(row[handleCol])
		if err != nil {
			return nil, invalid(fmt.Sprintf("line %d", line), "%v", err)
		}
		if seen[store.NormalizeHandle(h)] {
			continue
		}
		seen[store.NormalizeHandle(h)] = true
		l := store.Listed{Handle: h}
		if nameCol >= 0 && nameCol < len(row) {
			l.Name = strings.TrimSpace(row[nameCol])
			if len(l.Name) > 200 {
				return nil, invalid(fmt.Sprintf("line %d", line), "the name is longer than 200 characters")
			}
		}
		out = append(out, l)
		if len(out) > MaxListedLeads {
			return nil, invalid(fmt.Sprintf("line %d", line), "a lead list holds at most %d handles", MaxListedLeads)
		}
	}
	if len(out) == 0 {
		return nil, invalid("csv", "the list has a header row but no handle")
	}
	return out, nil
}

// csvError names the line of a CSV syntax error.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return invalid(fmt.Sprintf("line %d", pe.Line), "%v", pe.Err)
	}
	return invalid("csv", "%v", err)
}

// CreateLeadList creates a lead source from a list of users rather than a
// scrape: its one job looks the handles up on X and keeps those who
// exist, with the list's names, through no filter. Its id is a lead
// source id like any other: campaigns over it get its leads as they are
// looked up.
func (s *Service) CreateLeadList(ctx context.Context, ws, name string, listed []store.Listed) (SourceInfo, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return SourceInfo{}, invalid("name", "give the lead list a name")
	}
	if len(listed) == 0 {
		return SourceInfo{}, invalid("csv", "give at least one handle")
	}
	var info SourceInfo
	err := s.update(ctx, func(tx Tx) (bool, error) {
		if err := tx.PutWorkspace(ws); err != nil {
			return false, err
		}
		now := s.clock.Now().UTC()
		src := store.Source{ID: uuid.NewString(), Workspace: ws, Name: name, Listed: slices.Clone(listed), CreatedAt: now, UpdatedAt: now}
		if err := tx.PutSource(src); err != nil {
			return false, err
		}
		j := store.Job{
			ID: store.ScrapeJobID(src.ID, store.RelationList, ""), Workspace: ws, Kind: store.JobScrape, State: store.JobPending,
			DueAt: now, SourceID: src.ID, Relation: store.RelationList, CreatedAt: now, UpdatedAt: now,
		}
		if err := tx.PutJob(j); err != nil {
			return false, err
		}
		var err error
		info, err = sourceInfo(tx, src)
		return true, err
	})
	return info, err
}
