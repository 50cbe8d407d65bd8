package ai

import (
	"fmt"
	"strings"

	"github.com/outreachhq/outreach/sdk"
)

func commentPrompt(req sdk.CommentRequest) prompt {
	var sys strings.Builder
	sys.WriteString("You write short, genuine replies to posts on X (Twitter) on behalf of a person. " +
		"Reply to the post itself, in its language, like a peer would: no hashtags, no emojis unless the post uses them, " +
		"no sales pitch, no links. Answer with the reply text only.")
	if req.MaxLength > 0 {
		fmt.Fprintf(&sys, " Keep it under %d characters.", req.MaxLength)
	}
	if req.Instructions != "" {
		sys.WriteString(" Guidance: " + req.Instructions)
	}
	user := req.PostText
	if req.AuthorUsername != "" {
		user = "Post by @" + strings.TrimPrefix(req.AuthorUsername, "@") + ":\n" + req.PostText
	}
	return prompt{temperature: 0.7, messages: []message{{Role: "system", Content: sys.String()}, {Role: "user", Content: user}}}
}

func classifyPrompt(req sdk.ClassifyRequest) prompt {
	var user strings.Builder
	if len(req.Context) > 0 {
		user.WriteString("Conversation so far:\n")
		for _, m := range req.Context {
			who := "Lead"
			if m.FromAccount {
				who = "Us"
			}
			fmt.Fprintf(&user, "%s: %s\n", who, m.Text)
		}
		user.WriteString("\n")
	}
	user.WriteString("Reply to classify:\n" + req.Text)
	return prompt{temperature: 0, messages: []message{
		{Role: "system", Content: "You classify replies to an outreach message. Answer with exactly one word: " +
			"positive (interested, open, friendly), negative (not interested, annoyed, asks to stop) or neutral (anything else)."},
		{Role: "user", Content: user.String()},
	}}
}

func draftPrompt(req sdk.DraftRequest) prompt {
	sys := "You draft the next direct message of a person doing outreach on X (Twitter). " +
		"Be brief, warm and specific to what the lead said; one or two sentences; no hashtags. Answer with the message text only."
	if req.LeadName != "" {
		sys += " The lead's name is " + req.LeadName + "."
	}
	if req.Instructions != "" {
		sys += " Guidance: " + req.Instructions
	}
	msgs := []message{{Role: "system", Content: sys}}
	for _, m := range req.Conversation {
		role := "user"
		if m.FromAccount {
			// The model speaks as the account, so the account's messages
			// are its own earlier turns.
			role = "assistant"
		}
		msgs = append(msgs, message{Role: role, Content: m.Text})
	}
	return prompt{temperature: 0.7, messages: msgs}
}
