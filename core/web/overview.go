package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/outreachhq/outreach/core/service"
)

// overviewService is what the overview needs from the service layer.
type overviewService interface {
	// Analytics returns the workspace's campaign figures.
	Analytics(ctx context.Context, ws string, q service.AnalyticsQuery) (service.Analytics, error)
	// Activity returns each account's sends and replies per day.
	Activity(ctx context.Context, ws string, days int) (service.Activity, error)
}

// overviewDays is how many days the overview's charts cover.
const overviewDays = 14

func (d *Dashboard) registerOverview() {
	d.handle("GET /{$}", d.overview)
}

// overviewData is what the overview shows.
type overviewData struct {
	Totals         service.AnalyticsTotals
	Sent, Replies  chart
	HasActivity    bool
	Campaigns      []abTest
	Sentiment      []sentimentShare
	SentimentTotal int
}

// chart is what app.js draws with uPlot: a series per account over days
// (x in Unix seconds).
type chart struct {
	X      []int64       `json:"x"`
	Series []chartSeries `json:"series"`
}

type chartSeries struct {
	Label  string `json:"label"`
	Values []int  `json:"values"`
}

// abTest is one campaign's variants, compared.
type abTest struct {
	Name     string
	Variants []variantRate
	Verdict  string
}

// variantRate is a variant's reply rate with its 95% Wilson interval, in
// percent, and where they fall on the campaign's scale (0 to 100 of the
// highest interval's end), for the interval's drawing.
type variantRate struct {
	Label, Message     string
	Sent, Replied      int
	Rate, Lo, Hi       float64
	RateAt, LoAt, HiAt float64
}

type sentimentShare struct {
	Label, Class string
	N            int
	Percent      float64
	// At and Width place its part of the stacked bar, 0 to 100.
	At, Width float64
}

func (d *Dashboard) overview(w http.ResponseWriter, r *request) {
	an, err := d.svc.Analytics(r.ctx(), r.ws, service.AnalyticsQuery{})
	if err != nil {
		d.fail(w, r, err)
		return
	}
	act, err := d.svc.Activity(r.ctx(), r.ws, overviewDays)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	data := overviewData{Totals: an.Totals, Campaigns: abTests(an.Campaigns)}
	data.Sent, data.Replies, data.HasActivity = activityCharts(act)
	data.Sentiment, data.SentimentTotal = sentimentShares(an.Totals.Sentiment)
	d.render(w, r, http.StatusOK, "overview", view{Title: "Overview", Nav: "overview", Data: data})
}

func activityCharts(act service.Activity) (sent, replies chart, any bool) {
	x := make([]int64, len(act.Days))
	for i, day := range act.Days {
		x[i] = day.Unix()
	}
	sent = chart{X: x}
	replies = chart{X: x}
	for _, a := range act.Accounts {
		sent.Series = append(sent.Series, chartSeries{Label: "@" + a.Handle, Values: a.Sent})
		replies.Series = append(replies.Series, chartSeries{Label: "@" + a.Handle, Values: a.Replies})
		any = any || slices.ContainsFunc(a.Sent, func(n int) bool { return n > 0 })
	}
	return sent, replies, any
}

// abTests sums each campaign's variants over its accounts and compares
// its two best variants.
func abTests(rows []service.CampaignAnalytics) []abTest {
	var (
		order []string
		sums  = map[string][]service.Proportion{}
		msgs  = map[string][]string{}
	)
	for _, row := range rows {
		if _, ok := sums[row.CampaignName]; !ok {
			order = append(order, row.CampaignName)
		}
		for i, v := range row.Variants {
			for len(sums[row.CampaignName]) <= i {
				sums[row.CampaignName] = append(sums[row.CampaignName], service.Proportion{})
				msgs[row.CampaignName] = append(msgs[row.CampaignName], v.Message)
			}
			sums[row.CampaignName][i].Successes += v.Replied
			sums[row.CampaignName][i].N += v.Sent
		}
	}
	var tests []abTest
	for _, name := range order {
		props := sums[name]
		if len(props) == 0 {
			continue
		}
		t := abTest{Name: name}
		top := 0.0
		for _, p := range props {
			_, hi := p.Wilson()
			top = max(top, hi)
		}
		top = max(top, 0.01)
		for i, p := range props {
			lo, hi := p.Wilson()
			t.Variants = append(t.Variants, variantRate{
				Label: variantLabel(i), Message: msgs[name][i],
				Sent: p.N, Replied: p.Successes,
				Rate: 100 * p.Rate(), Lo: 100 * lo, Hi: 100 * hi,
				RateAt: 100 * p.Rate() / top, LoAt: 100 * lo / top, HiAt: 100 * hi / top,
			})
		}
		if len(props) < 2 {
			t.Verdict = "One variant: nothing to compare."
		} else {
			// The two variants with the highest rates (the first two on a
			// tie), in their own order.
			idx := []int{}
			for i := range props {
				idx = append(idx, i)
			}
			slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(props[b].Rate(), props[a].Rate()) })
			a, b := min(idx[0], idx[1]), max(idx[0], idx[1])
			c := service.Compare(props[a], props[b])
			t.Verdict = c.Verdict(variantLabel(a), variantLabel(b))
			if len(props) > 2 {
				t.Verdict = "Between the two best, " + variantLabel(a) + " and " + variantLabel(b) + ": " + t.Verdict
			}
		}
		tests = append(tests, t)
	}
	return tests
}

// variantLabel names the i-th variant (from 0) as an A/B test does: A, B,
// C...
func variantLabel(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return "V" + strconv.Itoa(i+1)
}

func sentimentShares(s service.Sentiments) ([]sentimentShare, int) {
	total := s.Total()
	shares := []sentimentShare{
		{Label: "Positive", Class: "positive", N: s.Positive},
		{Label: "Neutral", Class: "neutral", N: s.Neutral},
		{Label: "Negative", Class: "negative", N: s.Negative},
	}
	at := 0.0
	for i := range shares {
		if total > 0 {
			shares[i].Percent = service.Rate(shares[i].N, total)
			shares[i].Width = 100 * float64(shares[i].N) / float64(total)
		}
		shares[i].At = at
		at += shares[i].Width
	}
	return shares, total
}
