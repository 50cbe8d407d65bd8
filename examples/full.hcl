# A full campaign: every block of the language in one file, on the
# simulated X.
#
#   outreach plan examples/full.hcl
#   outreach apply -auto-approve examples/full.hcl
#
# For real accounts, drop `sandbox = true`, give the x plugin your X app's
# client id, and sign each account in with `outreach accounts login`: see
# real-x.hcl. Secrets come through the environment, where they never touch
# a file:
#
#   export OUTREACH_VAR_sales_auth_token=...  OUTREACH_VAR_sales_ct0=...
#
# Plans print them as (sensitive value), and the data dir keeps them
# encrypted. (The cookies are kept for the hosted API's compatibility and
# for web-session plugins; the x plugin acts with OAuth tokens.)

variable "sales_auth_token" {
  type        = string
  sensitive   = true
  description = "The auth_token cookie of @acme_sales."
  default     = "sandbox-auth-token"
}

variable "sales_ct0" {
  type      = string
  sensitive = true
  default   = "sandbox-ct0"
}

variable "proxy_password" {
  type      = string
  sensitive = true
  default   = "sandbox-password"
}

variable "daily_dms" {
  type    = number
  default = 40
}

locals {
  office_hours = {
    start     = "09:00"
    end       = "18:00"
    time_zone = "America/New_York"
  }
  signature = "Sam from Acme"
}

settings {
  workspace = "acme"
  sandbox   = true

  # What every account and campaign starts from; each block can override.
  account_defaults {
    daily_dm_limit = var.daily_dms

    pacing {
      min_gap = "2m"
      max_gap = "6m"
      jitter  = "1m"
    }

    active_hours {
      start     = local.office_hours.start
      end       = local.office_hours.end
      time_zone = local.office_hours.time_zone
      days      = ["mon", "tue", "wed", "thu", "fri"]
    }

    # A new account sends 10 DMs on its first day and 5 more each day after.
    warmup {
      start    = 10
      increase = 5
    }
  }

  campaign_defaults {
    dedupe = true
  }
}

account "sales" {
  handle = "@acme_sales"

  cookies = {
    auth_token = var.sales_auth_token
    ct0        = var.sales_ct0
  }
  proxy      = "http://proxy.example.com:8080"
  proxy_auth = "acme:${var.proxy_password}"
  ai_setter  = true

  daily_follow_limit = 30
  daily_like_limit   = 60
}

account "founder" {
  handle              = "acme_founder"
  daily_dm_limit      = 25
  followups_paused    = false
  daily_comment_limit = 10
}

filter "saas_founders" {
  include_keywords      = [["founder", "saas"], ["ceo", "startup"], ["building"]]
  include_within_logic  = "AND"
  include_between_logic = "OR"
  exclude_keywords      = [["recruiter"], ["hiring"], ["crypto"]]
  location_exclude      = ["antarctica"]
  followers             = { min = 100, max = 50000 }
  following             = { max = 5000 }
  has_website           = true
  where                 = "!protected && followers > following / 2"
}

source "founders" {
  filter    = filter.saas_founders
  max_leads = 500
  # Scrape the targets again every Monday morning for new followers.
  schedule = "0 8 * * mon"

  target "paulg" {
    followers = true
  }

  target "naval" {
    followers = true
    following = true
  }
}

source "indie" {
  max_leads = 200

  target "levelsio" {}

  filter {
    include_keywords = [["indie"], ["bootstrapped"]]
    followers        = { min = 50 }
  }
}

campaign "q1_outreach" {
  sources   = [source.founders, source.indie]
  accounts  = [account.sales, account.founder]
  max_leads = 600

  message = "Hey {{firstName}}, saw you're building something. What's the hardest part right now? - ${local.signature}"

  followup {
    after   = "3d"
    message = "Just bumping this up, {{firstName}}."
  }

  followup {
    after   = "7d"
    message = "Last nudge from me, {{firstName}}. Happy to share what worked for others."
  }

  # Warm the lead up before the first DM.
  follow = true
  like   = true

  comment {
    template = "Great insights on {{topic}}, {{firstName}}!"
  }

  # Send on weekday mornings only, on top of each account's active hours.
  window {
    start     = "09:00"
    end       = "12:00"
    time_zone = "America/New_York"
    days      = ["tue", "wed", "thu"]
  }
}

webhook "crm" {
  url    = "https://crm.example.com/hooks/outreach"
  events = ["new_reply", "leads_exhausted"]
  secret = "whsec_b3V0cmVhY2ggZXhhbXBsZSBzZWNyZXQ6IDMyIGJ5dGU="
}
