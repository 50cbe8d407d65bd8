package web

// sourcesService is what the sources page needs from the service layer.
type sourcesService interface{}

func (d *Dashboard) registerSources() {}
