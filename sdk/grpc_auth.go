package sdk

import (
	"context"
	"time"

	pb "github.com/outreachhq/outreach/sdk/proto/pluginv1"
)

// The Auth service's shims. The client implements Authorizer and Pricer
// for every network plugin; the server answers Permanent for a plugin that
// implements neither, as a plugin built before the service existed does
// (with UNIMPLEMENTED, which fromStatus makes Permanent).

var (
	_ Authorizer = (*networkClient)(nil)
	_ Pricer     = (*networkClient)(nil)
)

func (n *networkClient) AuthSpec(ctx context.Context) (AuthSpec, error) {
	r, err := n.a.AuthSpec(ctx, &pb.AuthSpecRequest{})
	if err != nil {
		return AuthSpec{}, fromStatus(err)
	}
	return AuthSpec{RedirectURL: r.RedirectUrl, Scopes: r.Scopes, App: r.App}, nil
}

func (n *networkClient) AuthorizeURL(ctx context.Context, req AuthorizeRequest) (string, error) {
	r, err := n.a.AuthorizeURL(ctx, &pb.AuthorizeURLRequest{
		State: req.State, CodeChallenge: req.CodeChallenge, RedirectUrl: req.RedirectURL, LoginHint: req.LoginHint,
	})
	if err != nil {
		return "", fromStatus(err)
	}
	return r.Url, nil
}

func (n *networkClient) ExchangeCode(ctx context.Context, req ExchangeRequest) (Token, error) {
	r, err := n.a.ExchangeCode(ctx, &pb.ExchangeCodeRequest{
		Code: req.Code, CodeVerifier: req.CodeVerifier, RedirectUrl: req.RedirectURL, Proxy: req.Proxy,
	})
	if err != nil {
		return Token{}, fromStatus(err)
	}
	return tokenFromPB(r), nil
}

func (n *networkClient) RefreshToken(ctx context.Context, req RefreshRequest) (Token, error) {
	r, err := n.a.RefreshToken(ctx, &pb.RefreshTokenRequest{RefreshToken: req.RefreshToken, Proxy: req.Proxy})
	if err != nil {
		return Token{}, fromStatus(err)
	}
	return tokenFromPB(r), nil
}

func (n *networkClient) Prices(ctx context.Context) (PriceTable, error) {
	r, err := n.a.Prices(ctx, &pb.PricesRequest{})
	if err != nil {
		return PriceTable{}, fromStatus(err)
	}
	t := PriceTable{AsOf: r.AsOf, Currency: r.Currency, Prices: make([]Price, len(r.Prices))}
	for i, p := range r.Prices {
		t.Prices[i] = Price{Operation: p.Operation, PerRequest: p.PerRequest, PerResource: p.PerResource}
	}
	return t, nil
}

// authServer serves the Auth service of a network plugin.
type authServer struct {
	pb.UnimplementedAuthServer
	impl Network
}

func (s *authServer) authorizer() (Authorizer, error) {
	a, ok := s.impl.(Authorizer)
	if !ok {
		return nil, toStatus(Errorf(Permanent, "this network plugin does not sign accounts in"))
	}
	return a, nil
}

func (s *authServer) AuthSpec(ctx context.Context, _ *pb.AuthSpecRequest) (*pb.AuthSpecResponse, error) {
	a, err := s.authorizer()
	if err != nil {
		return nil, err
	}
	spec, err := a.AuthSpec(ctx)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.AuthSpecResponse{RedirectUrl: spec.RedirectURL, Scopes: spec.Scopes, App: spec.App}, nil
}

func (s *authServer) AuthorizeURL(ctx context.Context, r *pb.AuthorizeURLRequest) (*pb.AuthorizeURLResponse, error) {
	a, err := s.authorizer()
	if err != nil {
		return nil, err
	}
	u, err := a.AuthorizeURL(ctx, AuthorizeRequest{
		State: r.State, CodeChallenge: r.CodeChallenge, RedirectURL: r.RedirectUrl, LoginHint: r.LoginHint,
	})
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.AuthorizeURLResponse{Url: u}, nil
}

func (s *authServer) ExchangeCode(ctx context.Context, r *pb.ExchangeCodeRequest) (*pb.Token, error) {
	a, err := s.authorizer()
	if err != nil {
		return nil, err
	}
	t, err := a.ExchangeCode(ctx, ExchangeRequest{Code: r.Code, CodeVerifier: r.CodeVerifier, RedirectURL: r.RedirectUrl, Proxy: r.Proxy})
	if err != nil {
		return nil, toStatus(err)
	}
	return tokenToPB(t), nil
}

func (s *authServer) RefreshToken(ctx context.Context, r *pb.RefreshTokenRequest) (*pb.Token, error) {
	a, err := s.authorizer()
	if err != nil {
		return nil, err
	}
	t, err := a.RefreshToken(ctx, RefreshRequest{RefreshToken: r.RefreshToken, Proxy: r.Proxy})
	if err != nil {
		return nil, toStatus(err)
	}
	return tokenToPB(t), nil
}

func (s *authServer) Prices(ctx context.Context, _ *pb.PricesRequest) (*pb.PriceTable, error) {
	p, ok := s.impl.(Pricer)
	if !ok {
		return nil, toStatus(Errorf(Permanent, "this network plugin does not declare prices"))
	}
	t, err := p.Prices(ctx)
	if err != nil {
		return nil, toStatus(err)
	}
	out := &pb.PriceTable{AsOf: t.AsOf, Currency: t.Currency, Prices: make([]*pb.Price, len(t.Prices))}
	for i, pr := range t.Prices {
		out.Prices[i] = &pb.Price{Operation: pr.Operation, PerRequest: pr.PerRequest, PerResource: pr.PerResource}
	}
	return out, nil
}

func tokenToPB(t Token) *pb.Token {
	return &pb.Token{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, ExpiresInMs: t.ExpiresIn.Milliseconds(), Scopes: t.Scopes}
}

func tokenFromPB(t *pb.Token) Token {
	if t == nil {
		return Token{}
	}
	return Token{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, ExpiresIn: time.Duration(t.ExpiresInMs) * time.Millisecond, Scopes: t.Scopes}
}
