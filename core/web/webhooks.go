package web

// webhooksService is what the webhooks page needs from the service layer.
type webhooksService interface{}

func (d *Dashboard) registerWebhooks() {}
