package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/sdk"
)

func newClassifyCmd(g *global) *cobra.Command {
	var (
		asJSON     bool
		labeled    bool
		configPath string
		parallel   int
		vf         varFlags
	)
	cmd := &cobra.Command{
		Use:   "classify",
		Short: "Classify replies read from stdin, one per line, as positive, negative or neutral",
		Long: "classify reads replies from stdin, one per line, and prints the sentiment of each,\n" +
			"positive, negative or neutral, one per line in the order read; a blank line prints neutral,\n" +
			"so that output lines match input lines. With --json it prints one JSON object per line\n" +
			"instead: text, sentiment, opt_out, booking, confidence, model and prompt_version.\n" +
			"\n" +
			"Without --config the built-in ai plugin classifies offline, with its lexicon and the\n" +
			"opt-out detector the engine acts on. With --config, the configuration's plugin \"ai\" block\n" +
			"configures it, as for apply: with a base_url, a model behind an OpenAI-compatible\n" +
			"endpoint classifies, --parallel lines at a time. A line that cannot be classified ends\n" +
			"the command with an error naming it, once the lines before it are printed.\n" +
			"\n" +
			"With --labeled it measures the classifier on replies labeled by hand instead: each line\n" +
			"is a JSON object {\"text\": ..., \"sentiment\": ..., \"opt_out\": ..., \"booking\": ...} (the\n" +
			"last two may be left out), as in plugins/ai/testdata/replies. It prints each reply read\n" +
			"otherwise than its label, then the share read right per sentiment and the opt-out and\n" +
			"booking precision and recall; with --json, all of it as one JSON object.\n" +
			"\n" +
			"Examples:\n" +
			"  outreach classify --json < replies.txt\n" +
			"  outreach classify --config campaign.hcl < replies.txt | sort | uniq -c\n" +
			"  outreach classify --labeled < plugins/ai/testdata/replies/heldout.jsonl",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if parallel < 1 {
				return fmt.Errorf("--parallel is %d; it must be at least 1", parallel)
			}
			ai, closeHost, err := g.replyClassifier(cmd.Context(), configPath, vf)
			if err != nil {
				return err
			}
			defer closeHost()
			if labeled {
				return classifyLabeled(cmd.Context(), ai, g.opts.Stdin, g.opts.Stdout, asJSON, parallel)
			}
			return classifyLines(cmd.Context(), ai, g.opts.Stdin, g.opts.Stdout, asJSON, parallel)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per line: text, sentiment, opt_out, booking, confidence, model, prompt_version")
	cmd.Flags().BoolVar(&labeled, "labeled", false, "read labeled replies (JSON lines: text, sentiment, opt_out, booking) and print how the classifier reads them")
	cmd.Flags().StringVar(&configPath, "config", "", "classify with the plugin \"ai\" block of the configuration in `FILE|DIR` (default: offline)")
	cmd.Flags().IntVar(&parallel, "parallel", 8, "how many lines to classify at once")
	vf.register(cmd)
	return cmd
}

// replyClassifier is the ai plugin, configured by the plugin "ai" block
// of the configuration at configPath, if any (checked first, with
// diagnostics in the block as validate gives them), else offline. Close
// stops it.
func (g *global) replyClassifier(ctx context.Context, configPath string, vf varFlags) (sdk.AI, func(), error) {
	host := g.checkHost()
	if configPath != "" {
		cfg, files, err := g.parseConfig([]string{configPath}, vf)
		if err != nil {
			host.Close()
			return nil, nil, err
		}
		var blocks []*config.Plugin
		for _, p := range cfg.Plugins {
			if p.Name == "ai" {
				blocks = append(blocks, p)
			}
		}
		if len(blocks) > 0 {
			_, diags := host.CheckConfig(ctx, blocks)
			if err := g.writeDiagnostics(diags, files); err != nil {
				host.Close()
				return nil, nil, err
			}
			if diags.HasErrors() {
				host.Close()
				return nil, nil, errReported
			}
		}
		if err := host.RegisterConfig(blocks); err != nil {
			host.Close()
			return nil, nil, err
		}
	}
	ai, err := host.AI("ai", nil)
	if err != nil {
		host.Close()
		return nil, nil, err
	}
	return ai, host.Close, nil
}

// classifiedLine is one line's classification as --json prints it.
type classifiedLine struct {
	Text          string  `json:"text"`
	Sentiment     string  `json:"sentiment"`
	OptOut        bool    `json:"opt_out"`
	Booking       bool    `json:"booking"`
	Confidence    float64 `json:"confidence"`
	Model         string  `json:"model"`
	PromptVersion string  `json:"prompt_version"`
}

// blankVersion is the prompt version of a blank line's neutral, which no
// classifier read.
const blankVersion = "blank-line"

// lineResult is a line's classification or why it failed.
type lineResult struct {
	line classifiedLine
	err  error
}

// classifyLines classifies each line of in with ai, parallel lines at a
// time, and writes the results to out in the order of the lines. The
// first line that fails ends it, after the lines before it are written.
func classifyLines(ctx context.Context, ai sdk.AI, in io.Reader, out io.Writer, asJSON bool, parallel int) error {
	lines := bufio.NewScanner(in)
	lines.Buffer(make([]byte, 0, 64<<10), 1<<20)
	next := func() (string, bool) {
		if !lines.Scan() {
			return "", false
		}
		return strings.TrimSuffix(lines.Text(), "\r"), true
	}
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	err := classifyEach(ctx, ai, next, parallel, func(l classifiedLine, more bool) error {
		var err error
		if asJSON {
			err = enc.Encode(l)
		} else {
			_, err = fmt.Fprintln(w, l.Sentiment)
		}
		if err == nil && !more {
			// Nothing else is ready: show what is, for a reader
			// downstream of a pipe.
			err = w.Flush()
		}
		return err
	})
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	if err := lines.Err(); err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	return nil
}

// classifyEach classifies the texts next gives until it has none, parallel
// at a time, and passes each classification to emit in the order given,
// with whether another is ready. The first text that fails ends it, after
// the ones before it are emitted; next is then no longer called once it
// returns, and may still be blocked (reading a terminal, say) when
// classifyEach returns. When classifyEach returns nil, next has returned
// false; when ctx ends first, it returns ctx's error.
func classifyEach(ctx context.Context, ai sdk.AI, next func() (string, bool), parallel int, emit func(l classifiedLine, more bool) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// pending holds each text's result channel in the order given; its
	// capacity bounds the texts in flight.
	pending := make(chan chan lineResult, parallel)
	// The workers are waited for before returning; stop, under mu, keeps
	// the reader from starting one once that wait may have begun.
	var (
		workers sync.WaitGroup
		mu      sync.Mutex
		stopped bool
	)
	defer func() {
		mu.Lock()
		stopped = true
		mu.Unlock()
		cancel()
		workers.Wait()
	}()
	go func() {
		defer close(pending)
		for {
			text, ok := next()
			if !ok {
				return
			}
			res := make(chan lineResult, 1)
			select {
			case pending <- res:
			case <-ctx.Done():
				return
			}
			mu.Lock()
			if stopped {
				mu.Unlock()
				return
			}
			workers.Go(func() { res <- classifyLine(ctx, ai, text) })
			mu.Unlock()
		}
	}()
	n := 0
	for res := range pending {
		r := <-res
		n++
		if r.err != nil {
			return fmt.Errorf("line %d: %w", n, r.err)
		}
		if err := emit(r.line, len(pending) > 0); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// classifyLine classifies one line; a blank one is neutral without
// asking.
func classifyLine(ctx context.Context, ai sdk.AI, text string) lineResult {
	if strings.TrimSpace(text) == "" {
		return lineResult{line: classifiedLine{Text: text, Sentiment: sdk.Neutral.String(), Confidence: 1, Model: sdk.ModelOffline, PromptVersion: blankVersion}}
	}
	c, err := ai.ClassifyReply(ctx, sdk.ClassifyRequest{Text: text})
	if err != nil {
		return lineResult{err: err}
	}
	return lineResult{line: classifiedLine{
		Text: text, Sentiment: c.Sentiment.String(), OptOut: c.OptOut, Booking: c.Booking,
		Confidence: c.Confidence, Model: c.Model, PromptVersion: c.PromptVersion,
	}}
}
