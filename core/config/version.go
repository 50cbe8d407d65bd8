package config

import (
	"fmt"
	"strconv"
	"strings"
)

// VersionConstraint is a parsed plugin version constraint: every clause must
// hold. It understands the operators of Terraform's constraints (=, !=, >,
// >=, <, <=, ~>) over versions of up to three numbers with an optional
// pre-release suffix, which is all a plugin version needs.
type VersionConstraint []versionClause

type versionClause struct {
	op string
	v  version
	// parts is how many numbers the clause wrote, for ~>.
	parts int
}

type version struct {
	nums [3]int
	pre  string
}

// ParseVersionConstraint parses "OP VERSION[, OP VERSION]...". An empty
// string is an error: leave the attribute out to accept any version.
func ParseVersionConstraint(s string) (VersionConstraint, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("the version constraint is empty")
	}
	var out VersionConstraint
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		op := "="
		for _, candidate := range []string{">=", "<=", "!=", "~>", ">", "<", "="} {
			if strings.HasPrefix(part, candidate) {
				op = candidate
				part = strings.TrimSpace(part[len(candidate):])
				break
			}
		}
		v, n, err := parseVersion(part)
		if err != nil {
			return nil, err
		}
		out = append(out, versionClause{op: op, v: v, parts: n})
	}
	return out, nil
}

// parseVersion reads "1", "1.2", "1.2.3" or "1.2.3-beta.1", with an
// optional leading v, and says how many numbers it had.
func parseVersion(s string) (version, int, error) {
	var v version
	s = strings.TrimPrefix(s, "v")
	if i := strings.IndexByte(s, '-'); i >= 0 {
		v.pre = s[i+1:]
		s = s[:i]
		if v.pre == "" || strings.Trim(v.pre, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != "" {
			return v, 0, fmt.Errorf("%q has an invalid pre-release suffix", s+"-"+v.pre)
		}
	}
	nums := strings.Split(s, ".")
	if s == "" || len(nums) > 3 {
		return v, 0, fmt.Errorf("%q is not a version like 1.2.3", s)
	}
	for i, n := range nums {
		x, err := strconv.Atoi(n)
		if err != nil || x < 0 || n == "" || n[0] == '+' {
			return v, 0, fmt.Errorf("%q is not a version like 1.2.3", s)
		}
		v.nums[i] = x
	}
	return v, len(nums), nil
}

func (a version) compare(b version) int {
	for i := range a.nums {
		if a.nums[i] != b.nums[i] {
			if a.nums[i] < b.nums[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case a.pre == b.pre:
		return 0
	case a.pre == "": // a release sorts after its pre-releases
		return 1
	case b.pre == "":
		return -1
	case a.pre < b.pre:
		return -1
	}
	return 1
}

// Allows reports whether version v (like "0.3.1") meets every clause. A
// version that does not parse meets none.
func (c VersionConstraint) Allows(v string) bool {
	ver, _, err := parseVersion(strings.TrimSpace(v))
	if err != nil {
		return false
	}
	for _, cl := range c {
		cmp := ver.compare(cl.v)
		ok := false
		switch cl.op {
		case "=":
			ok = cmp == 0
		case "!=":
			ok = cmp != 0
		case ">":
			ok = cmp > 0
		case ">=":
			ok = cmp >= 0
		case "<":
			ok = cmp < 0
		case "<=":
			ok = cmp <= 0
		case "~>":
			// ~> 1.2 allows >= 1.2, < 2.0; ~> 1.2.3 allows >= 1.2.3, < 1.3.0.
			upper := version{}
			idx := max(cl.parts-2, 0)
			copy(upper.nums[:idx], cl.v.nums[:idx])
			upper.nums[idx] = cl.v.nums[idx] + 1
			ok = cmp >= 0 && ver.compare(upper) < 0
		}
		if !ok {
			return false
		}
	}
	return true
}
