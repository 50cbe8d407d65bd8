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
			"Examples:\n" +
			"  outreach classify --json < replies.txt\n" +
			"  outreach classify --config campaign.hcl < replies.txt | sort | uniq -c",
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
			return classifyLines(cmd.Context(), ai, g.opts.Stdin, g.opts.Stdout, asJSON, parallel)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per line: text, sentiment, opt_out, booking, confidence, model, prompt_version")
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
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// pending holds each line's result channel in the order read; its
	// capacity bounds the lines in flight.
	pending := make(chan chan lineResult, parallel)
	readErr := make(chan error, 1)
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
	// The reader itself is not waited for when a line fails: it may be
	// blocked reading a terminal, and ends when the next line comes or the
	// input ends.
	go func() {
		defer close(pending)
		lines := bufio.NewScanner(in)
		lines.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for lines.Scan() {
			text := strings.TrimSuffix(lines.Text(), "\r")
			res := make(chan lineResult, 1)
			select {
			case pending <- res:
			case <-ctx.Done():
				readErr <- nil
				return
			}
			mu.Lock()
			if stopped {
				mu.Unlock()
				readErr <- nil
				return
			}
			workers.Go(func() { res <- classifyLine(ctx, ai, text) })
			mu.Unlock()
		}
		readErr <- lines.Err()
	}()
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	for res := range pending {
		r := <-res
		n++
		if r.err != nil {
			if err := w.Flush(); err != nil {
				return err
			}
			return fmt.Errorf("line %d: %w", n, r.err)
		}
		var err error
		if asJSON {
			err = enc.Encode(r.line)
		} else {
			_, err = fmt.Fprintln(w, r.line.Sentiment)
		}
		if err == nil && len(pending) == 0 {
			// Nothing else is ready: show what is, for a reader
			// downstream of a pipe.
			err = w.Flush()
		}
		if err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := <-readErr; err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	return nil
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
