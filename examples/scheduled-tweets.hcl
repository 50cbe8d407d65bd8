# Scheduled tweets, posted from an account at set times.
#
#   outreach plan examples/scheduled-tweets.hcl
#   outreach plan -var 'launch_at=2030-09-01T14:00:00Z' examples/scheduled-tweets.hcl
#
# `at` is an RFC 3339 time in the future; a tweet has at most 280
# characters. Once a tweet is posted, remove its block.

variable "launch_at" {
  type        = string
  description = "When the launch tweet goes out."
  default     = "2030-06-02T15:00:00Z"
}

settings {
  sandbox = true
}

account "brand" {
  handle = "acme"
}

locals {
  product = "Acme Inbox"
}

tweet "launch" {
  account = account.brand
  text    = "${local.product} is live! Every DM from your team in one inbox. Try it today: https://acme.example"
  at      = var.launch_at
}

tweet "launch_follow_up" {
  account = account.brand
  text    = "24 hours since we launched ${local.product}: thank you for the warm welcome!"
  at      = timeadd(var.launch_at, "24h")
}
