package api

import "github.com/danielgtaylor/huma/v2"

// tweetsService is what the operations of /scheduled-tweets call.
type tweetsService interface{}

// registerTweets registers the operations of /scheduled-tweets.
func registerTweets(api huma.API, svc Service) {}
