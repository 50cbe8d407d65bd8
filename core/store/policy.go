package store

import "fmt"

// The policy rules live here, beside the records that carry them, rather
// than in the service: the engine refuses by them at send time and the
// plan (which imports neither the service nor the engine) names what they
// refuse, so both must read the same rule. Caps, warmup, opt-outs and
// deduplication are not a policy's: they hold under every policy.

// Policy is how far automation may go on X: the configuration's
// `settings { policy = "..." }`, recorded on each campaign it manages.
type Policy string

// Policies.
const (
	// PolicyStandard allows everything a campaign declares. An unset
	// Policy ("", as in records written before policies existed) is it.
	PolicyStandard Policy = "standard"
	// PolicyStrict follows X's developer guidelines: a campaign's first DM
	// goes only to a lead who has messaged the account first, and nothing
	// else is automated: no follow-ups, follows, likes, comments or
	// automatic replies.
	PolicyStrict Policy = "strict"
)

// String is the policy's name; an unset policy is "standard".
func (p Policy) String() string {
	if p == "" {
		return string(PolicyStandard)
	}
	return string(p)
}

// Action is an automated action on X that a policy may refuse.
type Action string

// Actions.
const (
	// ActionColdDM is a campaign's first DM to a lead who has not messaged
	// the sending account first.
	ActionColdDM Action = "cold_dm"
	// ActionFollowup is a campaign's follow-up: an unsolicited repeat.
	ActionFollowup Action = "followup"
	// ActionFollow, ActionLike and ActionComment are a campaign's
	// engagement before the first DM (follow, like, comment {}).
	ActionFollow  Action = "follow"
	ActionLike    Action = "like"
	ActionComment Action = "comment"
	// ActionAutoReply is a reply written and sent without a person.
	ActionAutoReply Action = "auto_reply"
)

// refusals are what each policy refuses, and why, in words a person reads
// in a plan, a job's last error or a log.
var refusals = map[Policy]map[Action]string{
	PolicyStrict: {
		ActionColdDM:    "first DMs go only to leads who messaged the account first",
		ActionFollowup:  "X's developer guidelines allow no automated follow-ups",
		ActionFollow:    "X's developer guidelines allow no automated follows",
		ActionLike:      "X's developer guidelines allow no automated likes",
		ActionComment:   "X's developer guidelines allow no automated comments",
		ActionAutoReply: "X's developer guidelines allow no automatic replies: a person answers",
	},
}

// Noun is how a sentence names the action, in the plural: "follow-ups".
func (a Action) Noun() string {
	switch a {
	case ActionColdDM:
		return "cold DMs"
	case ActionFollowup:
		return "follow-ups"
	case ActionFollow:
		return "follows"
	case ActionLike:
		return "likes"
	case ActionComment:
		return "comments"
	case ActionAutoReply:
		return "automatic replies"
	}
	return string(a)
}

// RefusedError is a policy's refusal of an action.
type RefusedError struct {
	Policy Policy
	Action Action
	// Reason says why, in words a person reads.
	Reason string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("policy %s refuses %s: %s", e.Policy, e.Action.Noun(), e.Reason)
}

// Refusal returns why policy p refuses action a, as a *RefusedError, or
// nil when p allows it. It is the one place policies are checked: the
// plan names what it refuses, and the engine refuses by it before every
// automated action.
func (p Policy) Refusal(a Action) error {
	why, refused := refusals[p][a]
	if !refused {
		return nil
	}
	return &RefusedError{Policy: p, Action: a, Reason: why}
}
