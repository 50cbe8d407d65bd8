package web

// overviewService is what the overview page needs from the service layer.
type overviewService interface{}

func (d *Dashboard) registerOverview() {}
