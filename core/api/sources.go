package api

import "github.com/danielgtaylor/huma/v2"

// sourcesService is what the operations of /scraping-sources call.
type sourcesService interface{}

// registerSources registers the operations of /scraping-sources.
func registerSources(api huma.API, svc Service) {}
