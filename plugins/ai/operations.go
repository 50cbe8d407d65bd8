package ai

import (
	"context"
	"strings"

	"github.com/outreachhq/outreach/sdk"
)

// The versions of what the plugin writes without a model.
const (
	offlineCommentVersion = "comment-templates-1"
	offlineDraftVersion   = "draft-canned-1"
	// offlineClassifyVersion names the lexicon's reading when the
	// lexicon does not name itself.
	offlineClassifyVersion = "lexicon"
	// fallbackSuffix marks a classification the lexicon made because the
	// model's answer could not be read.
	fallbackSuffix = "-fallback-offline"
)

// Confidence bounds of classifications the model did not make alone.
const (
	// unreadableConfidence caps the lexicon's confidence when it stands in
	// for a model that answered nonsense: the reply was one the model was
	// asked about, and the lexicon is the weaker reader.
	unreadableConfidence = 0.5
	// detectorConfidence is the least confidence of a reply the opt-out
	// detector reads as one, whatever the model said.
	detectorConfidence = 0.9
)

// GenerateComment implements sdk.AI. Offline, the comment is the
// campaign's template as written, else a generic one; with a model, the
// model writes it from the post, its author's profile and the campaign's
// template. Either way it passes the guardrails (guardrails.go).
func (p *Plugin) GenerateComment(ctx context.Context, req sdk.CommentRequest) (sdk.Generated, error) {
	b := p.backend.Load()
	if b.chat == nil {
		return offlineComment(req)
	}
	r, err := b.prompts.commentRequest(req)
	if err != nil {
		return sdk.Generated{}, err
	}
	a, err := b.chat.complete(ctx, r)
	if err != nil {
		return sdk.Generated{}, err
	}
	text, err := checkAnswer(a, "comment", req.MaxLength)
	if err != nil {
		return sdk.Generated{}, err
	}
	return sdk.Generated{Text: text, Model: a.model, PromptVersion: b.prompts.comment.version}, nil
}

// offlineComment is the comment without a model: the campaign's template
// as written, unless it leaves something for a model to fill ("Great
// insights on {{topic}}!"), and then a generic template reply, which does
// not pretend to have read the post.
func offlineComment(req sdk.CommentRequest) (sdk.Generated, error) {
	text, name := templateComment(req), "the offline comment"
	if t := strings.TrimSpace(req.Instructions); t != "" && !strings.Contains(t, "{{") {
		text, name = t, "the campaign's comment template"
	}
	text, err := checkText(text, name, req.MaxLength, fromTemplate)
	if err != nil {
		return sdk.Generated{}, err
	}
	return sdk.Generated{Text: text, Model: sdk.ModelOffline, PromptVersion: offlineCommentVersion}, nil
}

// ClassifyReply implements sdk.AI. A model's answer that cannot be read
// is asked for once more, then left to the lexicon, less sure. Whatever
// reads the reply, one that sdk.IsOptOut reads as an opt-out is one (the
// engine acts on the same detector), and an opt-out is negative.
func (p *Plugin) ClassifyReply(ctx context.Context, req sdk.ClassifyRequest) (sdk.Classification, error) {
	b := p.backend.Load()
	if b.chat == nil {
		return offlineClassification(req.Text), nil
	}
	r, err := b.prompts.classifyRequest(req)
	if err != nil {
		return sdk.Classification{}, err
	}
	version := b.prompts.classify.version
	for range 2 {
		a, err := b.chat.complete(ctx, r)
		if err != nil {
			return sdk.Classification{}, err
		}
		if a.refusal != "" || a.finish == "content_filter" {
			// The same input meets the same refusal: no second try.
			break
		}
		m, err := parseClassification(a.text)
		if err != nil {
			continue
		}
		c := sdk.Classification{Sentiment: m.Sentiment, Confidence: m.Confidence, OptOut: m.OptOut, Booking: m.Booking, Model: a.model, PromptVersion: version}
		if !c.OptOut && sdk.IsOptOut(req.Text) {
			c.OptOut, c.Confidence = true, max(c.Confidence, detectorConfidence)
		}
		if c.OptOut {
			c.Sentiment = sdk.Negative
		}
		return c, nil
	}
	c := offlineClassification(req.Text)
	c.Confidence = min(c.Confidence, unreadableConfidence)
	c.Model, c.PromptVersion = sdk.ModelOffline, version+fallbackSuffix
	return c, nil
}

// offlineClassification is the lexicon's reading of text, named, with
// the opt-out detector's word on opt-outs.
func offlineClassification(text string) sdk.Classification {
	c := classify(text)
	if c.Model == "" {
		c.Model = sdk.ModelOffline
	}
	if c.PromptVersion == "" {
		c.PromptVersion = offlineClassifyVersion
	}
	if sdk.IsOptOut(text) {
		c.OptOut = true
	}
	if c.OptOut {
		c.Sentiment = sdk.Negative
	}
	c.Confidence = clamp01(c.Confidence)
	return c
}

// DraftReply implements sdk.AI. Offline, the draft is a canned reply;
// with a model, the model writes it from the conversation. Either way it
// passes the guardrails.
func (p *Plugin) DraftReply(ctx context.Context, req sdk.DraftRequest) (sdk.Generated, error) {
	b := p.backend.Load()
	if b.chat == nil {
		text, err := checkText(cannedReply(req), "the canned reply", req.MaxLength, fromTemplate)
		if err != nil {
			return sdk.Generated{}, err
		}
		return sdk.Generated{Text: text, Model: sdk.ModelOffline, PromptVersion: offlineDraftVersion}, nil
	}
	r, err := b.prompts.draftRequest(req)
	if err != nil {
		return sdk.Generated{}, err
	}
	a, err := b.chat.complete(ctx, r)
	if err != nil {
		return sdk.Generated{}, err
	}
	text, err := checkAnswer(a, "reply", req.MaxLength)
	if err != nil {
		return sdk.Generated{}, err
	}
	return sdk.Generated{Text: text, Model: a.model, PromptVersion: b.prompts.draft.version}, nil
}
