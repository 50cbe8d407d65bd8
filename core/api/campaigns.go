package api

import "github.com/danielgtaylor/huma/v2"

// campaignsService is what the operations of /campaigns call.
type campaignsService interface{}

// registerCampaigns registers the operations of /campaigns.
func registerCampaigns(api huma.API, svc Service) {}
