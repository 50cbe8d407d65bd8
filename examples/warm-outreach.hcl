# Warm outreach: engage each lead before the first DM, re-scrape the
# source every weekday morning, and announce the launch with a tweet.
#
#   outreach plan examples/warm-outreach.hcl
#   outreach apply -auto-approve -var 'launch_at=2030-09-01T14:00:00Z' examples/warm-outreach.hcl
#
# It runs on the simulated X, with no credentials. apply runs what is due
# now (the scrape, the engagement, the first DMs), prints when the
# schedule runs next, and waits for the tweet's time; `outreach serve`
# keeps running the schedule.

variable "launch_at" {
  type        = string
  description = "When the launch tweet goes out: an RFC 3339 time in the future."
  default     = "2030-06-02T15:00:00Z"
}

settings {
  sandbox = true
}

# One account does everything: it follows, likes, comments and sends. Each
# step has its own daily cap; a step over its cap is skipped, with the
# reason stored, and the DM still goes.
account "sales" {
  handle              = "acme_sales"
  daily_dm_limit      = 40
  daily_follow_limit  = 40
  daily_like_limit    = 40
  daily_comment_limit = 5

  pacing {
    min_gap = "1s"
    max_gap = "3s"
  }
}

filter "builders" {
  include_keywords = [["founder"], ["ceo"], ["building"]]
  followers        = { min = 50, max = 100000 }
}

# The followers of @paulg, again every weekday at 8:00 in New York: each
# run adds only the leads it has not seen.
source "founders" {
  filter    = filter.builders
  max_leads = 30
  schedule  = "CRON_TZ=America/New_York 0 8 * * mon-fri"

  target "paulg" {
    followers = true
  }
}

# Before its first DM, each lead is followed, their latest post liked and
# commented on (by the AI plugin from the template; offline, a short template reply). A lead
# with no posts gets the follow and the DM; a protected one gets a follow
# request.
campaign "warm_intro" {
  sources   = [source.founders]
  max_leads = 12

  follow = true
  like   = true

  comment {
    template = "Great insights on {{topic}}, {{firstName}}!"
  }

  message = "Hey {{firstName}}, enjoyed your latest post. What are you building next?"

  followup {
    after   = "4h"
    message = "Just bumping this up, {{firstName}}. No pressure!"
  }
}

tweet "launch" {
  account = account.sales
  text    = "We just shipped warm outreach: follow, like, comment, then say hello. https://acme.example"
  at      = var.launch_at
}
