package pluginhost

import (
	"context"

	"github.com/outreachhq/outreach/sdk"
)

// ai is a plugin's AI with the host's deadlines, relaunches and errors
// that name the plugin. Writing text has no effect outside, so every call
// counts as a read and is retried once after a crash.
type ai struct{ m *managed }

var _ sdk.AI = (*ai)(nil)

func (a *ai) GenerateComment(ctx context.Context, req sdk.CommentRequest) (sdk.Generated, error) {
	return call(a.m, ctx, "generate comment", read, func(ctx context.Context, p *process) (sdk.Generated, error) {
		return p.ai.GenerateComment(ctx, req)
	})
}

func (a *ai) ClassifyReply(ctx context.Context, req sdk.ClassifyRequest) (sdk.Classification, error) {
	return call(a.m, ctx, "classify reply", read, func(ctx context.Context, p *process) (sdk.Classification, error) {
		return p.ai.ClassifyReply(ctx, req)
	})
}

func (a *ai) DraftReply(ctx context.Context, req sdk.DraftRequest) (sdk.Generated, error) {
	return call(a.m, ctx, "draft reply", read, func(ctx context.Context, p *process) (sdk.Generated, error) {
		return p.ai.DraftReply(ctx, req)
	})
}
