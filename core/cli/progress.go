package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/engine"
	"github.com/outreachhq/outreach/core/service"
)

// progress shows the engine's progress: bars on a terminal, one line per
// event otherwise (CI logs, pipes), so both read well.
type progress struct {
	w  io.Writer
	mu sync.Mutex

	bars *mpb.Progress // nil when not a terminal

	sources   map[string]*sourceProgress
	campaigns map[string]*campaignProgress
}

// Counters read by bar decorators are atomic: mpb renders on the bar's own
// goroutine, which must never wait for p.mu (observe holds it while it
// updates bars).
type sourceProgress struct {
	name string
	kept int
	seen atomic.Int64
	bar  *mpb.Bar
}

type campaignProgress struct {
	name               string
	queued, sent       int
	replies, followups atomic.Int64
	bar                *mpb.Bar
}

func newProgress(w io.Writer, svc *service.Service, cfg *config.Config, ws string) *progress {
	p := &progress{w: w, sources: map[string]*sourceProgress{}, campaigns: map[string]*campaignProgress{}}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bars = mpb.New(mpb.WithOutput(w), mpb.WithWidth(32))
	}
	sources, campaigns, err := svc.Stats(context.Background(), ws)
	if err != nil {
		return p // progress is cosmetic; the summary reports errors
	}
	for _, s := range sources {
		sp := &sourceProgress{name: s.Name, kept: s.Kept}
		sp.seen.Store(int64(s.Scraped()))
		if p.bars != nil {
			total := int64(0)
			for _, c := range cfg.Sources {
				if c.Name == s.Name {
					total = int64(c.MaxLeads)
				}
			}
			sp.bar = p.bars.AddBar(total,
				mpb.PrependDecorators(decor.Name("scrape "+s.Name, decor.WCSyncSpaceR), decor.CountersNoUnit("%d / %d kept", decor.WCSyncSpace)),
				mpb.AppendDecorators(decor.Any(func(decor.Statistics) string { return fmt.Sprintf("%d scraped", sp.seen.Load()) })),
			)
			sp.bar.SetCurrent(int64(s.Kept))
		}
		p.sources[s.ID] = sp
	}
	for _, c := range campaigns {
		cp := &campaignProgress{name: c.Name}
		for _, a := range c.Accounts {
			cp.sent += a.TotalSent()
			cp.replies.Add(int64(a.TotalReplied()))
			cp.followups.Add(int64(a.Followups))
			cp.queued += a.TotalSent() + a.Waiting + a.Skipped + a.Failed
		}
		if p.bars != nil {
			cp.bar = p.bars.AddBar(int64(cp.queued),
				mpb.PrependDecorators(decor.Name("DMs "+c.Name, decor.WCSyncSpaceR), decor.CountersNoUnit("%d / %d sent", decor.WCSyncSpace)),
				mpb.AppendDecorators(decor.Any(func(decor.Statistics) string {
					return fmt.Sprintf("%d replies, %d follow-ups", cp.replies.Load(), cp.followups.Load())
				})),
			)
			cp.bar.SetCurrent(int64(cp.sent))
		}
		p.campaigns[c.ID] = cp
	}
	return p
}

// observe is the engine's Observe hook.
func (p *progress) observe(ev engine.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev.Kind {
	case engine.Scraped:
		s, ok := p.sources[ev.SourceID]
		if !ok {
			return
		}
		s.kept += ev.Kept
		s.seen.Add(int64(ev.Seen))
		if s.bar != nil {
			s.bar.SetCurrent(int64(s.kept))
		} else {
			fmt.Fprintf(p.w, "  scrape %s: %d scraped, %d kept\n", s.name, s.seen.Load(), s.kept)
		}
	case engine.Queued:
		if c, ok := p.campaigns[ev.CampaignID]; ok {
			c.queued += ev.Count
			if c.bar != nil {
				c.bar.SetTotal(int64(c.queued), false)
			}
		}
	case engine.Sent:
		c, ok := p.campaigns[ev.CampaignID]
		if !ok || ev.Manual {
			return
		}
		if ev.Step == 0 {
			c.sent++
		} else {
			c.followups.Add(1)
		}
		if c.bar != nil {
			c.bar.SetCurrent(int64(c.sent))
		} else if ev.Step == 0 {
			fmt.Fprintf(p.w, "  campaign %s: first DM %d/%d sent (variant %s)\n", c.name, c.sent, c.queued, service.VariantLabel(ev.Variant))
		} else {
			fmt.Fprintf(p.w, "  campaign %s: follow-up %d sent\n", c.name, c.followups.Load())
		}
	case engine.Replied:
		if c, ok := p.campaigns[ev.CampaignID]; ok {
			n := c.replies.Add(1)
			if c.bar == nil {
				fmt.Fprintf(p.w, "  campaign %s: reply %d received\n", c.name, n)
			}
		}
	case engine.Failed:
		if p.bars == nil {
			fmt.Fprintf(p.w, "  failed: %v\n", ev.Err)
		}
	}
}

// finish completes the bars so the terminal is left tidy.
func (p *progress) finish() {
	if p.bars == nil {
		return
	}
	p.mu.Lock()
	for _, s := range p.sources {
		s.bar.SetTotal(int64(s.kept), true)
	}
	for _, c := range p.campaigns {
		c.bar.SetTotal(int64(c.sent), true)
	}
	p.mu.Unlock()
	p.bars.Wait()
}
