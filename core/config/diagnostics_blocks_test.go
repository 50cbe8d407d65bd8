package config

import "strings"

// blockDiagnosticCases are the mistakes in the blocks and inputs beyond the
// first five kinds: variables, locals, plugins, account options, campaign
// options, schedules, webhooks and tweets. TestDiagnostics checks them with
// diagnosticCases.
var blockDiagnosticCases = []diagnosticCase{
	// Variables and locals.
	{"duplicate variable", `variable "a" {
  default = 1
}
variable "a" {
  default = 2
}`, "Duplicate variable", 4, 1},
	{"required variable without a value", `variable "token" {
  type = string
}`, "No value for required variable", 1, 1},
	{"default of the wrong type", `variable "n" {
  type    = number
  default = "many"
}`, "Invalid default value for variable", 3, 13},
	{"type in quotes", `variable "n" {
  type = "string"
}`, "Invalid type", 2, 10},
	{"variable name not an identifier", `variable "my var" {
  default = 1
}`, "Invalid variable name", 1, 10},
	{"default refers to a variable", `variable "a" {
  default = 1
}
variable "b" {
  default = var.a
}`, "Variables not allowed", 5, 13},
	{"undeclared local", `account "a" {
  handle = local.handle
}`, "Reference to undeclared local value", 2, 12},
	{"duplicate local", `locals {
  a = 1
}
locals {
  a = 2
}`, "Duplicate local value", 5, 3},
	{"cycle in locals", `locals {
  a = local.b
  b = local.c
  c = local.a
}`, "Cycle in local values", 2, 3},
	{"local refers to itself", `locals {
  a = "${local.a}x"
}`, "Cycle in local values", 2, 3},
	{"unset environment variable", `account "a" {
  handle = env("OUTREACH_TEST_SURELY_UNSET_VARIABLE")
}`, "Error in function call", 2, 12},
	{"file that does not exist", `webhook "w" {
  url = trimspace(file("no-such-file.txt"))
}`, "Error in function call", 2, 19},

	// Plugins.
	{"plugin source neither name nor path", `plugin "crm" {
  source = "My Plugin"
}`, "Invalid plugin source", 2, 12},
	{"plugin version constraint", `plugin "crm" {
  version = "at least 1"
}`, "Invalid version constraint", 2, 13},
	{"duplicate plugin", `plugin "x" {}
plugin "x" {}`, "Duplicate plugin", 2, 1},
	{"sink event type unknown", `plugin "events" {
  source = "jsonl"
  events = ["dm_sent", "dm_received"]
}`, "Unknown event type", 3, 24},
	{"sink events empty", `plugin "events" {
  source = "jsonl"
  events = []
}`, "Empty events", 3, 12},
	{"sink events not a list", `plugin "events" {
  events = "dm_sent"
}`, "Incorrect attribute value type", 2, 12},
	{"plugin config with a block", `plugin "crm" {
  config {
    nested {}
  }
}`, "Unexpected \"nested\" block", 3, 5},

	// Account options.
	{"cookies without ct0", `account "a" {
  handle  = "acme"
  cookies = { auth_token = "t" }
}`, "Incomplete cookies", 3, 13},
	{"cookies of the wrong shape", `account "a" {
  handle  = "acme"
  cookies = "auth_token=t; ct0=c"
}`, "Invalid cookies", 3, 13},
	{"proxy without a port", `account "a" {
  handle = "acme"
  proxy  = "proxy.example.com"
}`, "Invalid proxy", 3, 12},
	{"proxy with credentials", `account "a" {
  handle = "acme"
  proxy  = "http://me:secret@proxy.example.com:8080"
}`, "Invalid proxy", 3, 12},
	{"proxy_auth without proxy", `account "a" {
  handle     = "acme"
  proxy_auth = "me:secret"
}`, "Proxy credentials without a proxy", 3, 16},
	{"proxy_auth without a colon", `account "a" {
  handle     = "acme"
  proxy      = "proxy.example.com:8080"
  proxy_auth = "secret"
}`, "Invalid proxy_auth", 4, 16},
	{"xchat pin not digits", `account "a" {
  handle    = "acme"
  xchat_pin = "12ab"
}`, "Invalid X chat PIN", 3, 15},
	{"negative follow limit", `account "a" {
  handle             = "acme"
  daily_follow_limit = -1
}`, "Invalid daily limit", 3, 24},
	{"negative jitter", `account "a" {
  handle = "acme"
  pacing {
    jitter = "-5s"
  }
}`, "Invalid pacing jitter", 4, 14},
	{"time of day out of range", `account "a" {
  handle = "acme"
  active_hours {
    start = "25:00"
  }
}`, "Invalid time of day", 4, 13},
	{"unknown time zone", `account "a" {
  handle = "acme"
  active_hours {
    time_zone = "Mars/Olympus"
  }
}`, "Unknown time zone", 4, 17},
	{"unknown day", `account "a" {
  handle = "acme"
  active_hours {
    days = ["mon", "funday"]
  }
}`, "Invalid days", 4, 12},
	{"window that never opens", `account "a" {
  handle = "acme"
  active_hours {
    start = "09:00"
    end   = "09:00"
  }
}`, "Empty time window", 5, 13},
	{"warmup starting at zero", `account "a" {
  handle = "acme"
  warmup {
    start = 0
  }
}`, "Invalid warmup start", 4, 13},
	{"duplicate active hours", `account "a" {
  handle = "acme"
  active_hours {}
  active_hours {}
}`, "Duplicate active_hours block", 4, 3},
	{"handle in account defaults", `settings {
  account_defaults {
    handle = "acme"
  }
}`, "Unsupported argument", 3, 5},

	// Campaign options and schedules.
	{"cron that does not parse", validSource + `campaign "c" {
  sources  = [source.s]
  message  = "hi"
  schedule = "every monday"
}`, "Invalid cron schedule", 7, 14},
	{"cron with too many fields", `source "s" {
  target "paulg" {}
  schedule = "0 0 8 * * mon 2030"
}`, "Invalid cron schedule", 3, 14},
	{"schedule every second", `source "s" {
  target "paulg" {}
  schedule = "@every 1s"
}`, "Schedule too frequent", 3, 14},
	{"variant weight zero", validSource + `campaign "c" {
  sources = [source.s]
  variant {
    message = "a"
    weight  = 0
  }
}`, "Invalid variant weight", 8, 15},
	{"duplicate window", validSource + `campaign "c" {
  sources = [source.s]
  message = "hi"
  window {}
  window {}
}`, "Duplicate window block", 8, 3},
	{"comment with an unknown attribute", validSource + `campaign "c" {
  sources = [source.s]
  message = "hi"
  comment {
    text = "nice"
  }
}`, "Unsupported argument", 8, 5},

	// Webhooks.
	{"webhook without url", `webhook "w" {
  events = ["new_reply"]
}`, "Missing required argument", 1, 13},
	{"webhook url not http", `webhook "w" {
  url = "ftp://example.com/hook"
}`, "Invalid webhook URL", 2, 9},
	{"webhook url with credentials", `webhook "w" {
  url = "https://me:pw@example.com/hook"
}`, "Credentials in webhook URL", 2, 9},
	{"unknown webhook event", `webhook "w" {
  url    = "https://example.com/hook"
  events = ["new_reply", "dm_delivered"]
}`, "Invalid webhook events", 3, 12},
	{"webhook secret without whsec_", `webhook "w" {
  url    = "https://example.com/hook"
  secret = "hunter2"
}`, "Invalid webhook secret", 3, 12},
	{"duplicate webhook", `webhook "w" {
  url = "https://example.com/a"
}
webhook "w" {
  url = "https://example.com/b"
}`, "Duplicate webhook", 4, 1},

	// Tweets.
	{"tweet over 280 characters", validAccount + `tweet "t" {
  account = account.main
  text    = "` + longText + `"
  at      = "2099-01-01T00:00:00Z"
}`, "Tweet too long", 6, 13},
	{"tweet in the past", validAccount + `tweet "t" {
  account = account.main
  text    = "hello"
  at      = "2020-01-01T00:00:00Z"
}`, "Tweet in the past", 7, 13},
	{"tweet time without a zone", validAccount + `tweet "t" {
  account = account.main
  text    = "hello"
  at      = "2099-01-01 09:00"
}`, "Invalid time", 7, 13},
	{"tweet from an unknown account", validAccount + `tweet "t" {
  account = account.brand
  text    = "hello"
  at      = "2099-01-01T00:00:00Z"
}`, "Unknown account", 5, 13},
	{"tweet account in quotes", validAccount + `tweet "t" {
  account = "main"
  text    = "hello"
  at      = "2099-01-01T00:00:00Z"
}`, "Invalid reference", 5, 13},
	{"empty tweet", validAccount + `tweet "t" {
  account = account.main
  text    = " "
  at      = "2099-01-01T00:00:00Z"
}`, "Empty tweet", 6, 13},
}

// longText has 281 characters, counting the multi-byte ones as one each.
var longText = "é" + strings.Repeat("x", 280)
