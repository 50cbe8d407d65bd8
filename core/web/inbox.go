package web

// inboxService is what the inbox page needs from the service layer.
type inboxService interface{}

func (d *Dashboard) registerInbox() {}
