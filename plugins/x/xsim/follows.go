package xsim

type followBody struct {
	TargetUserID string `json:"target_user_id"`
}

// followed is X's answer to a follow (follow.response.json): a protected
// target gets a follow request instead (follow.protected_user.response.json).
type followed struct {
	Data struct {
		Following     bool `json:"following"`
		PendingFollow bool `json:"pending_follow"`
	} `json:"data"`
}

func (s *Sim) handleFollow(c *call) result {
	if bad := requireSelf(c); bad != nil {
		return *bad
	}
	var body followBody
	if bad := decodeBody(c.r, &body); bad != nil {
		return *bad
	}
	target, ok := parseID(body.TargetUserID)
	if !ok {
		return invalidBody("The `target_user_id` field [%s] must be a user id (1 to 19 digits)", body.TargetUserID)
	}
	if target == c.user {
		return forbidden("You cannot follow yourself.")
	}
	u, found := s.userByIDLocked(target)
	if !found {
		return targetNotFound("target_user_id", body.TargetUserID)
	}
	var out followed
	key := [2]uint64{c.user, target}
	pending, already := s.follows[key]
	switch {
	case already:
		// Following again succeeds with no action, as X documents.
		out.Data.Following, out.Data.PendingFollow = !pending, pending
	case u.Protected:
		s.follows[key] = true
		out.Data.PendingFollow = true
	default:
		s.follows[key] = false
		s.followed[c.user] = append(s.followed[c.user], target)
		out.Data.Following = true
	}
	return answerOK(out)
}

// requireSelf checks that the :id of a write is the authenticated user, as X
// requires for follows and likes.
func requireSelf(c *call) *result {
	id, raw, bad := pathID(c, "id")
	if bad != nil {
		return bad
	}
	if id != c.user {
		res := forbidden("You can only act on behalf of the authenticated user; [" + raw + "] is not the user of this token.")
		return &res
	}
	return nil
}
