package api

import "github.com/danielgtaylor/huma/v2"

// credentialsService is what the operations of the credential job (/get-cookies) call.
type credentialsService interface{}

// registerCredentials registers the operations of the credential job (/get-cookies).
func registerCredentials(api huma.API, svc Service) {}
