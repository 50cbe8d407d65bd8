package ai

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/outreachhq/outreach/sdk"
)

// A prompt's version is stored with every text it writes. A built-in
// prompt's version changes whenever its wording does.
const (
	commentVersion  = "comment-2"
	classifyVersion = "classify-2"
	draftVersion    = "draft-2"
)

// The built-in system prompts, as templates of the data each operation
// gives (commentData, classifyData, draftData). Blank lines left by
// unused parts are dropped (see render).
const (
	builtinComment = `You write short, genuine replies to posts on X (Twitter) on behalf of a person.
Reply to the post itself, in its language, like a peer would: no hashtags, no emojis unless the post uses them, no sales pitch, no links, no placeholders.
{{if .AuthorUsername}}The post is by @{{.AuthorUsername}}{{if .AuthorName}} ({{.AuthorName}}){{end}}.{{end}}
{{if .AuthorBio}}Their bio: {{.AuthorBio}}{{end}}
{{if .Instructions}}What the reply should do: {{.Instructions}}{{end}}
{{if .MaxLength}}Keep it under {{.MaxLength}} characters.{{end}}
Answer with the reply text only.`

	builtinClassify = `You classify replies to an outreach direct message on X (Twitter).
sentiment is positive (interested, open, friendly, asks how to buy), negative (not interested, annoyed, a polite no, asks to stop) or neutral (anything else: who is this, maybe later, an auto-reply, a bare acknowledgement).
opt_out is true when the reply asks not to be contacted again, in any words; an opt-out is negative.
booking is true when the reply asks for a call, a meeting, a price or a demo, whatever its sentiment.
confidence is how sure you are, from 0 to 1.
{{.Format}}`

	builtinDraft = `You draft the next direct message of a person doing outreach on X (Twitter).
Be brief, warm and specific to what the lead said; one or two sentences; no hashtags, no placeholders.
{{if .LeadName}}The lead's name is {{.LeadName}}.{{end}}
{{if .Instructions}}Guidance: {{.Instructions}}{{end}}
{{if .MaxLength}}Keep it under {{.MaxLength}} characters.{{end}}
Never invent prices, links or dates. If the lead asks for a call, a price or a demo, say that a person will follow up.
Answer with the message text only.`
)

// classifyFormat asks for the answer parseClassification reads.
const classifyFormat = `Answer with one JSON object and nothing else: {"sentiment":"positive|negative|neutral","opt_out":true|false,"booking":true|false,"confidence":0.0-1.0}`

// commentData is what a comment prompt may use.
type commentData struct {
	AuthorUsername, AuthorName, AuthorBio string
	Instructions                          string
	MaxLength                             int
}

// classifyData is what a classification prompt may use.
type classifyData struct {
	// Format asks for the JSON answer.
	Format string
}

// draftData is what a draft prompt may use.
type draftData struct {
	LeadName, Instructions string
	MaxLength              int
}

// systemPrompt is one operation's system prompt and its version.
type systemPrompt struct {
	tmpl    *template.Template
	version string
	// custom: the template is the configuration's, rendered as written.
	custom bool
}

// promptSet is the system prompt of each operation.
type promptSet struct {
	comment, classify, draft systemPrompt
}

// promptNames are the operations a prompt may be given for, in the order
// errors list them.
var promptNames = []string{"comment", "classify", "draft"}

// parsePrompts builds the prompt set, with overrides for the operations
// in overrides. Each override is parsed and tried once on sample data, so
// that a misspelt field ({{.Author}}) fails Configure rather than a call.
func parsePrompts(overrides map[string]string) (promptSet, error) {
	for _, name := range slices.Sorted(maps.Keys(overrides)) {
		if !slices.Contains(promptNames, name) {
			return promptSet{}, configError("prompts."+name, "unknown prompt; the prompts are %s", strings.Join(promptNames, ", "))
		}
	}
	var set promptSet
	for _, p := range []struct {
		name    string
		builtin string
		version string
		sample  any
		dst     *systemPrompt
	}{
		{"comment", builtinComment, commentVersion, commentData{AuthorUsername: "ana", AuthorName: "Ana", AuthorBio: "Founder", Instructions: "friendly", MaxLength: 280}, &set.comment},
		{"classify", builtinClassify, classifyVersion, classifyData{Format: classifyFormat}, &set.classify},
		{"draft", builtinDraft, draftVersion, draftData{LeadName: "Ana", Instructions: "friendly", MaxLength: 280}, &set.draft},
	} {
		text, custom := overrides[p.name]
		if !custom {
			*p.dst = systemPrompt{tmpl: template.Must(template.New(p.name).Parse(p.builtin)), version: p.version}
			continue
		}
		field := "prompts." + p.name
		if strings.TrimSpace(text) == "" {
			return promptSet{}, configError(field, "is empty; leave it out for the built-in prompt")
		}
		t, err := template.New(p.name).Parse(text)
		if err != nil {
			return promptSet{}, configError(field, "not a valid template: %v", err)
		}
		if err := plainTemplate(t); err != nil {
			return promptSet{}, configError(field, "%v", err)
		}
		if err := t.Execute(&limitedWriter{}, p.sample); err != nil {
			return promptSet{}, configError(field, "the template fails: %v", err)
		}
		sum := sha256.Sum256([]byte(text))
		*p.dst = systemPrompt{tmpl: t, version: p.name + "-custom-" + hex.EncodeToString(sum[:4]), custom: true}
	}
	return set, nil
}

// plainTemplate refuses what a system prompt has no use for and what
// could keep Configure busy for ever: loops ({{range 1000000000}}) and
// templates that call templates.
func plainTemplate(t *template.Template) error {
	if len(t.Templates()) > 1 {
		return fmt.Errorf("defines templates of its own; use fields, if and with only")
	}
	var walk func(n parse.Node) error
	walk = func(n parse.Node) error {
		switch n := n.(type) {
		case nil:
			return nil
		case *parse.ListNode:
			if n == nil {
				return nil
			}
			for _, c := range n.Nodes {
				if err := walk(c); err != nil {
					return err
				}
			}
		case *parse.IfNode:
			return errors.Join(walk(n.List), walk(n.ElseList))
		case *parse.WithNode:
			return errors.Join(walk(n.List), walk(n.ElseList))
		case *parse.TextNode, *parse.ActionNode, *parse.CommentNode:
		default:
			loc, _ := t.ErrorContext(n)
			return fmt.Errorf("%s: %s is not allowed; use fields, if and with only", loc, clip(n.String(), 40))
		}
		return nil
	}
	return walk(t.Tree.Root)
}

// render executes the prompt on data. A built-in prompt loses the blank
// lines its unused parts leave; a custom one is used as written.
func (p systemPrompt) render(data any) (string, error) {
	var b limitedWriter
	if err := p.tmpl.Execute(&b, data); err != nil {
		return "", sdk.Errorf(sdk.Permanent, "ai: the %s prompt (%s) fails: %v", p.tmpl.Name(), p.version, err)
	}
	if p.custom {
		return strings.TrimSpace(b.String()), nil
	}
	var lines []string
	for l := range strings.Lines(b.String()) {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n"), nil
}

// maxPromptLen bounds a rendered system prompt: a template that loops
// ({{range 1000000000}}) fails rather than fill the plugin's memory.
const maxPromptLen = 64 << 10

// limitedWriter is a strings.Builder that refuses to grow past
// maxPromptLen.
type limitedWriter struct{ strings.Builder }

func (w *limitedWriter) Write(p []byte) (int, error) {
	if w.Len()+len(p) > maxPromptLen {
		return 0, fmt.Errorf("the prompt is longer than %d bytes", maxPromptLen)
	}
	return w.Builder.Write(p)
}

// request is a chat request without the model: its messages and what
// the operation asks of the endpoint.
type request struct {
	messages []message
	// temperature is the operation's own, which the configuration's
	// overrides.
	temperature float64
	// json asks for response_format json_object when json_mode is on.
	json bool
}

func (s promptSet) commentRequest(req sdk.CommentRequest) (request, error) {
	sys, err := s.comment.render(commentData{
		AuthorUsername: strings.TrimPrefix(strings.TrimSpace(req.AuthorUsername), "@"),
		AuthorName:     strings.TrimSpace(req.AuthorName),
		AuthorBio:      strings.TrimSpace(req.AuthorBio),
		Instructions:   strings.TrimSpace(req.Instructions),
		MaxLength:      req.MaxLength,
	})
	if err != nil {
		return request{}, err
	}
	return request{temperature: 0.7, messages: []message{
		{Role: "system", Content: sys},
		{Role: "user", Content: req.PostText},
	}}, nil
}

func (s promptSet) classifyRequest(req sdk.ClassifyRequest) (request, error) {
	sys, err := s.classify.render(classifyData{Format: classifyFormat})
	if err != nil {
		return request{}, err
	}
	if !strings.Contains(sys, classifyFormat) {
		// The answer is read as this JSON whatever the prompt says.
		sys += "\n" + classifyFormat
	}
	var user strings.Builder
	if len(req.Context) > 0 {
		user.WriteString("Conversation so far, oldest first:\n")
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
	return request{temperature: 0, json: true, messages: []message{
		{Role: "system", Content: sys},
		{Role: "user", Content: user.String()},
	}}, nil
}

func (s promptSet) draftRequest(req sdk.DraftRequest) (request, error) {
	sys, err := s.draft.render(draftData{
		LeadName:     strings.TrimSpace(req.LeadName),
		Instructions: strings.TrimSpace(req.Instructions),
		MaxLength:    req.MaxLength,
	})
	if err != nil {
		return request{}, err
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
	return request{temperature: 0.7, messages: msgs}, nil
}
