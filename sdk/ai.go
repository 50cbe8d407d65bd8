package sdk

import "context"

// AI writes and reads text for campaigns. Implementations are called
// concurrently.
type AI interface {
	// GenerateComment writes a short comment on a post.
	GenerateComment(ctx context.Context, req CommentRequest) (string, error)
	// ClassifyReply tells whether a reply is positive, negative or neutral.
	ClassifyReply(ctx context.Context, req ClassifyRequest) (Classification, error)
	// DraftReply drafts the account's next message in a conversation.
	DraftReply(ctx context.Context, req DraftRequest) (string, error)
}

// CommentRequest asks for a comment on a post.
type CommentRequest struct {
	PostText string
	// AuthorUsername is who wrote the post, without "@".
	AuthorUsername string
	// Instructions carry the campaign's guidance (tone, topic, language).
	Instructions string
	// MaxLength bounds the comment in characters; 0 means no bound beyond
	// the network's own.
	MaxLength int
}

// ClassifyRequest asks for the sentiment of a reply.
type ClassifyRequest struct {
	Text string
	// Context is the conversation before the reply, oldest first.
	Context []ConversationMessage
}

// Sentiment is how a reply feels about the outreach.
type Sentiment int

// Sentiments a reply is classified as.
const (
	Positive Sentiment = iota + 1
	Negative
	Neutral
)

func (s Sentiment) String() string {
	switch s {
	case Positive:
		return "positive"
	case Negative:
		return "negative"
	case Neutral:
		return "neutral"
	}
	return "unspecified"
}

// Classification is the sentiment of a reply and how sure the plugin is.
type Classification struct {
	Sentiment Sentiment
	// Confidence is between 0 and 1.
	Confidence float64
}

// ConversationMessage is one message of a conversation, as the AI sees it.
type ConversationMessage struct {
	// FromAccount is true for the account's own messages, false for the
	// lead's.
	FromAccount bool
	Text        string
}

// DraftRequest asks for a draft of the account's next message.
type DraftRequest struct {
	// Conversation so far, oldest first.
	Conversation []ConversationMessage
	Instructions string
	// LeadName is how to address the lead.
	LeadName string
}
