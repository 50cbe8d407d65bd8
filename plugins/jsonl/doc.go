// Package jsonl is a sink plugin that appends events to a file, one JSON
// object a line ({"id", "type", "timestamp", "workspace", "data"}), for
// tools like jq, a log shipper or a nightly import.
//
// It is built from sdk/ alone and runs out of process like any third-party
// plugin; it never imports the host. It does not rotate or truncate the
// file: that is logrotate's job (it reopens the file on every Configure,
// which the host calls after each launch).
package jsonl
