package web

// accountsService is what the accounts page needs from the service layer.
type accountsService interface{}

func (d *Dashboard) registerAccounts() {}
