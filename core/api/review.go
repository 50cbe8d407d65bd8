package api

import "github.com/danielgtaylor/huma/v2"

// reviewService is what the operations of the needs_review queue call.
type reviewService interface{}

// registerReview registers the operations of the needs_review queue.
func registerReview(api huma.API, svc Service) {}
