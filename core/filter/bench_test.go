package filter

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// benchSpec is the quick start's filter plus a location rule and a website
// rule, so every kind of clause is measured.
var benchSpec = Spec{
	IncludeKeywords: [][]string{{"founder"}, {"ceo"}, {"building"}},
	ExcludeKeywords: [][]string{{"recruiter"}, {"hiring"}},
	LocationExclude: []string{"antarctica"},
	Followers:       Range{Min: intp(50), Max: intp(100000)},
	HasWebsite:      boolp(true),
}

// handwritten is benchSpec as a Go programmer would write it by hand: the
// baseline the compiled program is compared against.
func handwritten(l Lead) bool {
	bio := strings.ToLower(l.Bio)
	if !strings.Contains(bio, "founder") && !strings.Contains(bio, "ceo") && !strings.Contains(bio, "building") {
		return false
	}
	if strings.Contains(bio, "recruiter") || strings.Contains(bio, "hiring") {
		return false
	}
	if strings.Contains(strings.ToLower(l.Location), "antarctica") {
		return false
	}
	return l.Followers >= 50 && l.Followers <= 100000 && l.Website != ""
}

func benchLeads() []Lead {
	bios := []string{
		"Co-Founder & CEO @Acme. Building developer tools. Ex-Google. Dad, runner, coffee snob. Opinions my own.",
		"Senior Tech Recruiter at BigCo — we're HIRING engineers in Berlin and remote! DM me for roles.",
		"Writing about design systems, typography and the web. Speaker. Previously at Figma and Stripe.",
		"Building in public: shipping a SaaS a month. Indie hacker, ex-founder, now tinkering with AI agents.",
	}
	leads := make([]Lead, 0, 64)
	for i := 0; i < 64; i++ {
		leads = append(leads, Lead{
			Username:  fmt.Sprintf("user%d", i),
			Bio:       bios[i%len(bios)],
			Location:  []string{"San Francisco, CA", "Berlin, Germany", "Remote"}[i%3],
			Website:   []string{"https://example.com", ""}[i%2],
			Followers: i * 997,
			Following: i * 31,
		})
	}
	return leads
}

// BenchmarkFilter compares the compiled expr program with the same filter
// written by hand, in the same run; ns/op is per lead.
func BenchmarkFilter(b *testing.B) {
	leads := benchLeads()
	p, err := Compile(benchSpec)
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range leads {
		got, err := p.Match(l)
		if err != nil || got != handwritten(l) {
			b.Fatalf("compiled and handwritten disagree on %+v: %v, %v", l, got, err)
		}
	}
	b.Run("compiled", func(b *testing.B) {
		b.ReportAllocs()
		kept := 0
		for i := 0; b.Loop(); i++ {
			if ok, _ := p.Match(leads[i%len(leads)]); ok {
				kept++
			}
		}
		_ = kept
	})
	b.Run("handwritten", func(b *testing.B) {
		b.ReportAllocs()
		kept := 0
		for i := 0; b.Loop(); i++ {
			if handwritten(leads[i%len(leads)]) {
				kept++
			}
		}
		_ = kept
	})
}

// BenchmarkFilterRatio times both over the same leads in alternating
// rounds, so that noise on the machine hits both alike, and reports on one
// line the cost per lead of each and their ratio (the goal: at most 3).
func BenchmarkFilterRatio(b *testing.B) {
	leads := benchLeads()
	p, err := Compile(benchSpec)
	if err != nil {
		b.Fatal(err)
	}
	var compiled, hand time.Duration
	n, kept := 0, 0
	for b.Loop() {
		t0 := time.Now()
		for _, l := range leads {
			if ok, _ := p.Match(l); ok {
				kept++
			}
		}
		t1 := time.Now()
		for _, l := range leads {
			if handwritten(l) {
				kept++
			}
		}
		compiled += t1.Sub(t0)
		hand += time.Since(t1)
		n += len(leads)
	}
	c, h := float64(compiled)/float64(n), float64(hand)/float64(n)
	b.ReportMetric(c, "compiled-ns/lead")
	b.ReportMetric(h, "handwritten-ns/lead")
	b.ReportMetric(c/h, "x-handwritten")
	b.ReportMetric(0, "ns/op") // a round is not the unit; the metrics above are
	_ = kept
}

// BenchmarkCompile measures the one-off cost of compiling a filter.
func BenchmarkCompile(b *testing.B) {
	for b.Loop() {
		if _, err := Compile(benchSpec); err != nil {
			b.Fatal(err)
		}
	}
}
