# Real X accounts: the x plugin signs each account in with OAuth 2.0 and
# sends through X's API v2, each account through its own proxy.
#
# 1. Create an X app (README, "Real X accounts"): OAuth 2.0 on, type "Native
#    App" (a public client) or "Web App" (confidential: also set
#    client_secret), callback URL http://127.0.0.1:8788/oauth/x/callback.
# 2. Give this configuration the app's client id and the proxies' passwords
#    through the environment, where they never touch a file:
#
#      export OUTREACH_VAR_x_client_id=...
#      export OUTREACH_VAR_sales_proxy_auth=user:password
#      export OUTREACH_VAR_founder_proxy_auth=user:password
#
# 3. Sign each account in, in a browser signed in to X as that account:
#
#      outreach accounts login sales --config examples/real-x.hcl
#      outreach accounts login founder --config examples/real-x.hcl
#
# 4. Check them, see the plan (its finish date follows X's rate limits, and it
#    estimates the API's cost), and run it:
#
#      outreach accounts check --config examples/real-x.hcl
#      outreach plan examples/real-x.hcl
#      outreach apply examples/real-x.hcl
#
# The tokens are stored sealed in the data dir and refreshed before they
# expire. To rehearse all of this on loopback, run `outreach sandbox` and
# set base_url to its address: it speaks X's OAuth too.

variable "x_client_id" {
  type        = string
  description = "The OAuth 2.0 client id of your X app (developer.x.com, the app's Keys and tokens)."
}

variable "sales_proxy_auth" {
  type        = string
  sensitive   = true
  description = "user:password of @acme_sales's proxy."
}

variable "founder_proxy_auth" {
  type        = string
  sensitive   = true
  description = "user:password of @acme_founder's proxy."
}

settings {
  # Stop all work for the day once the day's X API spend would pass $5.
  max_daily_api_spend = 5
}

plugin "x" {
  config {
    client_id    = var.x_client_id
    redirect_url = "http://127.0.0.1:8788/oauth/x/callback"
  }
}

account "sales" {
  handle         = "acme_sales"
  daily_dm_limit = 40
  proxy          = "http://proxy-1.example.net:8080"
  proxy_auth     = var.sales_proxy_auth
  pacing {
    min_gap = "4m"
    max_gap = "9m"
  }
  active_hours {
    start     = "09:00"
    end       = "18:00"
    time_zone = "America/New_York"
    days      = ["mon", "tue", "wed", "thu", "fri"]
  }
}

account "founder" {
  handle         = "acme_founder"
  daily_dm_limit = 25
  proxy          = "socks5://proxy-2.example.net:1080"
  proxy_auth     = var.founder_proxy_auth
  pacing {
    min_gap = "5m"
    max_gap = "12m"
  }
  warmup {
    start    = 5
    increase = 5
  }
}

filter "builders" {
  include_keywords = [["founder"], ["ceo"], ["building"]]
  exclude_keywords = [["recruiter"], ["hiring"]]
  followers        = { min = 100, max = 50000 }
}

source "founders" {
  filter    = filter.builders
  max_leads = 500
  target "paulg" {
    followers = true
  }
}

campaign "hello" {
  sources   = [source.founders]
  accounts  = [account.sales, account.founder]
  max_leads = 500
  variant {
    message = "Hey {{firstName}}, I saw you're building something. What's the hardest part right now?"
  }
  followup {
    after   = "3d"
    message = "Just bumping this up, {{firstName}}. No pressure!"
  }
}
