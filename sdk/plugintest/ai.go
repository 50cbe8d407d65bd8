package plugintest

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/outreachhq/outreach/sdk"
)

// AIFixture is what an AI plugin is tested with.
type AIFixture struct {
	// Config configures the plugin (for a plugin that calls a model, one
	// that points it at a test double).
	Config json.RawMessage
}

// TestAI checks an AI plugin: TestPlugin, then comments that are non-empty,
// trimmed and within MaxLength; sentiments that are always one of the three
// with a confidence between 0 and 1, and right on replies no reader would
// hesitate over; non-empty drafts; and calls from many goroutines at once.
func TestAI(t *testing.T, c *Conn, f AIFixture) {
	if c.AI == nil {
		t.Fatalf("plugin %q does not serve the ai kind (kinds %v)", c.Info.Name, c.Info.Kinds)
	}
	TestPlugin(t, c, f.Config)
	ctx := context.Background()
	if err := c.Plugin.Configure(ctx, f.Config); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	ai := c.AI
	t.Run("generate comment", func(t *testing.T) {
		for _, max := range []int{0, 280, 60} {
			g, err := ai.GenerateComment(ctx, sdk.CommentRequest{
				PostText:       "We just shipped our new onboarding flow: signup to first value in under two minutes.",
				AuthorUsername: "founder", Instructions: "friendly, no hashtags", MaxLength: max,
			})
			if err != nil {
				t.Fatalf("GenerateComment(max %d): %v", max, err)
			}
			text := g.Text
			if g.Model == "" || g.PromptVersion == "" {
				t.Errorf("GenerateComment(max %d) names model %q and prompt version %q: want both, to store with the text", max, g.Model, g.PromptVersion)
			}
			if text == "" || strings.TrimSpace(text) != text {
				t.Errorf("GenerateComment(max %d) = %q: want non-empty text without surrounding space", max, text)
			}
			if max > 0 && utf8.RuneCountInString(text) > max {
				t.Errorf("GenerateComment(max %d) is %d characters long: %q", max, utf8.RuneCountInString(text), text)
			}
		}
	})
	t.Run("classify reply", func(t *testing.T) {
		for _, tc := range []struct {
			text string
			want sdk.Sentiment
		}{
			{"Yes, I'd love to chat! This sounds great, thank you.", sdk.Positive},
			{"No thanks, not interested. Please stop messaging me.", sdk.Negative},
		} {
			got, err := ai.ClassifyReply(ctx, sdk.ClassifyRequest{
				Text:    tc.text,
				Context: []sdk.ConversationMessage{{FromAccount: true, Text: "Hi! Would you be up for a quick call about your onboarding?"}},
			})
			if err != nil {
				t.Fatalf("ClassifyReply(%q): %v", tc.text, err)
			}
			if got.Sentiment != tc.want {
				t.Errorf("ClassifyReply(%q) = %s; want %s", tc.text, got.Sentiment, tc.want)
			}
			if got.Confidence < 0 || got.Confidence > 1 {
				t.Errorf("ClassifyReply(%q) confidence %v: want between 0 and 1", tc.text, got.Confidence)
			}
		}
		got, err := ai.ClassifyReply(ctx, sdk.ClassifyRequest{Text: "ok"})
		if err != nil {
			t.Fatalf("ClassifyReply(ok): %v", err)
		}
		if got.Sentiment < sdk.Positive || got.Sentiment > sdk.Neutral {
			t.Errorf("ClassifyReply(ok) = %v: every reply is positive, negative or neutral", got.Sentiment)
		}
	})
	t.Run("draft reply", func(t *testing.T) {
		g, err := ai.DraftReply(ctx, sdk.DraftRequest{
			Conversation: []sdk.ConversationMessage{
				{FromAccount: true, Text: "Hi Ana, what's the hardest part of building your company right now?"},
				{FromAccount: false, Text: "Hiring, honestly. What do you do?"},
			},
			Instructions: "short, friendly, propose a call", LeadName: "Ana", MaxLength: 280,
		})
		if err != nil {
			t.Fatalf("DraftReply: %v", err)
		}
		if strings.TrimSpace(g.Text) == "" {
			t.Errorf("DraftReply returned empty text")
		}
		if n := utf8.RuneCountInString(g.Text); n > 280 {
			t.Errorf("DraftReply is %d characters long, over its MaxLength of 280", n)
		}
		if g.Model == "" || g.PromptVersion == "" {
			t.Errorf("DraftReply names model %q and prompt version %q: want both", g.Model, g.PromptVersion)
		}
	})
	t.Run("concurrent calls", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for range 16 {
			wg.Go(func() {
				if _, err := ai.ClassifyReply(ctx, sdk.ClassifyRequest{Text: "sounds good"}); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent ClassifyReply: %v", err)
		}
	})
}
