package sdk

import (
	"context"

	pb "github.com/outreachhq/outreach/sdk/proto/pluginv1"
)

// The engagement half of the Network shims. The client implements
// Engagement for every network plugin; the server answers Permanent for a
// plugin that does not implement it.

var _ Engagement = (*networkClient)(nil)

func (n *networkClient) Follow(ctx context.Context, s Session, userID string) (bool, error) {
	r, err := n.c.Follow(ctx, &pb.FollowRequest{Session: sessionToPB(s), UserId: userID})
	if err != nil {
		return false, fromStatus(err)
	}
	return r.Pending, nil
}

func (n *networkClient) Like(ctx context.Context, s Session, postID string) error {
	_, err := n.c.Like(ctx, &pb.LikeRequest{Session: sessionToPB(s), PostId: postID})
	return fromStatus(err)
}

func (n *networkClient) Comment(ctx context.Context, s Session, postID, text string) (Post, error) {
	r, err := n.c.Comment(ctx, &pb.CommentRequest{Session: sessionToPB(s), PostId: postID, Text: text})
	if err != nil {
		return Post{}, fromStatus(err)
	}
	return postFromPB(r.Post), nil
}

func (n *networkClient) PostTweet(ctx context.Context, s Session, text string) (Post, error) {
	r, err := n.c.PostTweet(ctx, &pb.PostTweetRequest{Session: sessionToPB(s), Text: text})
	if err != nil {
		return Post{}, fromStatus(err)
	}
	return postFromPB(r.Post), nil
}

func (n *networkClient) UserPosts(ctx context.Context, s Session, userID string, limit int) ([]Post, error) {
	r, err := n.c.UserPosts(ctx, &pb.UserPostsRequest{Session: sessionToPB(s), UserId: userID, Limit: int32(limit)})
	if err != nil {
		return nil, fromStatus(err)
	}
	out := make([]Post, len(r.Posts))
	for i, p := range r.Posts {
		out[i] = postFromPB(p)
	}
	return out, nil
}

// engagement returns the implementation's Engagement, or a Permanent error
// naming the call it cannot serve.
func (s *networkServer) engagement(call string) (Engagement, error) {
	e, ok := s.impl.(Engagement)
	if !ok {
		return nil, toStatus(Errorf(Permanent, "this network plugin does not support %s", call))
	}
	return e, nil
}

func (s *networkServer) Follow(ctx context.Context, r *pb.FollowRequest) (*pb.FollowResponse, error) {
	e, err := s.engagement("follow")
	if err != nil {
		return nil, err
	}
	pending, err := e.Follow(ctx, sessionFromPB(r.Session), r.UserId)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.FollowResponse{Pending: pending}, nil
}

func (s *networkServer) Like(ctx context.Context, r *pb.LikeRequest) (*pb.LikeResponse, error) {
	e, err := s.engagement("like")
	if err != nil {
		return nil, err
	}
	if err := e.Like(ctx, sessionFromPB(r.Session), r.PostId); err != nil {
		return nil, toStatus(err)
	}
	return &pb.LikeResponse{}, nil
}

func (s *networkServer) Comment(ctx context.Context, r *pb.CommentRequest) (*pb.PostResponse, error) {
	e, err := s.engagement("comment")
	if err != nil {
		return nil, err
	}
	p, err := e.Comment(ctx, sessionFromPB(r.Session), r.PostId, r.Text)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.PostResponse{Post: postToPB(p)}, nil
}

func (s *networkServer) PostTweet(ctx context.Context, r *pb.PostTweetRequest) (*pb.PostResponse, error) {
	e, err := s.engagement("tweet")
	if err != nil {
		return nil, err
	}
	p, err := e.PostTweet(ctx, sessionFromPB(r.Session), r.Text)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.PostResponse{Post: postToPB(p)}, nil
}

func (s *networkServer) UserPosts(ctx context.Context, r *pb.UserPostsRequest) (*pb.UserPostsResponse, error) {
	e, err := s.engagement("user posts")
	if err != nil {
		return nil, err
	}
	posts, err := e.UserPosts(ctx, sessionFromPB(r.Session), r.UserId, int(r.Limit))
	if err != nil {
		return nil, toStatus(err)
	}
	out := &pb.UserPostsResponse{Posts: make([]*pb.Post, len(posts))}
	for i, p := range posts {
		out.Posts[i] = postToPB(p)
	}
	return out, nil
}

func postToPB(p Post) *pb.Post {
	return &pb.Post{Id: p.ID, AuthorId: p.AuthorID, Text: p.Text, CreatedAtUnixMs: unixMs(p.CreatedAt), InReplyToId: p.InReplyToID}
}

func postFromPB(p *pb.Post) Post {
	if p == nil {
		return Post{}
	}
	return Post{ID: p.Id, AuthorID: p.AuthorId, Text: p.Text, CreatedAt: fromUnixMs(p.CreatedAtUnixMs), InReplyToID: p.InReplyToId}
}
