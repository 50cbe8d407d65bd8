package schedule

import "time"

// A network's rate budget allows some number of calls in a rolling window
// (X: 15 DM sends per 15 minutes and 1,440 per 24 hours per user, 1,440
// per 24 hours per app). The engine and the plan turn each into the two
// things the calendar already knows: a least gap between calls, and a
// daily cap. A budget that every account of an app shares is split evenly
// among the accounts that use it (AppShare), the one rule both follow.

// Spacing is the least gap between calls that keeps within a budget of
// requests per window: 15 per 15 minutes gives 1 minute. 0 for no budget.
func Spacing(requests int, window time.Duration) time.Duration {
	if requests <= 0 || window <= 0 {
		return 0
	}
	return window / time.Duration(requests)
}

// DailyBudget is the most calls a budget of requests per window allows in
// a day: requests for a window of a day or more, and as many windows as a
// day holds for a shorter one. 0 for no budget.
func DailyBudget(requests int, window time.Duration) int {
	if requests <= 0 || window <= 0 {
		return 0
	}
	if window >= 24*time.Hour {
		return requests
	}
	return requests * int(24*time.Hour/window)
}

// AppShare is one account's share of a budget of requests that accounts
// accounts share: the budget divided evenly among them, rounded down but
// at least 1, so that every active account can make progress. 0 for no
// budget; the whole budget when accounts is under 2.
func AppShare(requests, accounts int) int {
	if requests <= 0 {
		return 0
	}
	if accounts < 2 {
		return requests
	}
	return max(requests/accounts, 1)
}

// Windows is how many windows of a budget of requests per window the calls
// need: 5 requests within 15 per 15 minutes need 1, 2,000 within 1,440
// per day need 2. 0 for no calls or no budget.
func Windows(calls, requests int) int {
	if calls <= 0 || requests <= 0 {
		return 0
	}
	return (calls + requests - 1) / requests
}
