package xsim

import (
	"fmt"
	"strings"
	"time"
)

// User is a user of the simulated X, with the fields of an X API v2 user
// object.
type User struct {
	ID              string
	Name            string
	Username        string
	Description     string
	Location        string // empty when the user gave none
	URL             string // empty when the user gave none
	Verified        bool
	Protected       bool
	CreatedAt       time.Time
	ProfileImageURL string
	FollowersCount  int
	FollowingCount  int
	TweetCount      int
	ListedCount     int
	// AcceptsDMs is false for the few users who refuse DMs from strangers; a DM
	// to them answers 403. It is X's receives_your_dm user field.
	AcceptsDMs bool
}

// population derives every user, profile and follower list from the seed.
// It holds no state: the same seed always gives the same world.
type population struct{ seed uint64 }

// edgeKind tells a user's followers from the accounts they follow.
type edgeKind uint64

const (
	followersEdge edgeKind = 1
	followingEdge edgeKind = 2
)

// Listed follower and following counts are capped to keep the world small
// enough to scrape in a test; public_metrics keep realistic counts, as if the
// rest of the list were beyond what X lets a client page through.
const (
	minListedFollowers, maxListedFollowers = 30, 400
	minListedFollowing, maxListedFollowing = 10, 200
)

// listedCount is how many users the followers or following list of a user
// holds: a per-user sample size, no larger than the user's public count.
func (p population) listedCount(u User, kind edgeKind) int {
	id, _ := parseID(u.ID)
	r := newRNG(hashOf(p.seed, id, uint64(kind), saltEdges))
	var n, public int
	if kind == followersEdge {
		n, public = r.between(minListedFollowers, maxListedFollowers), u.FollowersCount
	} else {
		n, public = r.between(minListedFollowing, maxListedFollowing), u.FollowingCount
	}
	return min(n, public)
}

// member is one generated user of a follower or following list.
type member struct {
	id    uint64
	parts handleParts
}

// edges lists the first n followers (or following) of a user. Entry i comes
// from (owner, kind, i, seed) alone, so pages of any size cut the same list;
// duplicates and the owner are skipped, so pages never repeat a user.
func (p population) edges(owner uint64, kind edgeKind, n int) []member {
	out := make([]member, 0, n)
	seen := make(map[uint64]bool, n+1)
	seen[owner] = true
	// Collisions are rare; the bound only guarantees termination.
	for i := uint64(0); len(out) < n && i < uint64(n)*4+64; i++ {
		r := newRNG(hashOf(p.seed, owner, uint64(kind), i, saltEdges))
		s, ok := randomParts(r).render()
		if !ok {
			continue
		}
		parts, ok := parseHandle(s)
		if !ok {
			continue
		}
		id := generatedID(parts)
		if seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, member{id: id, parts: parts})
	}
	return out
}

// randomParts draws the handle of a generated user, with the spread of handle
// shapes people use.
func randomParts(r *rng) handleParts {
	p := handleParts{first: uint8(r.intn(len(firstNames))), last: uint8(r.intn(len(lastNames)))}
	switch x := r.intn(100); {
	case x < 10:
		p.form = formFirstLast
	case x < 25:
		p.form = formFirstUnderLast
	case x < 50:
		p.form = formFirstLastDigits
	case x < 65:
		p.form = formFirstUnderLastDigits
	case x < 80:
		p.form = formFirstDigits
	case x < 85:
		p.form = formFirstUnderDigits
	default:
		p.form = formInitialLastDigits
	}
	if !p.hasLast() {
		p.last = 0
	}
	if p.hasDigits() {
		switch x := r.intn(10); {
		case x < 2:
			p.dlen, p.digits = 1, uint16(r.intn(10))
		case x < 7:
			p.dlen, p.digits = 2, uint16(r.intn(100))
		case x < 8:
			p.dlen, p.digits = 3, uint16(r.intn(1000))
		default: // a birth year, or a year that mattered
			p.dlen, p.digits = 4, uint16(r.between(1960, 2012))
		}
	}
	return p
}

// Roles a bio is built around, with their share of the population (percent).
type role int

const (
	roleNone role = iota
	roleFounder
	roleCEO
	roleEngineer
	roleDesigner
	roleStudent
	roleRecruiter
	roleVC
	roleMarketer
	roleCreator
	rolePersonal
)

var roleShares = []struct {
	role  role
	share int
}{
	{roleFounder, 14}, {roleCEO, 5}, {roleEngineer, 18}, {roleDesigner, 7}, {roleStudent, 8},
	{roleRecruiter, 5}, {roleVC, 4}, {roleMarketer, 7}, {roleCreator, 6}, {rolePersonal, 11},
	{roleNone, 15},
}

// profile builds the profile of a population user. parts is nil for users
// whose handle is not a generated one; their name is drawn instead.
func (p population) profile(id uint64, username string, parts *handleParts) User {
	r := newRNG(hashOf(p.seed, id, saltProfile))
	var first, last string
	if parts != nil {
		first = firstNames[parts.first]
		if parts.hasLast() {
			last = lastNames[parts.last]
		} else {
			last = pick(r, lastNames)
		}
	} else {
		first, last = pick(r, firstNames), pick(r, lastNames)
	}
	u := User{ID: idString(id), Username: username, AcceptsDMs: acceptsDMs(id)}

	switch x := r.intn(100); {
	case x < 84:
		u.Name = first + " " + last
	case x < 90:
		u.Name = first
	case x < 95:
		u.Name = strings.ToLower(first + " " + last)
	default:
		u.Name = first + " " + last[:1] + "."
	}

	rl := roleNone
	x := r.intn(100)
	for _, rs := range roleShares {
		if x < rs.share {
			rl = rs.role
			break
		}
		x -= rs.share
	}
	company := pick(r, startups)
	u.Description = bio(r, rl, company)

	if r.percent(75) {
		u.Location = pick(r, locations)
	}
	websiteChance := 40
	switch rl {
	case roleFounder, roleCEO, roleVC:
		websiteChance = 75
	case roleNone:
		websiteChance = 20
	}
	if r.percent(websiteChance) {
		u.URL = website(r, rl, company, first, last, username)
	}

	switch x := r.intn(100); {
	case x < 8:
		u.FollowersCount = r.between(0, 49)
	case x < 12:
		u.FollowersCount = r.between(50, 99)
	case x < 92:
		u.FollowersCount = r.logUniform(100, 20_000)
	case x < 98:
		u.FollowersCount = r.logUniform(20_001, 100_000)
	default:
		u.FollowersCount = r.logUniform(100_001, 5_000_000)
	}
	if r.percent(5) {
		u.FollowingCount = r.between(0, 9)
	} else {
		u.FollowingCount = r.logUniform(10, 3_000)
	}
	u.TweetCount = r.logUniform(1, 60_000)
	u.ListedCount = u.FollowersCount / r.between(40, 200)
	u.Verified = r.percent(3) || u.FollowersCount > 100_000 && r.percent(50)
	u.Protected = r.percent(3)
	u.CreatedAt = time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.intn(17*365*24*3600)) * time.Second)
	if r.percent(8) {
		u.ProfileImageURL = defaultProfileImage
	} else {
		u.ProfileImageURL = fmt.Sprintf("https://pbs.twimg.com/profile_images/%d/%s_normal.jpg",
			1_000_000_000_000_000_000+r.next()%800_000_000_000_000_000, token8(r))
	}
	return u
}

const defaultProfileImage = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"

// acceptsDMs decides, from the id alone (not the seed) so a test can find such
// a user once and for all, whether a user takes DMs from strangers: about 95%
// do.
func acceptsDMs(id uint64) bool { return hashOf(id, saltDMs)%100 >= 5 }

func bio(r *rng, rl role, company string) string {
	var s string
	switch rl {
	case roleNone:
		return ""
	case roleFounder:
		s = pick(r, []string{
			"Founder @ {company}", "Co-founder & CEO at {company}", "Founder of {company}. Building {thing}.",
			"Serial founder. Now building {company}.", "Founder, {company} (YC W2{digit})", "building {thing} @{company}",
		})
	case roleCEO:
		s = pick(r, []string{"CEO @{company}", "CEO at {company} | ex-{bigco}", "CEO & co-founder, {company}", "CEO. Building {thing}."})
	case roleEngineer:
		s = pick(r, []string{
			"Software engineer @ {bigco}.", "Backend engineer. Go, Rust, Postgres.", "Staff engineer at {company}",
			"Engineer building {thing}.", "ML engineer. Previously {bigco}.", "Frontend engineer & design systems nerd.",
		})
	case roleDesigner:
		s = pick(r, []string{"Product designer @ {company}", "Designer. Type nerd.", "Design lead at {bigco}", "Brand & product designer."})
	case roleStudent:
		s = pick(r, []string{"CS student @ {uni}", "Student. Learning to code.", "PhD student in {sector} at {uni}", "student | aspiring founder"})
	case roleRecruiter:
		s = pick(r, []string{"Tech recruiter @ {company}. We're hiring!", "Talent partner at {bigco}. DMs open for roles.", "Recruiter. Helping engineers find great teams."})
	case roleVC:
		s = pick(r, []string{"VC @ {fund}. Investing in pre-seed {sector}.", "Partner at {fund}", "Investor at {fund}. Backing founders in {sector}."})
	case roleMarketer:
		s = pick(r, []string{"Growth marketer.", "Head of Marketing at {company}", "Marketing @{bigco}. Writing about {topic}."})
	case roleCreator:
		s = pick(r, []string{"Writing about {topic}. Newsletter below 👇", "I make videos about {topic}.", "Podcast host. Talking {topic} every week."})
	case rolePersonal:
		s = pick(r, hobbies) + " " + pick(r, []string{"Opinions my own.", "Here for the memes.", "Mostly lurking.", "Living in {city}."})
	}
	if rl != rolePersonal && r.percent(30) {
		sep := " "
		if !strings.ContainsAny(s[len(s)-1:], ".!)") {
			sep = " | "
		}
		s += sep + pick(r, bioSuffixes)
	}
	return fill(r, s, company)
}

// fill replaces the {placeholders} of a template, drawing each from its list.
func fill(r *rng, s, company string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		switch s[i+1 : i+j] {
		case "company":
			b.WriteString(company)
		case "thing":
			b.WriteString(pick(r, things))
		case "bigco":
			b.WriteString(pick(r, bigCompanies))
		case "uni":
			b.WriteString(pick(r, universities))
		case "sector":
			b.WriteString(pick(r, sectors))
		case "fund":
			b.WriteString(pick(r, funds))
		case "topic":
			b.WriteString(pick(r, topics))
		case "city":
			b.WriteString(strings.Split(pick(r, locations), ",")[0])
		case "digit":
			b.WriteByte(byte('1' + r.intn(5)))
		default:
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
}

func website(r *rng, rl role, company, first, last, username string) string {
	slug := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }
	switch rl {
	case roleFounder, roleCEO, roleRecruiter, roleMarketer:
		if r.percent(70) {
			return "https://" + slug(company) + pick(r, []string{".com", ".io", ".ai", ".co"})
		}
	case roleVC:
		return "https://" + slug(pick(r, funds)) + ".vc"
	case roleCreator:
		return "https://" + strings.ToLower(username) + ".substack.com"
	}
	switch r.intn(3) {
	case 0:
		return "https://" + slug(first+last) + ".com"
	case 1:
		return "https://linkedin.com/in/" + strings.ToLower(username)
	default:
		return "https://" + strings.ToLower(username) + ".dev"
	}
}

const token8Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func token8(r *rng) string {
	b := make([]byte, 8)
	for i := range b {
		b[i] = token8Alphabet[r.intn(len(token8Alphabet))]
	}
	return string(b)
}

// ownerProfile is the plain profile of an account holder made by Login.
func (p population) ownerProfile(id uint64, handle string, tweets int) User {
	r := newRNG(hashOf(p.seed, id, saltProfile))
	u := User{
		ID:              idString(id),
		Name:            handle,
		Username:        handle,
		CreatedAt:       time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.intn(9*365*24*3600)) * time.Second),
		ProfileImageURL: defaultProfileImage,
		TweetCount:      tweets,
		AcceptsDMs:      true,
	}
	// An owner's lists are the sampled ones, and its public counts say so.
	u.FollowersCount = maxListedFollowers
	u.FollowingCount = maxListedFollowing
	u.FollowersCount = p.listedCount(u, followersEdge)
	u.FollowingCount = p.listedCount(u, followingEdge)
	return u
}

// tweet is a post in a user timeline.
type tweet struct {
	id             uint64
	authorID       uint64
	text           string
	createdAt      time.Time
	inReplyTo      uint64 // tweet id, 0 when not a reply
	retweets       int
	replies        int
	likes          int
	quotes         int
	conversationID uint64
}

// timeline gives the few recent posts of a population user, newest first.
// They are anchored to the start of the sim day, so they stay put while the
// clock moves within a day.
func (p population) timeline(u User, now time.Time) []tweet {
	id, _ := parseID(u.ID)
	r := newRNG(hashOf(p.seed, id, saltTweets))
	n := r.between(0, 20)
	if u.TweetCount < n {
		n = u.TweetCount
	}
	anchor := now.UTC().Truncate(24 * time.Hour)
	out := make([]tweet, 0, n)
	at := anchor
	for i := 0; i < n; i++ {
		at = at.Add(-time.Duration(r.between(600, 3*24*3600)) * time.Second)
		t := tweet{
			authorID:  id,
			createdAt: at,
			text:      fill(r, pick(r, tweetTemplates), pick(r, startups)),
			retweets:  r.logUniform(1, 500) - 1,
			replies:   r.logUniform(1, 200) - 1,
			likes:     r.logUniform(1, 3000) - 1,
			quotes:    r.logUniform(1, 50) - 1,
		}
		// Snowflake of the post's millisecond, with per-author low bits so two
		// users posting in the same millisecond get different ids.
		t.id = snowflakeAt(at) | hashOf(id, uint64(i), saltTweets)&(1<<22-1)
		t.conversationID = t.id
		out = append(out, t)
	}
	return out
}
