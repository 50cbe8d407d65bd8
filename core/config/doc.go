// Package config reads outreach's HCL files into source-level structs.
//
// It keeps what the user wrote and where they wrote it: every block struct has
// a DeclRange, references between blocks (filter.x, source.x, account.x) are
// kept as names and checked to exist but never resolved into pointers, and
// defaults are applied only where the language defines them. Decoding collects
// every problem it finds as an hcl.Diagnostic with a summary, a detail that
// says what to do, and a Subject range, instead of stopping at the first.
//
// It is not the plan or the engine: it has no side effects beyond reading the
// files it is given, knows nothing of the store or of X, and does not decide
// what to change. Package plan diffs a [Config] against the store.
//
// Blocks and attributes of the language, one file each:
//
//	settings { workspace sandbox }                          settings.go
//	account "NAME" { handle network daily_dm_limit paused
//	                 followups_paused warmup_paused
//	                 pacing { min_gap max_gap } }           account.go, pacing.go
//	filter "NAME" { include_keywords ... where }            filter.go
//	source "NAME" { target "HANDLE" { followers following }
//	                filter = filter.NAME | filter { ... }
//	                max_leads }                             source.go
//	campaign "NAME" { sources accounts message max_leads dedupe
//	                  variant { message followup {...} }
//	                  followup { after message } }          campaign.go, followup.go
package config
