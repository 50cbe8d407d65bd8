// Package secrets keeps secrets out of plain text: it makes and hashes API
// keys, and (in a later step) seals account credentials at rest.
//
// It is not a key-management system: the sealing key lives in the data dir.
package secrets
