package web

import "net/http"

// overviewService is what the overview needs from the service layer.
type overviewService interface{}

func (d *Dashboard) registerOverview() {
	d.handle("GET /{$}", d.overview)
}

func (d *Dashboard) overview(w http.ResponseWriter, r *request) {
	d.render(w, r, http.StatusOK, "overview", view{Title: "Overview", Nav: "overview"})
}
