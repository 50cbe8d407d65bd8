// Package api is the REST API that `outreach serve` exposes under /api/v1.
// It is wire-compatible with the hosted product's API (same paths, field
// names, status codes and headers) and serves its own OpenAPI document at
// /openapi.yaml and /openapi.json.
//
// The package owns what is particular to HTTP: API-key authentication,
// per-key rate limits, request ids, the error body and the mapping of
// service errors to statuses (all in errors.go), and the wire types of each
// resource. It holds no business rules: every operation calls the narrow
// Service interface declared here, which *service.Service implements.
//
// Each resource lives in one file with one register function (accounts.go:
// registerAccounts), in huma's style: operations have stable kebab-case
// OperationIDs, and every operation registered on the /api/v1 group gets the
// security requirement, the common error responses and the rate-limit
// headers in the OpenAPI document without repeating them (and 404 when its
// path names an object). webhooks.go exports its wire types: `outreach
// webhooks` prints them, whether it reads the store or this API.
//
// The document also describes what outreach sends: one OpenAPI webhook per
// event type of sdk.EventTypes (webhooks_doc.go, webhook_events.go), with
// each event's data schema generated from its sdk type, an example, the
// signature headers and the retry rules. OpenAPI 3.0 has no webhooks, so
// the 3.0 document carries them as x-webhooks (openapi30.go).
//
// It does not listen: New builds a handler, and the caller (the CLI) owns the
// http.Server and its lifetime.
package api
