package main

import "github.com/outreachhq/outreach/sdk"

func main() {
	s := New()
	sdk.Serve(sdk.ServeConfig{Plugin: s, Sink: s})
}
