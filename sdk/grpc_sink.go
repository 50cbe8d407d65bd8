package sdk

import (
	"context"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/outreachhq/outreach/sdk/proto/pluginv1"
)

// sinkPlugin carries the Sink service over go-plugin.
type sinkPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	impl Sink
}

func (p *sinkPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	pb.RegisterSinkServer(s, &sinkServer{impl: p.impl})
	return nil
}

func (p *sinkPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &sinkClient{c: pb.NewSinkClient(c)}, nil
}

// sinkClient is the host's Sink, backed by gRPC.
type sinkClient struct{ c pb.SinkClient }

var _ Sink = (*sinkClient)(nil)

func (s *sinkClient) Emit(ctx context.Context, events []Event) error {
	req := &pb.EmitRequest{Events: make([]*pb.Event, len(events))}
	for i, e := range events {
		req.Events[i] = eventToPB(e)
	}
	_, err := s.c.Emit(ctx, req)
	return fromStatus(err)
}

// sinkServer serves a Sink implementation over gRPC.
type sinkServer struct {
	pb.UnimplementedSinkServer
	impl Sink
}

func (s *sinkServer) Emit(ctx context.Context, r *pb.EmitRequest) (*pb.EmitResponse, error) {
	events := make([]Event, len(r.Events))
	for i, e := range r.Events {
		events[i] = eventFromPB(e)
	}
	if err := s.impl.Emit(ctx, events); err != nil {
		return nil, toStatus(err)
	}
	return &pb.EmitResponse{}, nil
}

func eventToPB(e Event) *pb.Event {
	out := &pb.Event{Id: e.ID, Type: e.Type, Workspace: e.Workspace, DataJson: e.Data}
	if !e.Timestamp.IsZero() {
		out.Timestamp = timestamppb.New(e.Timestamp)
	}
	return out
}

func eventFromPB(e *pb.Event) Event {
	out := Event{ID: e.Id, Type: e.Type, Workspace: e.Workspace, Data: e.DataJson}
	if e.Timestamp != nil {
		out.Timestamp = e.Timestamp.AsTime()
	}
	return out
}
