// Package config reads outreach's HCL files into source-level structs.
//
// It keeps what the user wrote and where they wrote it: every block struct has
// a DeclRange, references between blocks (filter.x, source.x, account.x) are
// kept as names and checked to exist but never resolved into pointers, and
// defaults are applied only where the language defines them. Decoding collects
// every problem it finds as an hcl.Diagnostic with a summary, a detail that
// says what to do, and a Subject range, instead of stopping at the first.
//
// Files are decoded in phases, as Packer does: variables (and their values
// from defaults, OUTREACH_VAR_NAME, *.vars.hcl files and -var), then locals
// in dependency order, then settings, then every other block. Values from
// sensitive variables are marked, and the values they end up in are listed
// in [Config.SensitiveValues] so that plans can hide them.
//
// It is not the plan or the engine: it has no side effects beyond reading the
// files it is given (and those file() names), knows nothing of the store or
// of X, and does not decide what to change. Package plan diffs a [Config]
// against the store. It asks core/webhook's guard, a pure function, which
// webhook addresses deliveries will be refused, to warn about them.
// schema/config/reference.md documents the language; a test keeps it and
// the schemas here in step.
//
// Blocks of the language, and the files that decode them:
//
//	variable "NAME" { type default sensitive description }  variables.go
//	locals { NAME = EXPR ... }                              locals.go
//	settings { workspace sandbox workers policy allow_private_webhooks reveal_secrets api_rate_limit
//	           account_defaults {...} campaign_defaults {...} } settings.go
//	plugin "NAME" { source version config {...} }           plugin.go, version.go
//	account "NAME" { handle network cookies tokens proxy proxy_auth
//	                 xchat_pin ai_setter daily_*_limit paused
//	                 followups_paused warmup_paused
//	                 pacing {...} active_hours {...} warmup {...} }
//	                                  account.go, credentials.go, pacing.go,
//	                                  window.go, warmup.go
//	filter "NAME" { include_keywords ... where }            filter.go
//	source "NAME" { target "HANDLE" {...} filter max_leads schedule }
//	                                                        source.go, schedule.go
//	campaign "NAME" { sources accounts message max_leads dedupe follow like
//	                  schedule variant {...} followup {...} comment {...}
//	                  window {...} }                        campaign.go, followup.go
//	webhook "NAME" { url events secret retries backoff }    webhook.go,
//	                                  webhook_url.go, webhook_secret.go
//	tweet "NAME" { account text at }                        tweet.go
//
// Functions: the HCL standard library (functions.go) plus env() (func_env.go),
// file() (func_file.go) and timeadd().
package config
