# An A/B test with follow-ups: three openers, each with its own follow-up
# sequence, split 50/30/20.
#
#   outreach plan examples/ab-followups.hcl
#
# A lead gets one variant. A reply stops its follow-ups at once.

settings {
  workspace = "ab-test"
  sandbox   = true
}

account "sales" {
  handle         = "acme_sales"
  daily_dm_limit = 60

  pacing {
    min_gap = "1m"
    max_gap = "4m"
  }
}

source "builders" {
  max_leads = 300

  target "paulg" {}

  filter {
    include_keywords = [["founder"], ["ceo"]]
    exclude_keywords = [["recruiter"]]
  }
}

campaign "openers" {
  sources   = [source.builders]
  max_leads = 300

  variant {
    weight  = 50
    message = "Hey {{firstName}}, what are you building these days?"

    followup {
      after   = "2d"
      message = "Curious to hear, {{firstName}}!"
    }

    followup {
      after   = "5d"
      message = "Last one from me: happy to help if I can."
    }
  }

  variant {
    weight  = 30
    message = "Hi {{firstName}}! Quick question: how do you find your first customers?"

    followup {
      after   = "36h"
      message = "Bumping this, {{firstName}}. No pressure."
    }
  }

  # No follow-ups of its own: this variant uses the campaign's below.
  variant {
    weight  = 20
    message = "{{firstName}}, loved your last post. Mind if I ask about your stack?"
  }

  followup {
    after   = "4d"
    message = "Following up, {{firstName}}. Still keen to hear."
  }
}
