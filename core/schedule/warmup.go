package schedule

import "time"

// Ramp is a warmup ramp of an account's daily DM cap: on ramp day n
// (0 on the day warmup starts) the cap is Start + n*Increase, until that
// reaches Max. While warmup is paused the ramp holds: the ramp day stops
// advancing, and when the pause ends it goes on from where it held.
//
// Holding needs to remember two things across days, which Sync keeps up to
// date and the caller stores: the ramp day a pause holds at, and how many
// days earlier pauses held the ramp in all.
type Ramp struct {
	Start, Increase int
	// Max is the cap the ramp climbs to (the account's daily DM limit); 0
	// means none.
	Max int
	// Day0 is ramp day 0, in the account's cap time zone.
	Day0 Day
	// Shift is how many days earlier pauses held the ramp.
	Shift int
	// Holding is set while a pause holds the ramp at ramp day Held.
	Holding bool
	Held    int
}

// Sync brings the ramp's pause state up to date on day today: a pause
// that has just begun holds the ramp at today's ramp day; a pause that has
// just ended shifts the ramp so that today is the day it held at.
func (r Ramp) Sync(today Day, paused bool) Ramp {
	switch {
	case paused && !r.Holding:
		r.Holding, r.Held = true, r.rampDay(today)
	case !paused && r.Holding:
		r.Holding, r.Shift = false, int(today-r.Day0)-r.Held
	}
	return r
}

// rampDay is the ramp day of day d, when the ramp is not held.
func (r Ramp) rampDay(d Day) int { return max(int(d-r.Day0)-r.Shift, 0) }

// Cap returns the DM cap on day d, which must not be before the last Sync:
// a held ramp stays where it is on every later day.
func (r Ramp) Cap(d Day) int {
	n := r.Held
	if !r.Holding {
		n = r.rampDay(d)
	}
	if r.Increase > 0 && r.Max > 0 && n >= (r.Max-r.Start)/r.Increase+1 {
		return r.Max // also keeps Start + n*Increase from overflowing
	}
	c := r.Start + n*r.Increase
	if r.Max > 0 {
		c = min(c, r.Max)
	}
	return c
}

// DailyCap is an account's DM cap per day: its daily limit, lowered by
// its warmup ramp.
type DailyCap struct {
	// Limit is the daily DM limit; 0 means none.
	Limit int
	// Ramp is the warmup ramp, nil for none; its Max is Limit.
	Ramp *Ramp
	// Loc is the time zone whose days the cap counts (CapLocation).
	Loc *time.Location
	// Budget is the most the network's daily budgets let the account send
	// in a day, whatever Limit and Ramp say (see Within); 0 means none.
	Budget int
}

// On returns the cap on day d; 0 means none when there is no ramp and no
// budget (a ramp's cap is always a cap, even 0).
func (c DailyCap) On(d Day) int {
	n := c.Limit
	if c.Ramp != nil {
		n = c.Ramp.Cap(d)
	}
	if c.Budget > 0 && (n > c.Budget || n == 0 && c.Ramp == nil) {
		n = c.Budget
	}
	return n
}

// Full reports whether sent DMs reach the cap of day d.
func (c DailyCap) Full(d Day, sent int) bool {
	limit := c.On(d)
	if c.Ramp != nil {
		return sent >= limit
	}
	return limit > 0 && sent >= limit
}

// Within lowers the cap to a daily budget of n sends (0: none): the
// lowest of the budgets it is given holds.
func (c DailyCap) Within(n int) DailyCap {
	if n > 0 && (c.Budget == 0 || n < c.Budget) {
		c.Budget = n
	}
	return c
}

// BudgetBinds reports whether the budget, rather than the account's own
// limit or warmup, sets the cap of day d.
func (c DailyCap) BudgetBinds(d Day) bool {
	own := c.Limit
	if c.Ramp != nil {
		own = c.Ramp.Cap(d)
	}
	return c.Budget > 0 && (own > c.Budget || own == 0 && c.Ramp == nil)
}
