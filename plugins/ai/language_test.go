package ai

import (
	"slices"
	"strings"
	"testing"
)

// TestCompileRejectsDuplicates checks that a phrase listed twice, even
// spelled two ways, is an error rather than a phrase that reads two ways.
func TestCompileRejectsDuplicates(t *testing.T) {
	for name, l := range map[string]language{
		"same list":   {interest: cues{1: {"cool"}, 2: {"cool"}}},
		"two lists":   {interest: cues{1: {"pass"}}, refusals: cues{2: {"pass"}}},
		"respelled":   {spelling: map[string]string{"ya": "yes"}, interest: cues{2: {"yes", "ya"}}},
		"apostrophes": {politeRefusals: cues{2: {"we're good", "were good"}}},
	} {
		if _, err := compile(l); err == nil {
			t.Errorf("%s: compile accepted a phrase listed twice", name)
		}
	}
	if _, err := compile(english); err != nil {
		t.Errorf("compile(english): %v", err)
	}
}

// TestPhraseAtEnd checks that a phrase ending in " $" matches only at the
// end of a clause.
func TestPhraseAtEnd(t *testing.T) {
	lx := mustCompile(language{interest: cues{3: {"i'm in $"}}})
	for text, want := range map[string]bool{"I'm in": true, "I'm in, let's go": true, "i'm in a meeting": false} {
		r := lx.read(text)
		if got := r.positive > 0; got != want {
			t.Errorf("%q read as a yes: %v; want %v", text, got, want)
		}
	}
}

// TestSentences checks how a reply is cut into sentences and words: lower
// case, apostrophes dropped, spelling applied, stretched words shortened,
// emoji as words, addresses and handles kept whole.
func TestSentences(t *testing.T) {
	for text, want := range map[string][]string{
		"Don’t know. Ask @sarah_ops!":        {"dont know", "ask @sarah_ops"},
		"yesss, lmk":                         {"yes , let me know"},
		"sooo cool 👍🏽👍":                      {"so cool 👍 👍"},
		"email ops@acme.io — thanks":         {"email ops@acme.io , thanks"},
		"who are you?? what's this":          {"who are you", "whats this"},
		"it's 2:30pm... self-hosted, right?": {"its 2:30pm", "self hosted , right"},
	} {
		var got []string
		for _, s := range englishRules.sentences(text) {
			got = append(got, strings.Join(s.words, " "))
		}
		if !slices.Equal(got, want) {
			t.Errorf("sentences(%q) = %q; want %q", text, got, want)
		}
	}
}

func TestExpand(t *testing.T) {
	got := expand([]string{"we're", "i'm"}, []string{"good", "all set"})
	want := []string{"we're good", "we're all set", "i'm good", "i'm all set"}
	if !slices.Equal(got, want) {
		t.Errorf("expand = %q; want %q", got, want)
	}
}
