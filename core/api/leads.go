package api

import "github.com/danielgtaylor/huma/v2"

// leadsService is what the operations of lead lists from CSV and the do-not-contact list call.
type leadsService interface{}

// registerLeads registers the operations of lead lists from CSV and the do-not-contact list.
func registerLeads(api huma.API, svc Service) {}
