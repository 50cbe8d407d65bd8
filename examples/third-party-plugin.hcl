# A third-party plugin: an external binary built against outreach's SDK,
# declared with a version constraint and its configuration. The template in
# examples/plugins/csv-sink appends every event to a CSV file:
#
#   go build -o bin/outreach-plugin-csv-sink ./examples/plugins/csv-sink
#   outreach validate examples/third-party-plugin.hcl
#
# `source` is a path relative to this file (here bin/ at the repository
# root), or the name of a built-in plugin ("x"). The attributes of `config`
# are passed to the plugin as JSON. validate (and plan and apply) launch the
# plugin to check that it exists, meets the version constraint and declares
# every config attribute with the type given here. `events` picks the event
# types the sink receives (every type without it).

variable "events_file" {
  type        = string
  description = "Where the CSV sink appends events: an absolute path."
  default     = "/tmp/outreach-events.csv"
}

settings {
  sandbox = true
}

plugin "csv" {
  source  = "../bin/outreach-plugin-csv-sink"
  version = ">= 0.1.0, < 2.0.0"
  events  = ["new_reply", "dm_sent", "lead_opted_out"]

  config {
    path = var.events_file
  }
}

# The built-in X connector, named explicitly; without a plugin block it is
# used anyway, with its defaults.
plugin "x" {}

account "sales" {
  handle  = "acme_sales"
  network = "x"
}
