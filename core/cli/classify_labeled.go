package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/outreachhq/outreach/sdk"
)

// labeledReply is one line of `classify --labeled`'s input, in the format
// of plugins/ai/testdata/replies: a reply and how a person labeled it.
// opt_out and booking may be left out; they are then not measured.
type labeledReply struct {
	Text      string `json:"text"`
	Sentiment string `json:"sentiment"`
	OptOut    *bool  `json:"opt_out"`
	Booking   *bool  `json:"booking"`
	// line is the line of the input it was read from.
	line int
}

// maxLabeledReplies bounds what --labeled reads, all of it before
// classifying any.
const maxLabeledReplies = 100_000

// readLabeled reads in's JSON lines, each a labeledReply; blank lines are
// skipped. The first bad line is an error naming the line and the field.
func readLabeled(in io.Reader) ([]labeledReply, error) {
	lines := bufio.NewScanner(in)
	lines.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var out []labeledReply
	for n := 1; lines.Scan(); n++ {
		line := bytes.TrimSpace(lines.Bytes())
		if len(line) == 0 {
			continue
		}
		if len(out) == maxLabeledReplies {
			return nil, fmt.Errorf("line %d: more than %d labeled replies", n, maxLabeledReplies)
		}
		var r labeledReply
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			return nil, fmt.Errorf("line %d: not a labeled reply (a JSON object with text, sentiment and perhaps opt_out and booking): %w", n, jsonError(err))
		}
		if dec.More() {
			return nil, fmt.Errorf("line %d: more than one JSON value", n)
		}
		switch {
		case strings.TrimSpace(r.Text) == "":
			return nil, fmt.Errorf("line %d: text is missing or blank", n)
		case r.Sentiment != sdk.Positive.String() && r.Sentiment != sdk.Negative.String() && r.Sentiment != sdk.Neutral.String():
			return nil, fmt.Errorf("line %d: sentiment is %q; it must be positive, negative or neutral", n, r.Sentiment)
		}
		r.line = n
		out = append(out, r)
	}
	if err := lines.Err(); err != nil {
		return nil, fmt.Errorf("read stdin: %w", err)
	}
	if len(out) == 0 {
		return nil, errors.New("no labeled replies on stdin: write one JSON object per line, such as {\"text\": \"sounds good\", \"sentiment\": \"positive\"}")
	}
	return out, nil
}

// jsonError is err without encoding/json's "json: " prefix, naming the
// field whose value has the wrong type.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Errorf("%s is a JSON %s, not a %s", te.Field, te.Value, te.Type)
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

// agreement counts a yes-or-no reading against its label.
type agreement struct {
	Labeled int `json:"labeled"`
	Read    int `json:"read"`
	Both    int `json:"both"`
}

func (a *agreement) add(read, labeled bool) {
	a.Labeled += btoi(labeled)
	a.Read += btoi(read)
	a.Both += btoi(read && labeled)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// percent is n of total as a percentage with one decimal, "-" when total
// is 0.
func percent(n, total int) string {
	if total == 0 {
		return "-"
	}
	return strconv.FormatFloat(100*float64(n)/float64(total), 'f', 1, 64) + "%"
}

// labeledMiss is a reply the classifier read otherwise than its label.
type labeledMiss struct {
	Line       int     `json:"line"`
	Text       string  `json:"text"`
	Labeled    string  `json:"labeled"`
	Read       string  `json:"read"`
	OptOut     *bool   `json:"labeled_opt_out,omitempty"`
	ReadOptOut bool    `json:"read_opt_out"`
	Booking    *bool   `json:"labeled_booking,omitempty"`
	ReadBook   bool    `json:"read_booking"`
	Confidence float64 `json:"confidence"`
}

// tally counts the replies of one label, and those read right.
type tally struct {
	Replies int `json:"replies"`
	Right   int `json:"right"`
}

// labeledReport is how a classifier read labeled replies: --labeled's
// summary, and its --json output.
type labeledReport struct {
	Replies int `json:"replies"`
	Right   int `json:"right"`
	// BySentiment counts, per label, the replies and those read right.
	BySentiment map[string]*tally `json:"by_sentiment"`
	OptOut      *agreement        `json:"opt_out,omitempty"`
	Booking     *agreement        `json:"booking,omitempty"`
	Misses      []labeledMiss     `json:"misses"`
	Model       string            `json:"model"`
	Version     string            `json:"prompt_version"`
}

// classifyLabeled classifies the labeled replies read from in and writes
// how the classifier did: each reply it read otherwise than its label,
// then its accuracy per sentiment and, where the labels have them, its
// opt-out and booking precision and recall; with asJSON, one JSON object.
func classifyLabeled(ctx context.Context, ai sdk.AI, in io.Reader, out io.Writer, asJSON bool, parallel int) error {
	labeled, err := readLabeled(in)
	if err != nil {
		return err
	}
	report := labeledReport{Misses: []labeledMiss{}, BySentiment: map[string]*tally{}}
	for _, s := range []sdk.Sentiment{sdk.Positive, sdk.Negative, sdk.Neutral} {
		report.BySentiment[s.String()] = &tally{}
	}
	i := 0
	next := func() (string, bool) {
		if i == len(labeled) {
			return "", false
		}
		i++
		return labeled[i-1].Text, true
	}
	n := 0
	err = classifyEach(ctx, ai, next, parallel, func(l classifiedLine, _ bool) error {
		r := labeled[n]
		n++
		report.Replies++
		report.Model, report.Version = l.Model, l.PromptVersion
		by := report.BySentiment[r.Sentiment]
		by.Replies++
		right := l.Sentiment == r.Sentiment
		if right {
			report.Right++
			by.Right++
		}
		if r.OptOut != nil {
			report.OptOut = orNew(report.OptOut)
			report.OptOut.add(l.OptOut, *r.OptOut)
		}
		if r.Booking != nil {
			report.Booking = orNew(report.Booking)
			report.Booking.add(l.Booking, *r.Booking)
		}
		if !right || r.OptOut != nil && *r.OptOut != l.OptOut || r.Booking != nil && *r.Booking != l.Booking {
			report.Misses = append(report.Misses, labeledMiss{
				Line: r.line, Text: r.Text, Labeled: r.Sentiment, Read: l.Sentiment, OptOut: r.OptOut, ReadOptOut: l.OptOut,
				Booking: r.Booking, ReadBook: l.Booking, Confidence: l.Confidence,
			})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		return enc.Encode(report)
	}
	return writeLabeledReport(out, report)
}

// orNew is a, or a new agreement when a is nil.
func orNew(a *agreement) *agreement {
	if a == nil {
		return &agreement{}
	}
	return a
}

// writeLabeledReport writes r for a person: the misses, a line each, then
// the figures.
func writeLabeledReport(out io.Writer, r labeledReport) error {
	w := bufio.NewWriter(out)
	for _, m := range r.Misses {
		fmt.Fprintf(w, "line %d: labeled %s, read %s (confidence %.2f)", m.Line, describe(m.Labeled, m.OptOut, m.Booking), describe(m.Read, &m.ReadOptOut, &m.ReadBook), m.Confidence)
		fmt.Fprintf(w, ": %s\n", strconv.Quote(m.Text))
	}
	if len(r.Misses) > 0 {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%d replies, classified by %s (%s)\n", r.Replies, r.Model, r.Version)
	fmt.Fprintf(w, "sentiment  %s right", percent(r.Right, r.Replies))
	for _, s := range []sdk.Sentiment{sdk.Positive, sdk.Negative, sdk.Neutral} {
		by := r.BySentiment[s.String()]
		fmt.Fprintf(w, "; %s %s of %d", s, percent(by.Right, by.Replies), by.Replies)
	}
	fmt.Fprintln(w)
	for _, f := range []struct {
		name string
		a    *agreement
	}{{"opt-out", r.OptOut}, {"booking", r.Booking}} {
		if f.a != nil {
			fmt.Fprintf(w, "%-10s precision %s, recall %s (%d labeled, %d read, %d both)\n",
				f.name, percent(f.a.Both, f.a.Read), percent(f.a.Both, f.a.Labeled), f.a.Labeled, f.a.Read, f.a.Both)
		}
	}
	return w.Flush()
}

// describe is a sentiment with the opt-out and booking reading or label,
// where known: "negative, opt-out", "positive, booking".
func describe(sentiment string, optOut, booking *bool) string {
	out := sentiment
	if optOut != nil && *optOut {
		out += ", opt-out"
	}
	if booking != nil && *booking {
		out += ", booking"
	}
	return out
}
