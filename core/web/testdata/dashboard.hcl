# The dashboard's browser test (browser_test.go) serves this configuration
# with `outreach serve --sandbox-url` against `outreach sandbox`: a campaign
# in flight on the simulated X, quick enough to watch in a browser. Two
# accounts send a DM about every second each; the sandbox's prospects all
# reply a second or three later.

settings {
  sandbox = true
}

account "sales" {
  handle         = "acme_sales"
  daily_dm_limit = 100

  pacing {
    min_gap = "500ms"
    max_gap = "1s"
  }
}

account "founder" {
  handle         = "acme_founder"
  daily_dm_limit = 100

  pacing {
    min_gap = "500ms"
    max_gap = "1s"
  }
}

# No follower bounds: the test makes the target's first follower a
# founder (through the sandbox's profiles), and the filter must keep them.
filter "builders" {
  include_keywords = [["founder"], ["ceo"], ["building"]]
}

source "founders" {
  filter    = filter.builders
  max_leads = 16

  target "paulg" {
    followers = true
  }
}

campaign "hello" {
  sources   = [source.founders]
  max_leads = 16

  variant {
    message = "Hey {{firstName}}, I saw you're building something. What are you working on?"
  }

  variant {
    message = "Hi {{firstName}}! What's the hardest part of building your company right now?"
  }
}
