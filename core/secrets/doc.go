// Package secrets keeps secrets out of plain text: it makes and hashes API
// keys, seals account credentials and webhook secrets at rest (AES-GCM under
// a key kept in the data dir), and computes keyed digests of secrets so that
// a plan can see one changed without showing it.
//
// It is not a key-management system: the sealing key lives in the data dir.
package secrets
