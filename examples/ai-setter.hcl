# The AI setter: comment on each lead's latest post before the first DM,
# then answer the leads who reply, and hand a conversation to a person as
# soon as the lead asks for a call, a price or a demo.
#
#   outreach apply -auto-approve examples/ai-setter.hcl
#
# It runs on the simulated X, whose prospects answer later messages too.
# Without a model the ai plugin works offline: template comments, the
# offline reply classifier, and a short canned answer. To use a model, add
# the plugin block at the end (OpenAI, or any server that speaks its
# chat-completions API: Ollama, vLLM, llama.cpp).

settings {
  sandbox = true

  # An answer goes 5 to 20 seconds after the reply here, so that the
  # rehearsal ends in about a minute. On real accounts keep a human pace:
  # the defaults are 2 to 10 minutes.
  ai_setter {
    max_answers    = 2
    min_delay      = "5s"
    max_delay      = "20s"
    min_confidence = 0.6
    instructions   = "We help seed-stage founders hire their first engineers. Be brief and friendly; offer a 15-minute call."
  }
}

account "sales" {
  handle              = "acme_sales"
  daily_dm_limit      = 50
  daily_comment_limit = 20
  ai_setter           = true

  pacing {
    min_gap = "1s"
    max_gap = "3s"
  }
}

source "founders" {
  max_leads = 30

  target "paulg" {
    followers = true
  }
}

campaign "hiring" {
  sources   = [source.founders]
  max_leads = 20

  # A template the model fills from the lead's post ({{topic}}); offline,
  # a comment that needs a model is a plain template reply instead.
  comment {
    template = "Great insights on {{topic}}, {{firstName}}!"
  }

  message = "Hey {{firstName}}, congrats on what you're building. Are you hiring engineers this quarter?"
}

# plugin "ai" {
#   source = "ai"
#   config {
#     base_url = "https://api.openai.com/v1"
#     model    = "gpt-4o-mini"
#     api_key  = env("OPENAI_API_KEY")
#   }
# }
