package xsim

import "time"

// userJSON is an X API v2 user object. id, name and username are always
// there; the rest only when asked for in user.fields. description and url are
// present (possibly "") when asked for; location is left out when the user
// gave none, as X does.
type userJSON struct {
	ID              string         `json:"id"`
	Name            string         `json:"name"`
	Username        string         `json:"username"`
	CreatedAt       string         `json:"created_at,omitempty"`
	Description     *string        `json:"description,omitempty"`
	Location        string         `json:"location,omitempty"`
	URL             *string        `json:"url,omitempty"`
	Verified        *bool          `json:"verified,omitempty"`
	Protected       *bool          `json:"protected,omitempty"`
	ProfileImageURL string         `json:"profile_image_url,omitempty"`
	PublicMetrics   *publicMetrics `json:"public_metrics,omitempty"`
	ReceivesYourDM  *bool          `json:"receives_your_dm,omitempty"`
}

type publicMetrics struct {
	FollowersCount int `json:"followers_count"`
	FollowingCount int `json:"following_count"`
	TweetCount     int `json:"tweet_count"`
	ListedCount    int `json:"listed_count"`
}

// xTime is X's timestamp format: RFC 3339 in UTC with milliseconds.
const xTime = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(xTime) }

func renderUser(u User, f fieldSet) userJSON {
	j := userJSON{ID: u.ID, Name: u.Name, Username: u.Username}
	if f["created_at"] {
		j.CreatedAt = formatTime(u.CreatedAt)
	}
	if f["description"] {
		j.Description = &u.Description
	}
	if f["location"] {
		j.Location = u.Location
	}
	if f["url"] {
		j.URL = &u.URL
	}
	if f["verified"] {
		j.Verified = &u.Verified
	}
	if f["protected"] {
		j.Protected = &u.Protected
	}
	if f["profile_image_url"] {
		j.ProfileImageURL = u.ProfileImageURL
	}
	if f["public_metrics"] {
		j.PublicMetrics = &publicMetrics{u.FollowersCount, u.FollowingCount, u.TweetCount, u.ListedCount}
	}
	if f["receives_your_dm"] {
		j.ReceivesYourDM = &u.AcceptsDMs
	}
	return j
}

type userData struct {
	Data userJSON `json:"data"`
}

// listMeta is the meta object of a paged list.
type listMeta struct {
	ResultCount   int    `json:"result_count"`
	NextToken     string `json:"next_token,omitempty"`
	PreviousToken string `json:"previous_token,omitempty"`
}

type usersPage struct {
	Data []userJSON `json:"data,omitempty"`
	Meta listMeta   `json:"meta"`
}

func (s *Sim) handleUserByUsername(c *call) result {
	name := c.r.PathValue("username")
	if !validUsername(name) {
		return invalidParam("username", name, "The `username` query parameter value [%s] does not match ^[A-Za-z0-9_]{1,15}$", name)
	}
	fields, bad := userQuery(c.q, userExpansionValues)
	if bad != nil {
		return *bad
	}
	u, found := s.userByUsernameLocked(name)
	if !found {
		return lookupNotFound("username", name)
	}
	return answerOK(userData{renderUser(u, fields)})
}

func (s *Sim) handleUserByID(c *call) result {
	id, raw, bad := pathID(c, "id")
	if bad != nil {
		return *bad
	}
	fields, bad := userQuery(c.q, userExpansionValues)
	if bad != nil {
		return *bad
	}
	u, found := s.userByIDLocked(id)
	if !found {
		return lookupNotFound("id", raw)
	}
	return answerOK(userData{renderUser(u, fields)})
}

func (s *Sim) handleMe(c *call) result {
	fields, bad := userQuery(c.q, userExpansionValues)
	if bad != nil {
		return *bad
	}
	u, _ := s.userByIDLocked(c.user) // an authenticated user is an owner
	return answerOK(userData{renderUser(u, fields)})
}

// handleEdges serves GET /2/users/:id/followers and /following.
func (s *Sim) handleEdges(kind edgeKind) func(*call) result {
	return func(c *call) result {
		id, raw, bad := pathID(c, "id")
		if bad != nil {
			return *bad
		}
		fields, bad := userQuery(c.q, userExpansionValues)
		if bad != nil {
			return *bad
		}
		spec := followersPageSpec
		spec.kind, spec.scope = cursorFollowers, id
		if kind == followingEdge {
			spec.kind = cursorFollowing
		}
		pq, bad := parsePageQuery(c.q, spec)
		if bad != nil {
			return *bad
		}
		u, found := s.userByIDLocked(id)
		if !found {
			return lookupNotFound("id", raw)
		}
		list := s.pop.edges(id, kind, s.pop.listedCount(u, kind))
		if kind == followingEdge {
			list = append(s.followedLocked(id), list...)
		}
		return answerOK(s.usersPageOf(list, pq, spec, fields))
	}
}

// followedLocked lists whom user id followed through the API, the latest
// first, as X lists a user's following.
func (s *Sim) followedLocked(id uint64) []member {
	ids := s.followed[id]
	out := make([]member, len(ids))
	for i, target := range ids {
		out[len(ids)-1-i] = member{id: target}
	}
	return out
}

// usersPageOf cuts one page out of a generated list; the cursor is an offset.
func (s *Sim) usersPageOf(list []member, pq pageQuery, spec pageSpec, fields fieldSet) usersPage {
	start := len(list)
	if pq.cursor < uint64(len(list)) {
		start = int(pq.cursor)
	}
	end := min(start+pq.max, len(list))
	page := usersPage{}
	for _, m := range list[start:end] {
		u, _ := s.userByIDLocked(m.id) // generated ids always decode
		page.Data = append(page.Data, renderUser(u, fields))
	}
	page.Meta.ResultCount = len(page.Data)
	if end < len(list) {
		page.Meta.NextToken = encodeToken(spec.kind, spec.scope, uint64(end))
	}
	if start > 0 && start < len(list) {
		page.Meta.PreviousToken = encodeToken(spec.kind, spec.scope, uint64(max(start-pq.max, 0)))
	}
	return page
}
