package engine

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/outreachhq/outreach/core/message"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// checkGenerated holds back what an AI plugin wrote unless it may go out
// as it is: it returns the text trimmed, or why it may not go: empty, over
// max characters, or with an unfilled {{...}}. It checks what any plugin
// writes, a third party's too; nothing is cut or patched to pass, since a
// fixed-up text would no longer be what the model meant.
func checkGenerated(text string, max int) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return "", errors.New("the text is empty")
	case utf8.RuneCountInString(text) > max:
		return "", fmt.Errorf("the text is %d characters long, over the limit of %d", utf8.RuneCountInString(text), max)
	}
	if p := message.Unfilled(text); p != "" {
		return "", fmt.Errorf("the text has %s, which nothing filled", p)
	}
	return text, nil
}

// provenance is what the store keeps of what wrote a text.
func provenance(g sdk.Generated) store.Provenance {
	return store.Provenance{Model: g.Model, PromptVersion: g.PromptVersion}
}
