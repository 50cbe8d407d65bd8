// Package ai is the AI plugin: comments on a lead's posts, the sentiment of
// a reply and a draft answer, written by any OpenAI-compatible
// chat-completions endpoint (OpenAI, a vLLM or Ollama server, a proxy)
// configured by base_url, model and api_key.
//
// Without an endpoint it works offline, with no network at all: comments
// from templates, a canned reply, and replies read by rules (classify):
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
