package api

import "github.com/danielgtaylor/huma/v2"

// conversationsService is what the operations of /conversations and /dm/send call.
type conversationsService interface{}

// registerConversations registers the operations of /conversations and /dm/send.
func registerConversations(api huma.API, svc Service) {}
