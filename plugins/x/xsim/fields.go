package xsim

import (
	"net/url"
	"strings"
)

// The values X accepts in each fields and expansions parameter (OpenAPI 2.166).
// A value outside its list is a 400, as at X; a value inside it that the
// simulator has no data for is accepted and left out of the answer, as X
// leaves out fields a resource does not have.
var (
	userFieldValues = []string{
		"affiliation", "confirmed_email", "connection_status", "created_at", "description", "entities",
		"id", "is_identity_verified", "location", "most_recent_tweet_id", "name", "parody",
		"pinned_tweet_id", "profile_banner_url", "profile_image_url", "protected", "public_metrics",
		"receives_your_dm", "subscription", "subscription_type", "url", "username", "verified",
		"verified_followers_count", "verified_type", "withheld",
	}
	userExpansionValues = []string{"affiliation.user_id", "most_recent_tweet_id", "pinned_tweet_id"}
	dmEventFieldValues  = []string{
		"attachments", "created_at", "dm_conversation_id", "entities", "event_type", "id",
		"participant_ids", "referenced_tweets", "sender_id", "text",
	}
	dmEventExpansionValues = []string{"attachments.media_keys", "participant_ids", "referenced_tweets.id", "sender_id"}
	dmEventTypeValues      = []string{"MessageCreate", "ParticipantsJoin", "ParticipantsLeave"}
	tweetFieldValues       = []string{
		"article", "attachments", "author_id", "card_uri", "community_id", "context_annotations",
		"conversation_id", "created_at", "display_text_range", "edit_controls", "edit_history_tweet_ids",
		"entities", "geo", "id", "in_reply_to_user_id", "lang", "matched_media_notes", "media_metadata",
		"non_public_metrics", "note_request_suggestions", "note_tweet", "organic_metrics",
		"paid_partnership", "possibly_sensitive", "promoted_metrics", "public_metrics",
		"referenced_tweets", "reply_settings", "scopes", "source", "suggested_source_links",
		"suggested_source_links_with_counts", "text", "withheld",
	}
	tweetExpansionValues = []string{
		"article.cover_media", "article.media_entities", "attachments.media_keys",
		"attachments.media_source_tweet", "attachments.poll_ids", "author_id", "edit_history_tweet_ids",
		"entities.mentions.username", "geo.place_id", "in_reply_to_user_id",
		"entities.note.mentions.username", "referenced_tweets.id",
		"referenced_tweets.id.attachments.media_keys", "referenced_tweets.id.author_id",
	}
)

// fieldSet is the set of values asked for in one comma-separated parameter.
type fieldSet map[string]bool

// parseList validates a comma-separated parameter against its allowed values.
// An absent or empty parameter is the empty set.
func parseList(q url.Values, param string, allowed []string) (fieldSet, *result) {
	raw := q.Get(param)
	if raw == "" {
		return nil, nil
	}
	set := fieldSet{}
	for _, v := range strings.Split(raw, ",") {
		if !contains(allowed, v) {
			r := invalidParam(param, v, "The `%s` query parameter value [%s] is not one of [%s]",
				param, v, strings.Join(allowed, ","))
			return nil, &r
		}
		set[v] = true
	}
	return set, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// userQuery is the validated user.fields of a request that returns users; the
// expansions and tweet.fields user endpoints take are checked and then have
// nothing to add (no user has a pinned post here).
func userQuery(q url.Values, expansions []string) (fieldSet, *result) {
	fields, bad := parseList(q, "user.fields", userFieldValues)
	if bad != nil {
		return nil, bad
	}
	if expansions != nil {
		if _, bad := parseList(q, "expansions", expansions); bad != nil {
			return nil, bad
		}
	}
	if _, bad := parseList(q, "tweet.fields", tweetFieldValues); bad != nil {
		return nil, bad
	}
	return fields, nil
}
