package xsim

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// ProspectScript is the part one prospect plays, set in Faults.Prospects:
// the intents of its answers to an account's messages, one step each, in
// order. The first DM gets Intents[0] whatever the reply rate; each later
// message that finds no answer on its way gets the next step (a message
// sent while an answer is on its way shares that answer); after the last
// step the prospect is silent. IntentSilent is a step without an answer. A
// script plays as written, also after a "no" or an opt-out, and applies to
// conversations that start after it is set. A scripted prospect accepts DMs
// (receives_your_dm is true) whatever its profile drew, so that its script
// always plays; an account holder never replies, scripted or not.
type ProspectScript struct {
	// Intents are the steps, at least one, each one of the Intent
	// constants.
	Intents []Intent
	// Delay is how long after the message it answers each answer becomes
	// visible (sim time); zero means the reply delay in force.
	Delay time.Duration
}

// scriptShape is a default script, with its share in percent of the prospects
// who reply.
type scriptShape struct {
	percent int
	intents []Intent
}

// defaultShapes are the scripts of the prospects who reply to a first DM
// and are not scripted. Each ends in silence: after its last step, and
// after a "no" or an opt-out, the prospect never answers again. They are
// grouped by the sentiment of the first reply (positive 40%, negative 30%,
// neutral 30%, in that order), so the draw that picks a shape gives every
// prospect the first-reply sentiment it always had, and a test can count
// on the split.
var defaultShapes = []scriptShape{
	// Positive: interested first.
	{6, []Intent{IntentInterested, IntentAskCall}},
	{4, []Intent{IntentInterested, IntentAskPrice}},
	{3, []Intent{IntentInterested, IntentAskDemo}},
	{2, []Intent{IntentInterested, IntentInterested, IntentAskCall}},
	{3, []Intent{IntentInterested, IntentNo}},
	{1, []Intent{IntentInterested, IntentOptOut}},
	{1, []Intent{IntentInterested, IntentSilent, IntentAskCall}},
	{4, []Intent{IntentInterested}},
	// Positive: a booking intent first.
	{6, []Intent{IntentAskCall}},
	{3, []Intent{IntentAskPrice, IntentAskCall}},
	{2, []Intent{IntentAskPrice}},
	{3, []Intent{IntentAskDemo}},
	{2, []Intent{IntentAskDemo, IntentAskCall}},
	// Negative.
	{22, []Intent{IntentNo}},
	{8, []Intent{IntentOptOut}},
	// Neutral.
	{7, []Intent{IntentQuestion, IntentInterested, IntentAskPrice}},
	{6, []Intent{IntentQuestion, IntentInterested, IntentAskCall}},
	{3, []Intent{IntentQuestion, IntentInterested}},
	{5, []Intent{IntentQuestion, IntentNo}},
	{4, []Intent{IntentQuestion, IntentOptOut}},
	{2, []Intent{IntentQuestion, IntentSilent, IntentInterested}},
	{3, []Intent{IntentQuestion}},
}

// shapeAt is the default script at x, a draw in [0, 100).
func shapeAt(x int) []Intent {
	for _, sh := range defaultShapes {
		if x < sh.percent {
			return sh.intents
		}
		x -= sh.percent
	}
	panic(fmt.Sprintf("xsim: default script shares add up to less than 100 (draw %d left)", x))
}

// Default reply odds, per mille of first DMs (Faults.ReplyRate changes
// them).
const defaultReplyPerMille = 350

// opening is how a prospect answers a first DM under its default script.
type opening struct {
	script []Intent // the whole script; script[0] is the first reply's
	text   string
	delay  time.Duration
}

// replyFor decides whether prospect replies to the first DM from sender,
// given the reply odds per mille, and if so its script, what it says first
// and after how long. It depends on the two ids, the odds and the seed only;
// the draws are those the simulator made before prospects had scripts, so
// that the same prospects reply, after the same delays, with replies of the
// same sentiment.
func (p population) replyFor(prospect, sender uint64, perMille int, minDelay, maxDelay time.Duration) (opening, bool) {
	r := newRNG(hashOf(p.seed, prospect, sender, saltReply))
	if r.intn(1000) >= perMille {
		return opening{}, false
	}
	script := shapeAt(r.intn(100))
	text := textFor(r, script[0], nil)
	return opening{script: script, text: text, delay: drawDelay(r, minDelay, maxDelay)}, true
}

// stepRNG is the source of the text and the delay of a script's step: every
// step of a scripted prospect, the later steps of a default script.
func (p population) stepRNG(prospect, sender uint64, step int) *rng {
	return newRNG(hashOf(p.seed, prospect, sender, uint64(step), saltScript))
}

func drawDelay(r *rng, lo, hi time.Duration) time.Duration {
	return lo + time.Duration(r.next()%(uint64(hi-lo)+1))
}

// script is the part a prospect plays in one conversation.
type script struct {
	prospect string // the prospect's username
	intents  []Intent
	delay    time.Duration // a scripted prospect's; 0: the reply delay in force
	next     int           // the step the next message without an answer gets
	pending  *pendingReply // the answer on its way, not yet visible
	said     []string      // the texts of its answers, so as not to repeat one
}

// heardLocked is the prospect's side of a DM from account at now. The first
// DM of a conversation decides the prospect's script: its own, if the
// faults script it, otherwise a default one if replyFor says it replies,
// otherwise none (it never answers). Each message that finds no answer on
// its way then takes the script's next step.
func (s *Sim) heardLocked(conv *conversation, prospect User, pid, account uint64, now time.Time) {
	if !conv.decided {
		conv.decided = true
		if ps, ok := s.prospectScripts[strings.ToLower(prospect.Username)]; ok {
			conv.script = &script{prospect: prospect.Username, intents: slices.Clone(ps.Intents), delay: ps.Delay}
		} else if op, yes := s.pop.replyFor(pid, account, s.replyPerMilleLocked(), s.replyMin, s.replyMax); yes {
			conv.script = &script{prospect: prospect.Username, intents: op.script, next: 1}
			s.answer(conv, pid, account, 0, op.text, now.Add(op.delay))
			return
		}
	}
	sc := conv.script
	if sc == nil || sc.pending != nil || sc.next >= len(sc.intents) {
		return
	}
	step := sc.next
	sc.next++
	if sc.intents[step] == IntentSilent {
		return
	}
	r := s.pop.stepRNG(pid, account, step)
	text := textFor(r, sc.intents[step], sc.said)
	delay := sc.delay
	if delay <= 0 {
		delay = drawDelay(r, s.replyMin, s.replyMax)
	}
	s.answer(conv, pid, account, step, text, now.Add(delay))
}

// answer schedules the prospect's answer of a script's step.
func (s *Sim) answer(conv *conversation, prospect, account uint64, step int, text string, due time.Time) {
	sc := conv.script
	p := &pendingReply{due: due, conv: conv, sender: prospect, text: text, account: account, intent: sc.intents[step], turn: step + 1}
	sc.pending = p
	sc.said = append(sc.said, text)
	s.schedule(p)
}

// checkProspects validates Faults.Prospects, naming the setting at fault.
func checkProspects(prospects map[string]ProspectScript) error {
	seen := map[string]string{}
	for _, handle := range sortedKeys(prospects) {
		field := "prospects." + handle
		if !validUsername(handle) {
			return fmt.Errorf("%s: not a username: a username is 1 to 15 letters, digits or underscores", field)
		}
		if prev, dup := seen[strings.ToLower(handle)]; dup {
			return fmt.Errorf("%s: the same prospect as prospects.%s (handles are case-insensitive); give one", field, prev)
		}
		seen[strings.ToLower(handle)] = handle
		ps := prospects[handle]
		if err := checkIntents(field+".intents", ps.Intents); err != nil {
			return err
		}
		if ps.Delay < 0 {
			return fmt.Errorf("%s.delay %v: give a duration of 0 or more (0: the reply delay in force)", field, ps.Delay)
		}
	}
	return nil
}
