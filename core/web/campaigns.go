package web

// campaignsService is what the campaigns page needs from the service layer.
type campaignsService interface{}

func (d *Dashboard) registerCampaigns() {}
