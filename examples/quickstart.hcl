# Quick start: a small DM campaign against the simulated X.
#
#   outreach apply -auto-approve examples/quickstart.hcl
#
# Nothing leaves your machine: sandbox = true sends every account through the
# simulated X built into outreach, so no credentials are needed.

# Settings for the whole configuration. Without a workspace, the "default"
# workspace is used.
settings {
  sandbox = true
}

# The X accounts that send the DMs. A campaign spreads its leads across
# them, and each account waits a random gap between min_gap and max_gap
# between two sends. Real accounts want minutes; the gaps here are short so
# the demo finishes in under two minutes.
account "sales" {
  handle         = "acme_sales"
  daily_dm_limit = 50

  pacing {
    min_gap = "1s"
    max_gap = "3s"
  }
}

account "founder" {
  handle         = "acme_founder"
  daily_dm_limit = 50

  pacing {
    min_gap = "1s"
    max_gap = "3s"
  }
}

# Which scraped leads to keep. Keywords are matched in the lead's bio,
# ignoring case: a lead is kept if its bio mentions any include group and
# no exclude group, and it has between 50 and 100,000 followers.
filter "builders" {
  include_keywords = [["founder"], ["ceo"], ["building"]]
  exclude_keywords = [["recruiter"], ["hiring"]]
  followers        = { min = 50, max = 100000 }
}

# Where leads come from: the followers of two accounts, passed through the
# filter above, stopping after 60 leads are kept.
source "founders" {
  filter    = filter.builders
  max_leads = 60

  target "paulg" {
    followers = true
  }

  target "naval" {
    followers = true
  }
}

# What to send, to whom. Each lead gets one of the two variants (an A/B
# test); {{firstName}} is replaced by the lead's first name. If a lead has
# not replied a minute later, the follow-up is sent. A reply stops it.
campaign "hello" {
  sources   = [source.founders]
  max_leads = 24

  variant {
    message = "Hey {{firstName}}, I saw you're building something. I'd love to hear what you're working on!"
  }

  variant {
    message = "Hi {{firstName}}! Quick question: what's the hardest part of building your company right now?"
  }

  followup {
    after   = "1m"
    message = "Just bumping this up, {{firstName}}. No pressure!"
  }
}
