package filter

import (
	"errors"
	"sync"
	"testing"
)

func intp(i int) *int    { return &i }
func boolp(b bool) *bool { return &b }

func TestMatch(t *testing.T) {
	founder := Lead{Bio: "Founder & CEO of Acme. Building tools.", Location: "Berlin, Germany", Website: "https://acme.dev", Followers: 1200, Following: 300}
	recruiter := Lead{Bio: "Tech RECRUITER, we're hiring!", Location: "London", Followers: 80, Following: 2000}
	empty := Lead{}

	tests := []struct {
		name string
		spec Spec
		lead Lead
		want bool
	}{
		{"zero spec keeps everyone", Spec{}, empty, true},

		// Include groups with the defaults: AND within, OR between.
		{"include default one group all keywords present", Spec{IncludeKeywords: [][]string{{"founder", "ceo"}}}, founder, true},
		{"include default one group one keyword missing", Spec{IncludeKeywords: [][]string{{"founder", "investor"}}}, founder, false},
		{"include default second group matches", Spec{IncludeKeywords: [][]string{{"investor"}, {"building"}}}, founder, true},
		{"include default no group matches", Spec{IncludeKeywords: [][]string{{"investor"}, {"angel"}}}, founder, false},
		{"include is case-insensitive both ways", Spec{IncludeKeywords: [][]string{{"FOUNDER"}}}, Lead{Bio: "fOuNdEr"}, true},
		{"include on empty bio", Spec{IncludeKeywords: [][]string{{"founder"}}}, empty, false},

		// Every combination of within and between for include.
		{"include AND/AND all match", Spec{IncludeKeywords: [][]string{{"founder", "ceo"}, {"acme"}}, IncludeWithin: And, IncludeBetween: And}, founder, true},
		{"include AND/AND one group fails", Spec{IncludeKeywords: [][]string{{"founder", "ceo"}, {"investor"}}, IncludeWithin: And, IncludeBetween: And}, founder, false},
		{"include OR/AND each group has one hit", Spec{IncludeKeywords: [][]string{{"founder", "investor"}, {"angel", "acme"}}, IncludeWithin: Or, IncludeBetween: And}, founder, true},
		{"include OR/AND a group has no hit", Spec{IncludeKeywords: [][]string{{"founder", "investor"}, {"angel", "vc"}}, IncludeWithin: Or, IncludeBetween: And}, founder, false},
		{"include OR/OR one keyword anywhere", Spec{IncludeKeywords: [][]string{{"angel", "vc"}, {"investor", "tools"}}, IncludeWithin: Or, IncludeBetween: Or}, founder, true},
		{"include OR/OR nothing", Spec{IncludeKeywords: [][]string{{"angel", "vc"}, {"investor"}}, IncludeWithin: Or, IncludeBetween: Or}, founder, false},
		{"include AND/OR partial groups fail", Spec{IncludeKeywords: [][]string{{"founder", "vc"}, {"ceo", "angel"}}, IncludeWithin: And, IncludeBetween: Or}, founder, false},

		// Exclude groups: defaults AND within, OR between.
		{"exclude default drops on any group", Spec{ExcludeKeywords: [][]string{{"investor"}, {"hiring"}}}, recruiter, false},
		{"exclude default needs whole group", Spec{ExcludeKeywords: [][]string{{"recruiter", "investor"}}}, recruiter, true},
		{"exclude default keeps non-matching", Spec{ExcludeKeywords: [][]string{{"recruiter"}, {"hiring"}}}, founder, true},
		{"exclude OR within drops on one keyword", Spec{ExcludeKeywords: [][]string{{"recruiter", "investor"}}, ExcludeWithin: Or}, recruiter, false},
		{"exclude AND between needs every group", Spec{ExcludeKeywords: [][]string{{"recruiter"}, {"investor"}}, ExcludeBetween: And}, recruiter, true},
		{"exclude AND between all groups hit", Spec{ExcludeKeywords: [][]string{{"recruiter"}, {"hiring"}}, ExcludeBetween: And}, recruiter, false},
		{"exclude OR/AND", Spec{ExcludeKeywords: [][]string{{"recruiter", "x"}, {"y", "hiring"}}, ExcludeWithin: Or, ExcludeBetween: And}, recruiter, false},
		{"exclude on empty bio keeps", Spec{ExcludeKeywords: [][]string{{"recruiter"}}}, empty, true},
		{"include and exclude together", Spec{IncludeKeywords: [][]string{{"tech"}}, ExcludeKeywords: [][]string{{"hiring"}}}, recruiter, false},

		// Location.
		{"location exclude matches case-insensitively", Spec{LocationExclude: []string{"germany"}}, founder, false},
		{"location exclude any of several", Spec{LocationExclude: []string{"france", "BERLIN"}}, founder, false},
		{"location exclude no hit", Spec{LocationExclude: []string{"france"}}, founder, true},
		{"location exclude empty location", Spec{LocationExclude: []string{"france"}}, empty, true},

		// Ranges are inclusive at both ends; nil ends are open.
		{"followers at min", Spec{Followers: Range{Min: intp(1200)}}, founder, true},
		{"followers below min", Spec{Followers: Range{Min: intp(1201)}}, founder, false},
		{"followers at max", Spec{Followers: Range{Max: intp(1200)}}, founder, true},
		{"followers above max", Spec{Followers: Range{Max: intp(1199)}}, founder, false},
		{"followers min equals max", Spec{Followers: Range{Min: intp(1200), Max: intp(1200)}}, founder, true},
		{"followers zero with min zero", Spec{Followers: Range{Min: intp(0)}}, empty, true},
		{"following inside", Spec{Following: Range{Min: intp(100), Max: intp(500)}}, founder, true},
		{"following outside", Spec{Following: Range{Min: intp(100), Max: intp(500)}}, recruiter, false},

		// has_website.
		{"has website true with website", Spec{HasWebsite: boolp(true)}, founder, true},
		{"has website true without", Spec{HasWebsite: boolp(true)}, recruiter, false},
		{"has website false with website", Spec{HasWebsite: boolp(false)}, founder, false},
		{"has website false without", Spec{HasWebsite: boolp(false)}, recruiter, true},
		{"has website nil", Spec{}, recruiter, true},

		// where is ANDed with the rest, and sees the original fields.
		{"where true", Spec{Where: "followers > 1000"}, founder, true},
		{"where false", Spec{Where: "followers > 1000"}, recruiter, false},
		{"where ANDed with keywords", Spec{IncludeKeywords: [][]string{{"founder"}}, Where: "!protected"}, Lead{Bio: "founder", Protected: true}, false},
		{"where sees raw bio", Spec{Where: `bio startsWith "Founder"`}, founder, true},
		{"where sees lowered bio", Spec{Where: `bio_lower startsWith "founder"`}, founder, true},
		{"where with trailing comment", Spec{Where: "verified // only blue checks", HasWebsite: boolp(true)}, Lead{Verified: true, Website: "x"}, true},

		// Keywords are literals, whatever they contain.
		{"keyword with quotes", Spec{IncludeKeywords: [][]string{{`say "hi"`}}}, Lead{Bio: `I say "hi" a lot`}, true},
		{"keyword with expr syntax", Spec{IncludeKeywords: [][]string{{`" || true || "`}}}, founder, false},
		{"keyword with backslash and newline", Spec{IncludeKeywords: [][]string{{"a\\b\nc"}}}, Lead{Bio: "A\\B\nC"}, true},
		{"keyword non-ascii", Spec{IncludeKeywords: [][]string{{"GRÜNDER"}}}, Lead{Bio: "Gründerin"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compile(tt.spec)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			got, err := p.Match(tt.lead)
			if err != nil {
				t.Fatalf("Match: %v (source %s)", err, p.Source())
			}
			if got != tt.want {
				t.Errorf("Match = %v, want %v\nsource: %s", got, tt.want, p.Source())
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name       string
		spec       Spec
		wantField  string
		wantPos    Pos
		wantReason string
	}{
		{"bad within logic", Spec{IncludeWithin: "XOR"}, FieldIncludeWithin, Pos{}, `must be "AND" or "OR", not "XOR"`},
		{"bad between logic", Spec{ExcludeBetween: "and"}, FieldExcludeBetween, Pos{}, `must be "AND" or "OR", not "and"`},
		{"min greater than max", Spec{Followers: Range{Min: intp(10), Max: intp(5)}}, FieldFollowers, Pos{}, "min (10) is greater than max (5), so no lead could match"},
		{"negative following", Spec{Following: Range{Min: intp(-1)}}, FieldFollowing, Pos{}, "min is -1, but a count cannot be negative"},
		{"empty include group", Spec{IncludeKeywords: [][]string{{"a"}, {}}}, FieldIncludeKeywords, Pos{}, "group 2 is empty; remove it or give it at least one keyword"},
		{"blank exclude keyword", Spec{ExcludeKeywords: [][]string{{"a", " "}}}, FieldExcludeKeywords, Pos{}, "keyword 2 of group 1 is blank, and a blank keyword matches every bio"},
		{"blank location", Spec{LocationExclude: []string{""}}, FieldLocationExclude, Pos{}, "entry 1 is blank, and a blank entry would exclude every lead"},
		{"where unknown name", Spec{Where: "followers > 1 && karma > 2"}, FieldWhere, Pos{Line: 1, Column: 18}, "unknown name karma"},
		{"where on second line", Spec{Where: "followers > 1 &&\n  nope"}, FieldWhere, Pos{Line: 2, Column: 3}, "unknown name nope"},
		{"where not boolean", Spec{Where: "followers + 1"}, FieldWhere, Pos{}, "expected bool, but got int"},
		{"where syntax error", Spec{Where: "followers >"}, FieldWhere, Pos{Line: 1, Column: 11}, "unexpected token EOF"},
		{"where cannot escape its parentheses", Spec{Where: "true) || (true"}, FieldWhere, Pos{Line: 1, Column: 5}, `unexpected token Bracket(")")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compile(tt.spec)
			if err == nil {
				t.Fatalf("Compile succeeded with source %q, want an error", p.Source())
			}
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is %T, want *Error", err, err)
			}
			if fe.Field != tt.wantField || fe.Reason != tt.wantReason || fe.Pos != tt.wantPos {
				t.Errorf("got Error{%q, %+v, %q}, want {%q, %+v, %q}", fe.Field, fe.Pos, fe.Reason, tt.wantField, tt.wantPos, tt.wantReason)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	errs := Validate(Spec{
		IncludeWithin: "maybe",
		Followers:     Range{Min: intp(5), Max: intp(1)},
		Where:         "nope",
	})
	var fields []string
	for _, e := range errs {
		fields = append(fields, e.Field)
	}
	want := []string{FieldIncludeWithin, FieldFollowers, FieldWhere}
	if len(fields) != len(want) {
		t.Fatalf("fields = %v, want %v", fields, want)
	}
	for i := range want {
		if fields[i] != want[i] {
			t.Fatalf("fields = %v, want %v", fields, want)
		}
	}
}

func TestParseLogic(t *testing.T) {
	for in, want := range map[string]Logic{"": "", "and": And, " Or ": Or, "AND": And} {
		got, err := ParseLogic("include_within_logic", in)
		if err != nil || got != want {
			t.Errorf("ParseLogic(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseLogic("include_within_logic", "nand"); err == nil {
		t.Error(`ParseLogic("nand") succeeded`)
	}
}

func TestSource(t *testing.T) {
	p, err := Compile(Spec{
		IncludeKeywords: [][]string{{"Founder", "ceo"}, {"building"}},
		ExcludeKeywords: [][]string{{"hiring"}},
		LocationExclude: []string{"US"},
		Followers:       Range{Min: intp(50), Max: intp(100000)},
		HasWebsite:      boolp(true),
		Where:           "!protected",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `let _bio = bio_lower; let _followers = followers; ` +
		`((_bio contains "founder" && _bio contains "ceo") || _bio contains "building") && ` +
		`not (_bio contains "hiring") && not (location_lower contains "us") && ` +
		`_followers >= 50 && _followers <= 100000 && website != "" && (!protected` + "\n)"
	if got := p.Source(); got != want {
		t.Errorf("Source =\n%s\nwant\n%s", got, want)
	}
}

// TestMatchConcurrent runs one program from many goroutines, as the engine
// does; with -race it checks that the pooled per-call state is not shared.
func TestMatchConcurrent(t *testing.T) {
	p, err := Compile(Spec{IncludeKeywords: [][]string{{"founder"}}, Where: "followers > 10"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				want := i%2 == 0
				bio := "Designer"
				if want {
					bio = "FOUNDER"
				}
				if got, err := p.Match(Lead{Bio: bio, Followers: 11}); err != nil || got != want {
					t.Errorf("Match(%q) = %v, %v; want %v", bio, got, err, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestMatchRuntimeError(t *testing.T) {
	p, err := Compile(Spec{Where: `split(bio, ",")[3] == "x"`})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Match(Lead{Bio: "a,b"}); err == nil {
		t.Error("Match succeeded, want an index-out-of-range error")
	}
}
