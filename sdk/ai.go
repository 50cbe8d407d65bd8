package sdk

import "context"

// AI writes and reads text for campaigns. Implementations are called
// concurrently.
type AI interface {
	// GenerateComment writes a short comment on a post.
	GenerateComment(ctx context.Context, req CommentRequest) (Generated, error)
	// ClassifyReply tells whether a reply is positive, negative or
	// neutral, whether it opts out, and whether it asks for a call, a
	// price or a demo.
	ClassifyReply(ctx context.Context, req ClassifyRequest) (Classification, error)
	// DraftReply drafts the account's next message in a conversation.
	DraftReply(ctx context.Context, req DraftRequest) (Generated, error)
}

// Generated is text an AI plugin wrote, with what wrote it. The host
// stores Model and PromptVersion beside every text it sends, so that a
// message can be traced to the model and prompt that produced it.
type Generated struct {
	Text string
	// Model is the model that wrote the text; ModelOffline when no model
	// did (templates, rules).
	Model string
	// PromptVersion names the prompt (or the offline template set) that
	// produced the text; a plugin gives a changed prompt a new version.
	PromptVersion string
}

// ModelOffline is the Model of what a plugin wrote or read without a
// model: templates, rules and lexicons.
const ModelOffline = "offline"

// CommentRequest asks for a comment on a post.
type CommentRequest struct {
	PostText string
	// AuthorUsername is who wrote the post, without "@"; AuthorName and
	// AuthorBio are their profile's name and bio.
	AuthorUsername, AuthorName, AuthorBio string
	// Instructions are the campaign's comment template, filled for the
	// lead: a model writes the comment from it (tone, topic, what to
	// mention); without a model it is the comment as written.
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

// Classification is what a reply says and how sure the plugin is.
type Classification struct {
	Sentiment Sentiment
	// Confidence is between 0 and 1: the share of replies read this way
	// that are read right, as far as the plugin can tell. The AI setter
	// answers only above its threshold.
	Confidence float64
	// OptOut: the reply asks not to be contacted again. An opt-out is
	// Negative.
	OptOut bool
	// Booking: the reply asks for a call, a meeting, a price or a demo,
	// which a person should take over.
	Booking bool
	// Model and PromptVersion name what classified the reply.
	Model         string
	PromptVersion string
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
	// MaxLength bounds the draft in characters; 0 means no bound beyond
	// the network's own.
	MaxLength int
}
