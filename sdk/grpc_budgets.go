package sdk

import (
	"context"
	"time"

	pb "github.com/outreachhq/outreach/sdk/proto/pluginv1"
)

// The rate-budget half of the Network shims. The client implements
// RateBudgeter for every network plugin; the server answers Permanent for a
// plugin that does not implement it, as a plugin built before the RPC
// existed does (with UNIMPLEMENTED, which fromStatus makes Permanent).

var _ RateBudgeter = (*networkClient)(nil)

func (n *networkClient) RateBudgets(ctx context.Context) ([]Budget, error) {
	r, err := n.c.RateBudgets(ctx, &pb.RateBudgetsRequest{})
	if err != nil {
		return nil, fromStatus(err)
	}
	out := make([]Budget, len(r.Budgets))
	for i, b := range r.Budgets {
		out[i] = Budget{Operation: b.Operation, Requests: int(b.Requests), Window: time.Duration(b.WindowMs) * time.Millisecond, Scope: b.Scope}
	}
	return out, nil
}

func (s *networkServer) RateBudgets(ctx context.Context, _ *pb.RateBudgetsRequest) (*pb.RateBudgetsResponse, error) {
	rb, ok := s.impl.(RateBudgeter)
	if !ok {
		return nil, toStatus(Errorf(Permanent, "this network plugin does not declare rate budgets"))
	}
	budgets, err := rb.RateBudgets(ctx)
	if err != nil {
		return nil, toStatus(err)
	}
	out := &pb.RateBudgetsResponse{Budgets: make([]*pb.Budget, len(budgets))}
	for i, b := range budgets {
		out.Budgets[i] = &pb.Budget{Operation: b.Operation, Requests: int64(b.Requests), WindowMs: b.Window.Milliseconds(), Scope: b.Scope}
	}
	return out, nil
}
