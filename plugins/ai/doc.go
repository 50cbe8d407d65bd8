// Package ai is the AI plugin: comments on a lead's posts, the reading of
// a reply (sentiment, opt-out, a request for a call, a price or a demo)
// and a draft answer, written by any OpenAI-compatible chat-completions
// endpoint (OpenAI, a vLLM or Ollama server, a proxy) configured by
// base_url, model and api_key, with retries and backoff on rate limits
// and server errors, and system prompts a configuration may replace
// (config.go, prompts.go).
//
// Whatever writes a comment or a draft, it passes the same guardrails
// before it reaches a lead (guardrails.go): trimmed and unquoted, within
// its length, and neither empty, a refusal, nor a template with a
// placeholder left in it. A text that fails is an error, never a stand-in
// that pretends to be personal. A classification is JSON the plugin reads
// tolerantly (model_answer.go); one it cannot read falls back to the
// offline classifier, and says so in its prompt version.
//
// Without an endpoint it works offline, with no network at all: the
// campaign's comment template as written (else generic comments), a
// canned reply, and replies read by rules (classify):
// sentiment from a language's lists of words and phrases (language.go;
// English in lang_en.go) read with negation and its reach, contrast,
// intensifiers, emoji, questions, polite refusals and auto-replies;
// opt-outs from sdk.IsOptOut, the detector the engine acts on; booking
// intent; and a confidence measured on labeled replies
// (testdata/replies). That keeps the sandbox and tests self-contained and
// gives a deterministic baseline.
//
// It is built from sdk/ alone and runs out of process like any third-party
// plugin; it never imports the host.
package ai
