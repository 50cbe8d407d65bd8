package sdk

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	pb "github.com/outreachhq/outreach/sdk/proto/pluginv1"
)

// basePlugin carries the Plugin service over go-plugin.
type basePlugin struct {
	plugin.NetRPCUnsupportedPlugin
	impl Plugin
}

func (p *basePlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	pb.RegisterPluginServer(s, &baseServer{impl: p.impl})
	return nil
}

func (p *basePlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &baseClient{c: pb.NewPluginClient(c)}, nil
}

// baseClient is the host's Plugin, backed by gRPC.
type baseClient struct{ c pb.PluginClient }

var _ Plugin = (*baseClient)(nil)

func (b *baseClient) Info(ctx context.Context) (Info, error) {
	r, err := b.c.Info(ctx, &pb.InfoRequest{})
	if err != nil {
		return Info{}, fromStatus(err)
	}
	return Info{Name: r.Name, Version: r.Version, Kinds: r.Kinds, Capabilities: r.Capabilities}, nil
}

func (b *baseClient) ConfigSchema(ctx context.Context) ([]ConfigField, error) {
	r, err := b.c.ConfigSchema(ctx, &pb.ConfigSchemaRequest{})
	if err != nil {
		return nil, fromStatus(err)
	}
	fields := make([]ConfigField, len(r.Fields))
	for i, f := range r.Fields {
		fields[i] = ConfigField{Name: f.Name, Type: f.Type, Required: f.Required, Sensitive: f.Sensitive, Description: f.Description}
	}
	return fields, nil
}

func (b *baseClient) Configure(ctx context.Context, config json.RawMessage) error {
	_, err := b.c.Configure(ctx, &pb.ConfigureRequest{ConfigJson: config})
	return fromStatus(err)
}

// baseServer serves a Plugin implementation over gRPC.
type baseServer struct {
	pb.UnimplementedPluginServer
	impl Plugin
}

func (s *baseServer) Info(ctx context.Context, _ *pb.InfoRequest) (*pb.InfoResponse, error) {
	info, err := s.impl.Info(ctx)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.InfoResponse{Name: info.Name, Version: info.Version, Kinds: info.Kinds, Capabilities: info.Capabilities}, nil
}

func (s *baseServer) ConfigSchema(ctx context.Context, _ *pb.ConfigSchemaRequest) (*pb.ConfigSchemaResponse, error) {
	fields, err := s.impl.ConfigSchema(ctx)
	if err != nil {
		return nil, toStatus(err)
	}
	out := &pb.ConfigSchemaResponse{Fields: make([]*pb.ConfigField, len(fields))}
	for i, f := range fields {
		out.Fields[i] = &pb.ConfigField{Name: f.Name, Type: f.Type, Required: f.Required, Sensitive: f.Sensitive, Description: f.Description}
	}
	return out, nil
}

func (s *baseServer) Configure(ctx context.Context, r *pb.ConfigureRequest) (*pb.ConfigureResponse, error) {
	if err := s.impl.Configure(ctx, r.ConfigJson); err != nil {
		return nil, toStatus(err)
	}
	return &pb.ConfigureResponse{}, nil
}
