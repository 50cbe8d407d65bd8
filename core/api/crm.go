package api

import "github.com/danielgtaylor/huma/v2"

// crmService is what the operations of /crm call.
type crmService interface{}

// registerCRM registers the operations of /crm.
func registerCRM(api huma.API, svc Service) {}
