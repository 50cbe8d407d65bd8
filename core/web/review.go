package web

// reviewService is what the review page needs from the service layer.
type reviewService interface{}

func (d *Dashboard) registerReview() {}
