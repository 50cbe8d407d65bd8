package postgres

import (
	"fmt"
	"regexp"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/outreachhq/outreach/core/store"
)

// The statements of the reads ReadAhead knows, shared with the methods
// that make them one by one: a read ahead answers a later call only if
// its statement and arguments are the same.
const (
	sqlJob          = `SELECT body FROM jobs WHERE ws = $1 AND id = $2`
	sqlObject       = `SELECT body FROM objects WHERE ws = $1 AND kind = $2 AND id = $3`
	sqlAccount      = `SELECT body FROM accounts WHERE ws = $1 AND id = $2`
	sqlAccountState = `SELECT body FROM account_states WHERE ws = $1 AND account_id = $2`
	sqlConversation = `SELECT body FROM conversations WHERE ws = $1 AND id = $2`
	sqlIntent       = `SELECT body FROM intents WHERE ws = $1 AND job_id = $2`
	sqlLead         = `SELECT body FROM leads WHERE ws = $1 AND user_id = $2`
	sqlDoNotContact = `SELECT true FROM do_not_contact WHERE ws = $1 AND user_id = $2`
	sqlSentOn       = `SELECT n FROM sent_counts WHERE ws = $1 AND account_id = $2 AND day = $3`
	sqlQueueHeads   = `
		WITH RECURSIVE lanes (campaign_id, kind) AS (
			(SELECT campaign_id, kind FROM jobs
			 WHERE ws = $1 AND account_id = $2 AND state = 'pending' AND account_id <> ''
			 ORDER BY campaign_id, kind LIMIT 1)
			UNION ALL
			SELECT next.campaign_id, next.kind FROM lanes, LATERAL (
				SELECT campaign_id, kind FROM jobs
				WHERE ws = $1 AND account_id = $2 AND state = 'pending' AND account_id <> ''
				  AND (campaign_id, kind) > (lanes.campaign_id, lanes.kind)
				ORDER BY campaign_id, kind LIMIT 1) next
		)
		SELECT head.body FROM lanes, LATERAL (
			SELECT body FROM jobs
			WHERE ws = $1 AND account_id = $2 AND state = 'pending' AND account_id <> ''
			  AND campaign_id = lanes.campaign_id AND kind = lanes.kind AND id <> $3
			ORDER BY due_at, id LIMIT 1) head
		ORDER BY lanes.campaign_id, lanes.kind`
)

// statement is the statement and arguments of a read.
func statement(r store.Read) (string, []any, bool) {
	switch r.Kind {
	case store.ReadJob:
		return sqlJob, []any{r.Workspace, r.ID}, true
	case store.ReadCampaign:
		return sqlObject, []any{r.Workspace, store.KindCampaign, r.ID}, true
	case store.ReadAccount:
		return sqlAccount, []any{r.Workspace, r.ID}, true
	case store.ReadAccountState:
		return sqlAccountState, []any{r.Workspace, r.ID}, true
	case store.ReadQueueHeads:
		return sqlQueueHeads, []any{r.Workspace, r.ID, r.Except}, true
	case store.ReadConversation:
		return sqlConversation, []any{r.Workspace, r.ID}, true
	case store.ReadIntent:
		return sqlIntent, []any{r.Workspace, r.ID}, true
	case store.ReadLead:
		return sqlLead, []any{r.Workspace, r.ID}, true
	case store.ReadDoNotContact:
		return sqlDoNotContact, []any{r.Workspace, r.ID}, true
	case store.ReadSentOn:
		return sqlSentOn, []any{r.Workspace, r.ID, r.Day}, true
	}
	return "", nil, false
}

// aheadKey is a statement with its arguments.
func aheadKey(sql string, args []any) string { return fmt.Sprintf("%s\x00%q", sql, args) }

// readAhead is the answer to one statement, read ahead: its rows, as the
// server sent them, and the tables it read.
type readAhead struct {
	fields []pgconn.FieldDescription
	rows   [][][]byte
	tables []string
}

var (
	readsTable  = regexp.MustCompile(`(?i)\b(?:FROM|JOIN)\s+(\w+)`)
	writesTable = regexp.MustCompile(`(?i)\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(\w+)`)
)

// tables lists the tables a statement names after one of the words of re.
// Statements are constants, so each is parsed once.
func tables(re *regexp.Regexp, sql string) []string {
	k := tablesKey{re, sql}
	if ts, ok := parsedTables.Load(k); ok {
		return ts.([]string)
	}
	var out []string
	for _, m := range re.FindAllStringSubmatch(sql, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	parsedTables.Store(k, out)
	return out
}

type tablesKey struct {
	re  *regexp.Regexp
	sql string
}

var parsedTables sync.Map // tablesKey -> []string

// voidAhead forgets what was read ahead of the tables a write statement
// writes (of every table if it names none it writes: a statement this
// cannot read). The triggers of jobs and conversations write tallies,
// which nothing reads ahead.
func (t *Tx) voidAhead(sql string) {
	if len(t.ahead) == 0 {
		return
	}
	written := tables(writesTable, sql)
	for k, a := range t.ahead {
		if len(written) == 0 || slices.ContainsFunc(a.tables, func(tb string) bool { return slices.Contains(written, tb) }) {
			delete(t.ahead, k)
		}
	}
}

// ReadAhead reads the records named, in one round trip with the writes
// still queued, for the calls that read them next (store.Read). Each
// answer serves one call; a write to a table voids what was read of it.
func (t *Tx) ReadAhead(reads ...store.Read) error {
	if err := t.usable(false); err != nil {
		return err
	}
	if err := t.tellAnswers(); err != nil {
		return err
	}
	// The queued writes go first, in order, as they would with a read.
	b := &pgx.Batch{}
	for _, w := range t.queued {
		b.Queue(w.sql, w.args...)
	}
	var keys, sqls []string
	for _, r := range reads {
		sql, args, ok := statement(r)
		if !ok {
			continue
		}
		k := aheadKey(sql, args)
		if _, have := t.ahead[k]; have || slices.Contains(keys, k) {
			continue
		}
		b.Queue(sql, args...)
		keys, sqls = append(keys, k), append(sqls, sql)
	}
	if len(keys) == 0 {
		return nil
	}
	queued := t.queued
	t.queued = nil
	br := t.tx.SendBatch(t.ctx, b)
	defer br.Close()
	if err := t.sent(br, queued); err != nil {
		return err
	}
	got := make(map[string]readAhead, len(keys))
	for i, k := range keys {
		rows, err := br.Query()
		if err != nil {
			return t.note(err)
		}
		// The connection reuses both slices for the next result: copy them.
		a := readAhead{fields: slices.Clone(rows.FieldDescriptions()), tables: tables(readsTable, sqls[i])}
		for rows.Next() {
			var row [][]byte
			for _, v := range rows.RawValues() {
				row = append(row, append([]byte(nil), v...))
			}
			a.rows = append(a.rows, row)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return t.note(err)
		}
		got[k] = a
	}
	if t.ahead == nil {
		t.ahead = map[string]readAhead{}
	}
	for k, a := range got {
		t.ahead[k] = a
	}
	return nil
}

// takeAhead returns the answer read ahead for a statement, if any, and
// forgets it.
func (t *Tx) takeAhead(sql string, args []any) (*aheadRows, bool) {
	if len(t.ahead) == 0 {
		return nil, false
	}
	k := aheadKey(sql, args)
	a, ok := t.ahead[k]
	if !ok {
		return nil, false
	}
	delete(t.ahead, k)
	return &aheadRows{tx: t, a: a, i: -1}, true
}

// aheadRows iterates over an answer read ahead, as pgx.Rows does.
type aheadRows struct {
	tx *Tx
	a  readAhead
	i  int
}

func (r *aheadRows) Next() bool { r.i++; return r.i < len(r.a.rows) }

func (r *aheadRows) Scan(dest ...any) error {
	return pgx.ScanRow(r.tx.tx.Conn().TypeMap(), r.a.fields, r.a.rows[r.i], dest...)
}
