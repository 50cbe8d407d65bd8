package sdk

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	pb "github.com/outreachhq/outreach/sdk/proto/pluginv1"
)

// networkPlugin carries the Network service over go-plugin.
type networkPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	impl Network
}

func (p *networkPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	pb.RegisterNetworkServer(s, &networkServer{impl: p.impl})
	pb.RegisterAuthServer(s, &authServer{impl: p.impl})
	return nil
}

func (p *networkPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &networkClient{c: pb.NewNetworkClient(c), a: pb.NewAuthClient(c)}, nil
}

// networkClient is the host's Network, backed by gRPC.
type networkClient struct {
	c pb.NetworkClient
	a pb.AuthClient
}

var _ Network = (*networkClient)(nil)

func (n *networkClient) CheckSession(ctx context.Context, s Session) (User, error) {
	r, err := n.c.CheckSession(ctx, &pb.CheckSessionRequest{Session: sessionToPB(s)})
	if err != nil {
		return User{}, fromStatus(err)
	}
	return userFromPB(r.User), nil
}

func (n *networkClient) LookupUsers(ctx context.Context, s Session, usernames []string) ([]User, error) {
	r, err := n.c.LookupUsers(ctx, &pb.LookupUsersRequest{Session: sessionToPB(s), Usernames: usernames})
	if err != nil {
		return nil, fromStatus(err)
	}
	return usersFromPB(r.Users), nil
}

func (n *networkClient) Scrape(ctx context.Context, req ScrapeRequest, emit func(Page) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := n.c.Scrape(ctx, &pb.ScrapeRequest{
		Session:  sessionToPB(req.Session),
		UserId:   req.UserID,
		Relation: pb.Relation(req.Relation),
		Cursor:   req.Cursor,
		PageSize: int32(req.PageSize),
	})
	if err != nil {
		return fromStatus(err)
	}
	for {
		page, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fromStatus(err)
		}
		if err := emit(Page{Users: usersFromPB(page.Users), NextCursor: page.NextCursor}); err != nil {
			return err
		}
	}
}

func (n *networkClient) SendDM(ctx context.Context, s Session, recipientID, text string) (SentDM, error) {
	r, err := n.c.SendDM(ctx, &pb.SendDMRequest{Session: sessionToPB(s), RecipientId: recipientID, Text: text})
	if err != nil {
		return SentDM{}, fromStatus(err)
	}
	return SentDM{ConversationID: r.ConversationId, EventID: r.EventId}, nil
}

func (n *networkClient) ConversationEvents(ctx context.Context, s Session, participantID string, limit int) ([]DMEvent, error) {
	r, err := n.c.ConversationEvents(ctx, &pb.ConversationEventsRequest{Session: sessionToPB(s), ParticipantId: participantID, Limit: int32(limit)})
	if err != nil {
		return nil, fromStatus(err)
	}
	return eventsFromPB(r.Events), nil
}

func (n *networkClient) ReadDMEvents(ctx context.Context, s Session, cursor string) ([]DMEvent, string, error) {
	r, err := n.c.ReadDMEvents(ctx, &pb.ReadDMEventsRequest{Session: sessionToPB(s), Cursor: cursor})
	if err != nil {
		return nil, "", fromStatus(err)
	}
	return eventsFromPB(r.Events), r.Cursor, nil
}

// networkServer serves a Network implementation over gRPC.
type networkServer struct {
	pb.UnimplementedNetworkServer
	impl Network
}

func (s *networkServer) CheckSession(ctx context.Context, r *pb.CheckSessionRequest) (*pb.CheckSessionResponse, error) {
	u, err := s.impl.CheckSession(ctx, sessionFromPB(r.Session))
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.CheckSessionResponse{User: userToPB(u)}, nil
}

func (s *networkServer) LookupUsers(ctx context.Context, r *pb.LookupUsersRequest) (*pb.LookupUsersResponse, error) {
	users, err := s.impl.LookupUsers(ctx, sessionFromPB(r.Session), r.Usernames)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.LookupUsersResponse{Users: usersToPB(users)}, nil
}

func (s *networkServer) Scrape(r *pb.ScrapeRequest, stream grpc.ServerStreamingServer[pb.ScrapePage]) error {
	req := ScrapeRequest{
		Session:  sessionFromPB(r.Session),
		UserID:   r.UserId,
		Relation: Relation(r.Relation),
		Cursor:   r.Cursor,
		PageSize: int(r.PageSize),
	}
	err := s.impl.Scrape(stream.Context(), req, func(p Page) error {
		return stream.Send(&pb.ScrapePage{Users: usersToPB(p.Users), NextCursor: p.NextCursor})
	})
	return toStatus(err)
}

func (s *networkServer) SendDM(ctx context.Context, r *pb.SendDMRequest) (*pb.SendDMResponse, error) {
	sent, err := s.impl.SendDM(ctx, sessionFromPB(r.Session), r.RecipientId, r.Text)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.SendDMResponse{ConversationId: sent.ConversationID, EventId: sent.EventID}, nil
}

func (s *networkServer) ConversationEvents(ctx context.Context, r *pb.ConversationEventsRequest) (*pb.DMEventsResponse, error) {
	events, err := s.impl.ConversationEvents(ctx, sessionFromPB(r.Session), r.ParticipantId, int(r.Limit))
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.DMEventsResponse{Events: eventsToPB(events)}, nil
}

func (s *networkServer) ReadDMEvents(ctx context.Context, r *pb.ReadDMEventsRequest) (*pb.DMEventsResponse, error) {
	events, cursor, err := s.impl.ReadDMEvents(ctx, sessionFromPB(r.Session), r.Cursor)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.DMEventsResponse{Events: eventsToPB(events), Cursor: cursor}, nil
}

func sessionToPB(s Session) *pb.Session {
	return &pb.Session{AccountId: s.AccountID, Handle: s.Handle, UserId: s.UserID, Credentials: s.Credentials, Proxy: s.Proxy}
}

func sessionFromPB(s *pb.Session) Session {
	if s == nil {
		return Session{}
	}
	return Session{AccountID: s.AccountId, Handle: s.Handle, UserID: s.UserId, Credentials: s.Credentials, Proxy: s.Proxy}
}

func userToPB(u User) *pb.User {
	return &pb.User{
		Id: u.ID, Username: u.Username, Name: u.Name, Description: u.Description,
		Location: u.Location, Url: u.URL, Verified: u.Verified, Protected: u.Protected,
		FollowersCount: u.FollowersCount, FollowingCount: u.FollowingCount, TweetCount: u.TweetCount,
		ProfileImageUrl: u.ProfileImageURL, CreatedAtUnixMs: unixMs(u.CreatedAt),
	}
}

func userFromPB(u *pb.User) User {
	if u == nil {
		return User{}
	}
	return User{
		ID: u.Id, Username: u.Username, Name: u.Name, Description: u.Description,
		Location: u.Location, URL: u.Url, Verified: u.Verified, Protected: u.Protected,
		FollowersCount: u.FollowersCount, FollowingCount: u.FollowingCount, TweetCount: u.TweetCount,
		ProfileImageURL: u.ProfileImageUrl, CreatedAt: fromUnixMs(u.CreatedAtUnixMs),
	}
}

func usersToPB(users []User) []*pb.User {
	out := make([]*pb.User, len(users))
	for i, u := range users {
		out[i] = userToPB(u)
	}
	return out
}

func usersFromPB(users []*pb.User) []User {
	out := make([]User, len(users))
	for i, u := range users {
		out[i] = userFromPB(u)
	}
	return out
}

func eventsToPB(events []DMEvent) []*pb.DMEvent {
	out := make([]*pb.DMEvent, len(events))
	for i, e := range events {
		out[i] = &pb.DMEvent{Id: e.ID, ConversationId: e.ConversationID, SenderId: e.SenderID, Text: e.Text, CreatedAtUnixMs: unixMs(e.CreatedAt), EventType: e.EventType}
	}
	return out
}

func eventsFromPB(events []*pb.DMEvent) []DMEvent {
	out := make([]DMEvent, len(events))
	for i, e := range events {
		out[i] = DMEvent{ID: e.Id, ConversationID: e.ConversationId, SenderID: e.SenderId, Text: e.Text, CreatedAt: fromUnixMs(e.CreatedAtUnixMs), EventType: e.EventType}
	}
	return out
}

// unixMs is t in Unix milliseconds, 0 for the zero time (which UnixMilli
// would turn into a large negative number).
func unixMs(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromUnixMs(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
