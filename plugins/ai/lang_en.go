package ai

import "slices"

// english is the offline rules' English: how prospects answer a DM, in the
// words they type. The lists are of kinds of evidence, not of replies: a
// word belongs here because it means the same in most replies that use it.
var english = language{
	version: "rules-en-5",

	spelling: map[string]string{
		"ya": "yes", "yea": "yes", "yeah": "yes", "yep": "yes", "yup": "yes", "yas": "yes",
		"yess": "yes", "yessir": "yes", "ye": "yes", "yeh": "yes", "yah": "yes",
		"k": "ok", "kk": "ok", "okay": "ok", "okie": "ok", "okey": "ok", "oki": "ok",
		"naw": "nah", "nawh": "nah", "nope": "nah",
		"pls": "please", "plz": "please", "plss": "please",
		"thx": "thanks", "thnx": "thanks", "thanx": "thanks", "tx": "thanks", "ty": "thanks", "tysm": "thanks",
		"u": "you", "ur": "your", "r": "are", "ppl": "people",
		"rn": "right now", "atm": "at the moment",
		"lmk": "let me know", "idk": "i don't know", "dunno": "don't know", "idc": "i don't care",
		"gtg": "got to go", "g2g": "got to go", "brb": "be right back", "ttyl": "talk to you later",
		"gimme": "give me", "lemme": "let me", "wanna": "want to", "gonna": "going to", "gotta": "got to",
		"kinda": "kind of", "sorta": "sort of", "cuz": "because", "cos": "because", "bc": "because",
		"rly": "really", "realy": "really", "rlly": "really", "v": "very",
		"def": "definitely", "defo": "definitely", "deffo": "definitely", "definately": "definitely",
		"definatly": "definitely", "definetly": "definitely", "definitly": "definitely",
		"intrested": "interested", "intersted": "interested", "interseted": "interested",
		"interestd": "interested", "interessted": "interested", "intrsted": "interested",
		"intresting": "interesting", "intersting": "interesting",
		"abt": "about", "msg": "message", "msgs": "messages", "convo": "conversation",
		"prolly": "probably", "probs": "probably", "ofc": "of course", "np": "no problem",
		"nty": "no thank you", "sry": "sorry", "srry": "sorry", "tmrw": "tomorrow", "tmr": "tomorrow",
		"cal": "calendar", "wat": "what", "wut": "what", "thru": "through", "b4": "before",
		"mins": "min", "minutes": "min", "hm": "hmm", "mm": "hmm", "mhm": "hmm",
		"gud": "good", "gr8": "great", "kool": "cool", "awsome": "awesome", "awesom": "awesome",
		"amazin": "amazing", "luv": "love", "wud": "would", "cud": "could", "shud": "should",
		"curios": "curious", "thnks": "thanks", "pricin": "pricing",
	},

	negators: []string{
		"not", "no", "never", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't",
		"won't", "wouldn't", "can't", "cannot", "couldn't", "shouldn't", "haven't", "hasn't",
		"hadn't", "ain't", "nothing", "hardly", "barely", "zero",
	},
	answers:        []string{"no", "not", "never"},
	contrasts:      []string{"but", "however", "though", "tho", "except"},
	concessionEnds: []string{"though", "tho"},
	intensifiers: []string{
		"actually", "really", "super", "so", "very", "absolutely", "definitely", "totally", "extremely", "incredibly",
		"truly", "genuinely", "seriously", "highly", "hella", "quite", "pretty", "too", "100", "mega", "completely",
	},
	afterIntensifiers: []string{"at all", "whatsoever", "a lot", "so much", "af"},
	fillers: []string{
		"tbh", "ngl", "imo", "honestly", "just", "lowkey", "kind of", "sort of", "even", "a", "an", "the",
	},

	interest: cues{
		3: {
			"exactly what we need", "exactly what i need", "exactly what we needed", "exactly what i needed",
			"just what we need", "just what i need", "right up our alley", "right up my alley",
			"count me in", "sign me up", "take my money", "where do i sign", "i'm in $", "we're in $",
			"i'm sold", "you convinced me", "you got my attention", "you've got my attention", "you got me",
			"i'll bite", "let's do it", "let's do this", "game changer", "love it", "love this", "love that",
			"would love", "i'd love", "we'd love", "been looking for", "been waiting for", "been meaning to",
			"been wanting", "been searching for", "we'll take it", "i'll take it", "go on $",
			"exactly our problem", "exactly my problem", "exactly what i want", "exactly what we want", "could be a fit", "might be a fit", "could be a good fit",
			"can't wait", "tell me more", "perfect timing", "great timing", "let's chat",
			"let's connect", "let's go", "i'm game", "go for it", "please do", "say less", "bet $", "deal $",
			"works for me", "that works $", "go ahead", "would be great", "that'd be great", "would be helpful",
			"would be nice", "down for", "signed up", "already signed up", "just signed up",
			// Done already: "no need to follow up, I just booked a call".
			"booked a", "booked the", "booked some", "grabbed a slot", "grabbed a time", "snagged a slot",
		},
		2: {
			"interested", "keen", "intrigued", "excited", "love", "loved", "loves", "awesome", "amazing",
			"great", "fantastic", "brilliant", "excellent", "perfect", "impressive", "impressed", "neat",
			"cool", "dope", "slick", "solid", "clever", "smart", "genius", "handy", "powerful", "incredible",
			"wonderful", "superb", "lovely", "sweet", "rad", "stellar", "exciting", "compelling", "promising", "useful", "helpful", "valuable", "timely", "yes", "sure thing",
			"for sure", "absolutely", "definitely", "of course", "why not", "learn more", "hear more", "tell me about", "see more",
			"know more", "more info", "more information", "more details", "send it", "send it over",
			"send over", "send me", "send details", "send the", "send more", "send something",
			"shoot me", "shoot it over", "drop the link", "drop me", "give me more", "dm me", "email me",
			"i'm listening", "all ears", "open to", "happy to", "glad to", "down to", "i'm down", "sounds good",
			"sounds great", "sounds interesting", "sounds promising", "sounds useful", "sounds cool",
			"sounds fun", "sounds like a plan", "looks good", "looks great", "looks interesting",
			"looks cool", "looks promising", "worth a look", "worth a try", "worth it", "worth a shot",
			"looking for", "looking into", "looking at", "evaluating", "could help", "would help", "could use",
			"could work", "might work", "would work", "could see this", "see this working", "save us",
			"saves us", "save my", "save me", "save time", "try it", "try this", "give it a try",
			"give it a shot", "sign up", "get started", "getting started", "get set up", "how it works", "next steps", "next step",
			"what's next", "how does it work", "how does this work", "how do i", "how do we", "how can i",
			"how can we", "how quickly", "how soon", "how fast", "why don't we", "why don't you",
			"tempting", "appealing", "exploring", "collab", "want this", "want that", "want in", "needed this",
			"tell me how", "share the", "share more", "free trial", "trial", "beta", "big fan", "i like",
			"we like", "like it", "i'd like", "we'd like", "would like", "need this", "interest",
			"convinced", "see the value", "the value", "a good fit", "a great fit", "good fit",
			"great fit", "in the market for", "can't stop thinking about", "i'm curious",
			// Asking in, or to be let in: "can you add me back?", "I'll
			// stop by your booth".
			"add me", "add me back", "add us", "re-add me", "include me", "include us",
			"stop by", "swing by", "drop by", "come by", "pop by", "see you there",
			"leave the link", "leave a link", "check it out",
			// Choosing how to pay: "can I go monthly?".
			"go monthly", "pay monthly", "pay annually", "annual plan", "monthly plan",
			"🙏", "🔥", "😍", "💯", "🙌", "👏", "🚀", "❤", "😊", "🙂", "😀", "😃", "😄", "🤩", "🥳",
			"✅", "💪", "🤝", "😎", "🎉", "⭐", "😁", "🥰", "♥", "🤙", "🤗",
		},
		1: {
			"nice", "good", "sick", "fire", "interesting", "curious", "huge", "relevant", "approve", "let me know",
			"setup", "onboarding", "fan", "works for", "makes sense",
		},
	},

	hedges: cues{
		1.5: {"sure", "certain", "ready", "commit", "committed"},
	},

	objections: cues{
		2: slices.Concat(
			// A tool of their own for the job: "we have a vendor", "our
			// team has a solution". Negated, an opening: "we don't have a
			// tool for this".
			expand([]string{"have", "has", "got"}, []string{"a vendor", "a solution", "a tool", "our own", "a provider", "a partner"}),
			[]string{
				"bad", "terrible", "awful", "horrible", "useless", "pointless", "annoying", "annoyed", "cringe",
				"lame", "trash", "garbage", "sketchy", "shady", "disaster", "hate", "waste", "opposed",
				"against", "irrelevant", "uninterested", "disinterested", "expensive", "pricey", "overpriced",
				"meh", "wreck", "ruin", "in house", "built our own", "build our own", "built something", "built it ourselves",
				"happy with", "happy there", "satisfied with", "fine with", "stick with", "sticking with",
				"stay with", "locked in", "locked into", "under contract", "signed with", "just signed",
				"just renewed", "renewed", "skeptical",
				// The price too much for them: "the price is too high".
				"too high", "too steep", "out of our budget", "out of budget", "over budget",
				"over our budget", "out of our price range", "out of our league", "out of my league", "can't justify", "cutting costs", "cut costs",
				"👎", "🙄", "😡", "🖕", "❌", "😒", "😤", "🤬", "💩", "😠", "🤮", "⛔", "🛑", "🚫",
			},
		),
		1.5: {"unfortunately", "frozen", "freeze", "cutting", "cut back", "cutting back", "cost cutting", "bootstrapped", "hurts", "hurt"},
		1:   {"ugh", "bot", "pitched", "doubt", "already"},
	},

	wants: cues{
		2: {
			"budget", "the budget", "time", "bandwidth", "capacity", "money", "headcount", "resources",
			"plans", "a priority", "priority", "for us", "for me", "my thing", "our thing", "my cup of tea",
			"in the market", "buying", "buy", "purchase", "purchasing", "switch", "switching", "adding",
			"doing", "looking", "change", "changing", "spend", "spending", "invest", "investing", "pay",
			"paying", "afford", "work", "the point", "care", "moving forward", "move forward", "proceed",
			"want", "need", "use", "using", "a fit", "fit", "needed", "necessary", "help", "do", "hiring",
		},
	},

	// refusals include complaints about the outreach itself, which no
	// negator softens: "we don't do cold outreach" is no friendlier than
	// "cold outreach".
	refusals: cues{
		3: {
			"no thanks", "no thank you", "thanks anyway", "thanks anyways", "waste of time", "hard pass",
			"scam", "no way", "not a chance", "not happening", "hell no", "no chance",
		},
		2.5: {
			"nah", "pass", "decline", "i'll decline", "going to decline", "i'll pass $", "we'll pass $",
			"pass on this", "pass on that", "pass on it", "pass for now", "don't think so",
			// A tool already in place, or another one chosen, is a firm no.
			"already use", "already using", "already have", "already has", "already got",
			"already work with", "already working with", "went with", "gone with", "going with",
			"decided to go with", "decided against", "another direction", "different direction",
			"with a competitor", "with your competitor", "with your competitors", "with another vendor",
			"with another tool", "with someone else",
			// Not now, and not later either.
			"probably not", "not ever", "now or ever", "or ever",
		},
		2: {
			"unsolicited", "cold outreach", "cold dm", "cold dms", "mass dm", "mass dms", "mass dming",
			"mass messaging", "another bot", "botting", "spammy", "sick of", "tired of", "fed up",
		},
	},

	politeRefusals: cues{
		2: slices.Concat(
			expand(
				[]string{"we're", "i'm", "we are", "i am", "we're all", "i'm all", "we're already", "i'm already", "we're totally"},
				[]string{"good", "fine", "set", "covered", "sorted", "ok"},
			),
			[]string{"all set", "no need", "good for now", "we'll manage"},
		),
	},

	nows: cues{
		1.5: {
			"now", "right now", "at the moment", "at this time", "at this point", "currently", "yet",
			"today", "this week", "this month", "this quarter", "this year", "for now", "a good time",
			"had a chance", "had time", "decided", "the right time", "right time",
		},
	},

	deferrals: cues{
		3: {
			"maybe later", "maybe next", "circle back", "check back", "reach out then", "reach back out",
			"try me next", "try me in", "try me after", "try me again", "ping me next", "ping me in", "ping me after",
			"remind me", "ask me again", "ask me in", "hold that thought", "keep it in mind",
			"keep you in mind", "keep that in mind", "bookmarked", "save it for later", "revisit",
			"get back to you", "get back to me", "think about it", "think it over", "let me think",
			"sleep on it", "mull it over", "check with", "run it by", "talk to my team", "touch base",
			"follow up in", "follow up next", "follow up after", "reconnect",
			"keep me posted", "keep me updated", "keep me in the loop", "check my calendar",
		},
		2: {
			"later", "maybe", "perhaps", "possibly", "probably", "we'll see", "depends", "unsure",
			"undecided", "don't know", "no idea", "next month", "next quarter", "next year", "in a month",
			"in a few weeks", "in a couple", "couple months", "couple of months", "few months",
			"a few weeks", "after the holidays", "new year", "in the future", "down the road",
			"down the line", "some other time", "another time", "another day", "q1", "q2", "q3", "q4",
			"january", "february", "march", "april", "june", "july", "august", "september", "october",
			"november", "december", "jan", "feb", "sept", "oct", "nov", "dec", "until", "till", "once we",
			"budget cycle", "reorg",
		},
		1.5: {
			"busy", "swamped", "slammed", "hectic", "crazy week", "in the middle of", "heads down",
			"traveling", "travelling", "on the road", "driving", "in a meeting", "got to go",
			"be right back", "talk to you later",
		},
	},

	autoReplies: cues{
		3: {
			"out of office", "ooo", "out of the office", "auto reply", "autoreply", "automatic reply",
			"automated response", "automated reply", "automated message", "auto response",
			"on vacation", "on holiday", "on leave", "parental leave", "maternity leave", "paternity leave",
			"sick leave", "out sick", "limited access", "will respond when", "will reply when",
			"will respond as soon", "respond within", "reply within", "business days", "left the company", "moved on from", "my replacement",
			"not monitored", "isn't monitored", "unmonitored", "don't work there", "no longer",
			"managed by", "business inquiries", "urgent matters", "for urgent", "when i'm back", "when i return", "returning on", "back on",
			"will read this", "read this properly", "heading to a conference", "at a conference",
		},
		2:   {"thanks for your message", "thank you for your message"},
		1.5: {"anymore", "any more"},
	},

	asides: cues{
		2: slices.Concat(
			// Passing the message on to someone else: "I'll pass this to my
			// manager".
			expand([]string{"pass", "share", "forward"}, []string{"it", "this", "you"}, []string{"to", "with", "along", "on"}),
			[]string{
				"who are you", "who is this", "who's this", "who dis", "what is this", "what's this",
				"what is it", "what is that", "what do you do", "what do you guys do", "what does your company do",
				"what does it do", "what exactly", "what company", "which company", "what's your company",
				"how did you find", "how'd you find", "how did you get", "how'd you get", "where did you get",
				"who gave you", "do i know you", "have we met", "do we know each other", "are you a bot",
				"is this a bot", "is this legit", "is this real", "is this automated", "are you the",
				"are you hiring", "are you a", "did you mean", "did we meet", "we met", "meant for me", "wrong person",
				"wrong account", "wrong guy", "not the right person", "not the person", "not the decision maker",
				"not the right contact", "not in charge", "don't handle", "not my department", "not my call",
				"not my decision", "not my area", "not the one", "not involved", "not responsible",
				"don't make the decisions", "don't make these decisions", "don't make decisions",
				"my boss does", "my manager does", "handles this", "handle this", "in charge of",
				"my cofounder does", "forward it", "forward this", "i'll forward",
				"reach out to my", "talk to my", "ask my", "difference between", "what's the difference",
				"just saw this", "just seeing this", "sorry for the late", "i'll take a look", "will take a look",
				// A message that went missing: "I never got your first
				// message, can you resend?".
				"never got", "didn't get", "never received", "didn't receive", "never saw", "didn't see",
				// Another way to reach them: "message me on telegram
				// instead".
				"message me on", "message me at", "reach me on", "reach me at", "contact me on", "contact me at",
				"find me on", "text me on", "ping me on", "hit me up on",
			},
		),
		1: {
			"gdpr", "compliant", "compliance", "soc 2", "privacy", "secure", "security", "tech stack",
			"legit", "pfp", "profile pic", "avatar",
			// Asking for a message again: neutral alone ("can you
			// resend?"), and any interest beside it decides ("resend the
			// deck? keen to read it").
			"resend",
		},
	},

	acknowledgements: cues{
		1: {
			"got it", "noted", "seen", "received", "reading now", "will do", "roger", "fair enough",
			"thanks for the heads up", "no worries", "no problem", "gm", "gn", "good morning",
			"happy friday", "happy monday", "happy holidays", "happy new year", "have a good", "👍", "👌",
		},
		0.5: {
			"ok", "alright", "hmm", "huh", "lol", "haha", "hah", "lmao", "rofl", "hi", "hey", "hello", "yo",
			"🤔", "👀", "😅", "😂", "🤣", "🙃", "😬", "👋", "🤷", "😐", "🌴", "fyi",
		},
	},

	idioms: []string{
		"not gonna lie", "just curious", "not only", "no matter", "not to mention",
		"whether or not", "if not", "no doubt", "cold call", "call it", "feel free", "thanks", "thank you",
		"appreciate it", "sorry", "in charge", "make sure", "makes sure", "making sure",
		// Deciding, not a meeting: "she makes those calls".
		"make the call", "makes the call", "make those calls", "makes those calls", "makes that call",
		"genuinely curious", "asking for a friend", "appreciate the invite", "thanks for the invite", "thank you for the invite",
		"for inviting",
	},

	meetings: []string{
		"call", "a call", "calls", "meeting", "meet", "zoom", "google meet", "chat", "hop on", "jump on",
		"demo", "demos", "walkthrough", "walk through", "walk me through", "calendly", "calendar",
		"slot", "book me", "book a", "book time", "schedule", "set up a time", "15 min", "20 min",
		"30 min", "what times", "what time works", "when works", "when are you free", "i'm free",
		"free on", "are you free", "find time", "find a time", "pick a time", "set a time", "grab time",
		"time to talk", "let's talk", "can we talk", "when can we talk", "talk more", "talk live",
		"quick sync", "a sync", "sync up", "coffee", "invite", "booking link", "availability",
		"book it", "show me",
	},
	clockSuffixes: []string{"am", "pm"},
	topicMarkers:  []string{"the", "your", "its", "their", "our", "this", "that"},
	topicVerbs: []string{
		"is", "are", "was", "were", "seems", "looks", "sounds", "doesn't", "isn't", "aren't",
		"matters", "feels",
	},
	reporters: []string{
		"says", "say", "said", "saying", "replies", "reply", "replied", "replying", "writes", "wrote", "types", "typed",
	},
	reportedBy: []string{
		"who", "someone", "somebody", "anyone", "anybody", "lead", "leads", "prospect", "prospects", "user", "users",
		"customer", "customers", "recipient", "recipients", "people",
	},
	pointers: []string{"that", "the", "your", "some", "those", "typical", "usual"},

	buyingQuestions: []string{
		"does it", "does this", "does your", "can it", "can this", "can your", "will it", "would it",
		"would this", "would that", "is it possible", "is there a", "is there an", "do you work with",
		"do you support", "do you integrate", "do you offer", "do you guys", "do you have a", "can you handle",
		"how fast", "how long does", "how many", "what's included", "what do i get", "what's the typical",
		"what's the minimum", "could it", "could this", "would your", "what would you need",
		"what do you need from",
	},

	prices: []string{
		"price", "prices", "pricing", "cost", "costs", "how much", "charge", "charges", "ballpark",
		"quote", "fee", "fees", "per seat", "per month", "per user", "billing", "discount", "discounts",
		"is it free", "for free", "paid plan", "the investment", "tiers",
		"your rate", "your rates", "rates $", "day rate", "hourly rate",
	},
}
