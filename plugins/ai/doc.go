// Package ai is the AI plugin: comments on a lead's posts, the sentiment of
// a reply and a draft answer, written by any OpenAI-compatible
// chat-completions endpoint (OpenAI, a vLLM or Ollama server, a proxy)
// configured by base_url, model and api_key.
//
// Without an endpoint it works offline, with no network at all: comments
// from templates, sentiment from a lexicon (positive, negative, neutral,
// with negations such as "not interested"), and a canned reply. That keeps
// the sandbox and tests self-contained and gives a deterministic baseline.
//
// It is built from sdk/ alone and runs out of process like any third-party
// plugin; it never imports the host.
package ai
