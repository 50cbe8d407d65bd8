package sdk

import (
	"context"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	pb "github.com/outreachhq/outreach/sdk/proto/pluginv1"
)

// aiPlugin carries the AI service over go-plugin.
type aiPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	impl AI
}

func (p *aiPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	pb.RegisterAIServer(s, &aiServer{impl: p.impl})
	return nil
}

func (p *aiPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &aiClient{c: pb.NewAIClient(c)}, nil
}

// aiClient is the host's AI, backed by gRPC.
type aiClient struct{ c pb.AIClient }

var _ AI = (*aiClient)(nil)

func (a *aiClient) GenerateComment(ctx context.Context, req CommentRequest) (Generated, error) {
	r, err := a.c.GenerateComment(ctx, &pb.GenerateCommentRequest{
		PostText: req.PostText, AuthorUsername: req.AuthorUsername, AuthorName: req.AuthorName, AuthorBio: req.AuthorBio,
		Instructions: req.Instructions, MaxLength: int32(req.MaxLength),
	})
	if err != nil {
		return Generated{}, fromStatus(err)
	}
	return Generated{Text: r.Text, Model: r.Model, PromptVersion: r.PromptVersion}, nil
}

func (a *aiClient) ClassifyReply(ctx context.Context, req ClassifyRequest) (Classification, error) {
	r, err := a.c.ClassifyReply(ctx, &pb.ClassifyReplyRequest{Text: req.Text, Context: messagesToPB(req.Context)})
	if err != nil {
		return Classification{}, fromStatus(err)
	}
	return Classification{
		Sentiment: Sentiment(r.Sentiment), Confidence: r.Confidence, OptOut: r.OptOut, Booking: r.Booking,
		Model: r.Model, PromptVersion: r.PromptVersion,
	}, nil
}

func (a *aiClient) DraftReply(ctx context.Context, req DraftRequest) (Generated, error) {
	r, err := a.c.DraftReply(ctx, &pb.DraftReplyRequest{
		Conversation: messagesToPB(req.Conversation), Instructions: req.Instructions, LeadName: req.LeadName,
		MaxLength: int32(req.MaxLength),
	})
	if err != nil {
		return Generated{}, fromStatus(err)
	}
	return Generated{Text: r.Text, Model: r.Model, PromptVersion: r.PromptVersion}, nil
}

// aiServer serves an AI implementation over gRPC.
type aiServer struct {
	pb.UnimplementedAIServer
	impl AI
}

func (s *aiServer) GenerateComment(ctx context.Context, r *pb.GenerateCommentRequest) (*pb.GenerateCommentResponse, error) {
	g, err := s.impl.GenerateComment(ctx, CommentRequest{
		PostText: r.PostText, AuthorUsername: r.AuthorUsername, AuthorName: r.AuthorName, AuthorBio: r.AuthorBio,
		Instructions: r.Instructions, MaxLength: int(r.MaxLength),
	})
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.GenerateCommentResponse{Text: g.Text, Model: g.Model, PromptVersion: g.PromptVersion}, nil
}

func (s *aiServer) ClassifyReply(ctx context.Context, r *pb.ClassifyReplyRequest) (*pb.ClassifyReplyResponse, error) {
	c, err := s.impl.ClassifyReply(ctx, ClassifyRequest{Text: r.Text, Context: messagesFromPB(r.Context)})
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.ClassifyReplyResponse{
		Sentiment: pb.Sentiment(c.Sentiment), Confidence: c.Confidence, OptOut: c.OptOut, Booking: c.Booking,
		Model: c.Model, PromptVersion: c.PromptVersion,
	}, nil
}

func (s *aiServer) DraftReply(ctx context.Context, r *pb.DraftReplyRequest) (*pb.DraftReplyResponse, error) {
	g, err := s.impl.DraftReply(ctx, DraftRequest{
		Conversation: messagesFromPB(r.Conversation), Instructions: r.Instructions, LeadName: r.LeadName,
		MaxLength: int(r.MaxLength),
	})
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.DraftReplyResponse{Text: g.Text, Model: g.Model, PromptVersion: g.PromptVersion}, nil
}

func messagesToPB(msgs []ConversationMessage) []*pb.ConversationMessage {
	out := make([]*pb.ConversationMessage, len(msgs))
	for i, m := range msgs {
		out[i] = &pb.ConversationMessage{FromAccount: m.FromAccount, Text: m.Text}
	}
	return out
}

func messagesFromPB(msgs []*pb.ConversationMessage) []ConversationMessage {
	out := make([]ConversationMessage, len(msgs))
	for i, m := range msgs {
		out[i] = ConversationMessage{FromAccount: m.FromAccount, Text: m.Text}
	}
	return out
}
