package web

// tweetsService is what the tweets page needs from the service layer.
type tweetsService interface{}

func (d *Dashboard) registerTweets() {}
