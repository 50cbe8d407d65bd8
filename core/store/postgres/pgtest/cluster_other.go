//go:build !unix

package pgtest

import "context"

// cluster is not supported off unix: the tests need OUTREACH_TEST_POSTGRES.
type cluster struct{ statements bool }

func (c *cluster) url(string) string { return "" }

func (c *cluster) stop() {}

func startCluster(context.Context, bool) (*cluster, error) { return nil, errNotFound }
