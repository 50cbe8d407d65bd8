package ai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// chatClient calls an OpenAI-compatible chat-completions endpoint.
type chatClient struct {
	url    string
	model  string
	apiKey string
	http   *http.Client
}

// message is one chat message of the request.
type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatRequest struct {
	Model       string    `json:"model"`
	Messages    []message `json:"messages"`
	Temperature float64   `json:"temperature"`
}

type chatResponse struct {
	Choices []struct {
		Message message `json:"message"`
	} `json:"choices"`
}

// prompt is a request without the model: a temperature and the messages.
type prompt struct {
	temperature float64
	messages    []message
}

// complete sends one request and returns the first choice's text. Errors
// are typed: generating text has no effect outside, so every failure is
// either worth retrying (Retryable, RateLimited) or not (Permanent).
func (c *chatClient) complete(ctx context.Context, p prompt) (string, error) {
	body, err := json.Marshal(chatRequest{Model: c.model, Messages: p.messages, Temperature: p.temperature})
	if err != nil {
		return "", sdk.Errorf(sdk.Permanent, "ai: encode request: %v", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return "", sdk.Errorf(sdk.Permanent, "ai: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return "", err
		}
		return "", sdk.Errorf(sdk.Retryable, "ai: POST %s: %v", c.url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return "", sdk.Errorf(sdk.Retryable, "ai: read response: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", statusError(resp, data)
	}
	var out chatResponse
	if err := json.Unmarshal(data, &out); err != nil {
		return "", sdk.Errorf(sdk.Retryable, "ai: malformed response: %v", err)
	}
	if len(out.Choices) == 0 {
		return "", sdk.Errorf(sdk.Retryable, "ai: the response has no choices")
	}
	return out.Choices[0].Message.Content, nil
}

// statusError turns an error answer into a typed error, keeping the
// endpoint's message (never the request, which may quote a lead).
func statusError(resp *http.Response, body []byte) error {
	msg := fmt.Sprintf("ai: chat completions: %s", resp.Status)
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
		msg += ": " + e.Error.Message
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		err := sdk.Errorf(sdk.RateLimited, "%s", msg)
		if secs, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil {
			err.ResetAt = time.Now().Add(time.Duration(secs) * time.Second)
		}
		return err
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusRequestTimeout:
		return sdk.Errorf(sdk.Retryable, "%s", msg)
	}
	// 400, 401, 403, 404: a bad key, model or request, which a retry
	// repeats.
	return sdk.Errorf(sdk.Permanent, "%s", msg)
}
