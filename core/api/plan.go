package api

import "github.com/danielgtaylor/huma/v2"

// planService is what the operations of POST /plan call.
type planService interface{}

// registerPlan registers the operations of POST /plan.
func registerPlan(api huma.API, svc Service) {}
