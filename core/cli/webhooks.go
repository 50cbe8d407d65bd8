package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/api"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store/bunt"
)

// apiKeyEnv names the variable that gives the API key a command uses to go
// through a running server's API.
const apiKeyEnv = "OUTREACH_API_KEY"

// Bounds of webhooks deliveries --limit, the API's.
const (
	defaultDeliveryLimit = 50
	maxDeliveryLimit     = 1000
)

func newWebhooksCmd(g *global) *cobra.Command {
	c := &webhooksCmd{g: g}
	cmd := &cobra.Command{
		Use:   "webhooks",
		Short: "List webhook endpoints, show their deliveries, replay them",
		Long: "List webhook endpoints, show their delivery logs, and replay deliveries.\n\n" +
			"Each command opens the store itself; while another process holds the data dir, it goes through\n" +
			"the API of that `outreach serve`, with --key or $" + apiKeyEnv + " (the key's workspace applies).",
	}
	cmd.PersistentFlags().StringVar(&c.workspace, "workspace", "default", "workspace the webhooks belong to")
	cmd.PersistentFlags().StringVar(&c.key, "key", "", "API key for going through a running server's API (default $"+apiKeyEnv+")")

	var listJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List webhook endpoints: URL, events, signed, enabled or disabled",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.run("outreach webhooks list", func(ops webhookOps) error {
				hooks, err := ops.list(cmd.Context())
				if err != nil {
					return err
				}
				if listJSON {
					return writeJSON(g.opts.Stdout, api.WebhookList{Webhooks: hooks})
				}
				return printWebhooks(g.opts.Stdout, hooks)
			})
		},
	}
	list.Flags().BoolVar(&listJSON, "json", false, "print the API's JSON")

	var (
		q          service.DeliveryQuery
		since      string
		delivJSON  bool
		verbose    bool
		deliveries = &cobra.Command{
			Use:   "deliveries WEBHOOK",
			Short: "Show a webhook's deliveries, newest first (WEBHOOK: its id or configuration name)",
			Args:  cobra.ExactArgs(1),
		}
	)
	deliveries.RunE = func(cmd *cobra.Command, args []string) error {
		if q.Status != "" && !slices.Contains(service.DeliveryStates, q.Status) {
			return fmt.Errorf("--status %q: give one of %s", q.Status, strings.Join(service.DeliveryStates, ", "))
		}
		if q.Limit < 1 || q.Limit > maxDeliveryLimit {
			return fmt.Errorf("--limit %d: give 1 to %d", q.Limit, maxDeliveryLimit)
		}
		var err error
		if q.Since, err = parseSince("--since", since, g.opts.Clock.Now()); err != nil {
			return err
		}
		return c.run("outreach webhooks deliveries", func(ops webhookOps) error {
			ds, err := ops.deliveries(cmd.Context(), args[0], q)
			if err != nil {
				return err
			}
			if delivJSON {
				return writeJSON(g.opts.Stdout, api.DeliveryList{Deliveries: ds})
			}
			return printDeliveries(g.opts.Stdout, ds, verbose)
		})
	}
	deliveries.Flags().StringVar(&q.Status, "status", "", "only deliveries in this state: "+strings.Join(service.DeliveryStates, ", "))
	deliveries.Flags().StringVar(&since, "since", "", "only deliveries made since `T`: an RFC 3339 time, or a duration back from now (24h, 7d)")
	deliveries.Flags().IntVar(&q.Limit, "limit", defaultDeliveryLimit, "at most this many deliveries (1 to 1000)")
	deliveries.Flags().BoolVar(&delivJSON, "json", false, "print the API's JSON")
	deliveries.Flags().BoolVarP(&verbose, "verbose", "v", false, "show each delivery's id and attempts")

	var (
		r           service.Replay
		failedSince string
		replay      = &cobra.Command{
			Use:   "replay WEBHOOK (--delivery ID | --event ID | --failed-since T)",
			Short: "Make deliveries due again: one, one event's, or every failure since a time",
			Args:  cobra.ExactArgs(1),
		}
	)
	replay.RunE = func(cmd *cobra.Command, args []string) error {
		var err error
		if r.FailedSince, err = parseSince("--failed-since", failedSince, g.opts.Clock.Now()); err != nil {
			return err
		}
		given := 0
		for _, set := range []bool{r.DeliveryID != "", r.EventID != "", failedSince != ""} {
			if set {
				given++
			}
		}
		if given != 1 {
			return errors.New("give one of --delivery ID, --event ID and --failed-since T")
		}
		return c.run("outreach webhooks replay", func(ops webhookOps) error {
			res, err := ops.replay(cmd.Context(), args[0], r)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(g.opts.Stdout, "Made %d %s of webhook %s due again.\n", res.Replayed, plural(res.Replayed, "delivery", "deliveries"), args[0])
			return err
		})
	}
	replay.Flags().StringVar(&r.DeliveryID, "delivery", "", "replay the delivery with this `ID` (deliveries -v shows them)")
	replay.Flags().StringVar(&r.EventID, "event", "", "replay the delivery of the event with this `ID`")
	replay.Flags().StringVar(&failedSince, "failed-since", "", "replay every delivery that failed for good since `T`: an RFC 3339 time, or a duration back from now (24h, 7d)")

	cmd.AddCommand(list, deliveries, replay)
	return cmd
}

// webhooksCmd holds the flags every webhooks command shares.
type webhooksCmd struct {
	g         *global
	workspace string
	key       string
}

// run runs fn on the store itself or, when another process holds the data
// dir and announced its API, through that API.
func (c *webhooksCmd) run(what string, fn func(webhookOps) error) error {
	b, err := c.g.open(what)
	if err == nil {
		defer b.Close()
		return fn(localWebhooks{svc: b.svc, ws: c.workspace})
	}
	client, err := c.g.heldDataDir(err, c.key)
	if err != nil {
		return err
	}
	return fn(remoteWebhooks{c: client})
}

// heldDataDir is a client of the API of the `outreach serve` that holds
// the data dir, when openErr says one does and announced its API: a
// command that cannot open the store goes through it, with key (--key,
// else $OUTREACH_API_KEY). Otherwise it returns openErr, or what is
// missing.
func (g *global) heldDataDir(openErr error, key string) (*apiClient, error) {
	var locked *bunt.LockedError
	if !errors.As(openErr, &locked) {
		return nil, openErr
	}
	if locked.API == "" {
		return nil, fmt.Errorf("data dir %s is held by %s, which serves no API to go through: wait for it to finish, or stop it, then run this again", locked.Dir, locked.Holder)
	}
	from := "--key"
	if key == "" {
		key, from = os.Getenv(apiKeyEnv), "$"+apiKeyEnv
	}
	if key == "" {
		return nil, fmt.Errorf("data dir %s is held by %s, so this goes through its API at %s, which needs an API key: pass --key or set $%s. "+
			"`outreach keys create` makes one; it opens the data dir too, so run it while the server is stopped",
			locked.Dir, locked.Holder, locked.API, apiKeyEnv)
	}
	fmt.Fprintf(g.opts.Stderr, "The data dir is held by %s: going through its API at %s (the key from %s; its workspace applies).\n", locked.Holder, locked.API, from)
	return newAPIClient(locked.API, key), nil
}

// webhookOps is what the webhooks commands do, on the store or through a
// server's API: the same results either way, in the API's wire types.
type webhookOps interface {
	list(ctx context.Context) ([]api.WebhookEndpoint, error)
	deliveries(ctx context.Context, ref string, q service.DeliveryQuery) ([]api.WebhookDelivery, error)
	replay(ctx context.Context, ref string, r service.Replay) (api.ReplayResult, error)
}

// localWebhooks runs the operations on the store this process opened.
type localWebhooks struct {
	svc *service.Service
	ws  string
}

func (l localWebhooks) list(ctx context.Context) ([]api.WebhookEndpoint, error) {
	hooks, err := l.svc.ListWebhooks(ctx, l.ws)
	out := make([]api.WebhookEndpoint, 0, len(hooks))
	for _, w := range hooks {
		out = append(out, api.WebhookEndpointFrom(w))
	}
	return out, err
}

func (l localWebhooks) deliveries(ctx context.Context, ref string, q service.DeliveryQuery) ([]api.WebhookDelivery, error) {
	ds, err := l.svc.WebhookDeliveries(ctx, l.ws, ref, q)
	return api.WebhookDeliveriesFrom(ds), err
}

func (l localWebhooks) replay(ctx context.Context, ref string, r service.Replay) (api.ReplayResult, error) {
	ds, err := l.svc.ReplayDeliveries(ctx, l.ws, ref, r)
	return api.ReplayResult{Replayed: len(ds), Deliveries: api.WebhookDeliveriesFrom(ds)}, err
}

// parseSince reads a --since time: RFC 3339, or a duration back from now
// ("24h", "90m", "7d"); "" is the zero time.
func parseSince(flag, s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	d, err := time.ParseDuration(s)
	if days, ok := strings.CutSuffix(s, "d"); ok && err != nil {
		var n int
		if n, err = strconv.Atoi(days); err == nil {
			d = time.Duration(n) * 24 * time.Hour
		}
	}
	if err != nil || d <= 0 {
		return time.Time{}, fmt.Errorf("%s %q: give an RFC 3339 time (2026-11-02T09:00:00Z) or a duration back from now (24h, 7d)", flag, s)
	}
	return now.Add(-d), nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// remoteWebhooks runs the operations through a server's API.
type remoteWebhooks struct{ c *apiClient }

func (r remoteWebhooks) list(ctx context.Context) ([]api.WebhookEndpoint, error) {
	var out api.WebhookList
	err := r.c.do(ctx, http.MethodGet, "/api/v1/webhooks", nil, &out)
	return out.Webhooks, err
}

func (r remoteWebhooks) deliveries(ctx context.Context, ref string, q service.DeliveryQuery) ([]api.WebhookDelivery, error) {
	v := url.Values{}
	if q.Status != "" {
		v.Set("status", q.Status)
	}
	if !q.Since.IsZero() {
		v.Set("since", q.Since.UTC().Format(time.RFC3339Nano))
	}
	v.Set("limit", strconv.Itoa(q.Limit))
	var out api.DeliveryList
	err := r.c.do(ctx, http.MethodGet, "/api/v1/webhooks/"+url.PathEscape(ref)+"/deliveries?"+v.Encode(), nil, &out)
	return out.Deliveries, err
}

func (r remoteWebhooks) replay(ctx context.Context, ref string, rp service.Replay) (api.ReplayResult, error) {
	in := api.ReplayRequest{DeliveryID: rp.DeliveryID, EventID: rp.EventID}
	if !rp.FailedSince.IsZero() {
		in.Since = rp.FailedSince.UTC().Format(time.RFC3339Nano)
	}
	var out api.ReplayResult
	err := r.c.do(ctx, http.MethodPost, "/api/v1/webhooks/"+url.PathEscape(ref)+"/replay", in, &out)
	return out, err
}

// printWebhooks prints endpoints as a table.
func printWebhooks(w io.Writer, hooks []api.WebhookEndpoint) error {
	rows := [][]string{{"ID", "NAME", "URL", "EVENTS", "SIGNED", "STATE"}}
	for _, h := range hooks {
		events := "all"
		if len(h.Events) > 0 {
			events = strings.Join(h.Events, ",")
		}
		signed := "no"
		if h.Signed {
			signed = "yes"
		}
		state := "enabled"
		if h.Disabled {
			state = "disabled: " + h.DisabledReason
		}
		rows = append(rows, []string{h.ID, orDash(h.Name), h.URL, events, signed, state})
	}
	return writeTable(w, rows, nil)
}

// printDeliveries prints deliveries as a table; verbose adds, under each,
// its id and a line per attempt.
func printDeliveries(w io.Writer, ds []api.WebhookDelivery, verbose bool) error {
	rows := [][]string{{"CREATED", "EVENT TYPE", "EVENT ID", "STATUS", "ATTEMPTS", "LAST CODE", "NEXT TRY", "LAST ERROR"}}
	var details map[int][]string
	if verbose {
		details = map[int][]string{}
	}
	for _, d := range ds {
		code := "-"
		if d.LastStatusCode != 0 {
			code = strconv.Itoa(d.LastStatusCode)
		}
		rows = append(rows, []string{d.CreatedAt, d.EventType, d.EventID, d.Status, strconv.Itoa(d.Attempts), code, orDash(d.NextAttemptAt), orDash(d.LastError)})
		if verbose {
			lines := []string{"    delivery " + d.ID}
			for i, a := range d.Log {
				line := fmt.Sprintf("    attempt %d  %s  %s  %dms", i+1, a.At, statusText(a.StatusCode), a.DurationMS)
				if a.Error != "" {
					line += "  " + a.Error
				}
				if a.NextAttemptAt != "" {
					line += "  (next try " + a.NextAttemptAt + ")"
				}
				lines = append(lines, line)
			}
			details[len(rows)-1] = lines
		}
	}
	return writeTable(w, rows, details)
}

func statusText(code int) string {
	if code == 0 {
		return "no answer"
	}
	return "HTTP " + strconv.Itoa(code)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// writeTable writes rows in columns two spaces apart, and after row i the
// lines of details[i] as they are: unlike tabwriter, lines between rows do
// not break the columns.
func writeTable(w io.Writer, rows [][]string, details map[int][]string) error {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], len(cell))
		}
	}
	var b strings.Builder
	for r, row := range rows {
		for i, cell := range row {
			if i == len(row)-1 {
				b.WriteString(cell)
				break
			}
			b.WriteString(cell)
			b.WriteString(strings.Repeat(" ", widths[i]-len(cell)+2))
		}
		b.WriteByte('\n')
		for _, line := range details[r] {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
