package schedule

import (
	"testing"
	"time"
)

func TestBudgets(t *testing.T) {
	if got := Spacing(15, 15*time.Minute); got != time.Minute {
		t.Errorf("Spacing(15, 15m) = %v, want 1m", got)
	}
	for _, c := range []struct {
		requests int
		window   time.Duration
		want     int
	}{{1440, 24 * time.Hour, 1440}, {15, 15 * time.Minute, 1440}, {300, 15 * time.Minute, 28800}, {0, time.Hour, 0}} {
		if got := DailyBudget(c.requests, c.window); got != c.want {
			t.Errorf("DailyBudget(%d, %v) = %d, want %d", c.requests, c.window, got, c.want)
		}
	}
	for _, c := range []struct{ requests, accounts, want int }{{1440, 3, 480}, {1440, 1, 1440}, {1440, 0, 1440}, {2, 5, 1}, {0, 3, 0}} {
		if got := AppShare(c.requests, c.accounts); got != c.want {
			t.Errorf("AppShare(%d, %d) = %d, want %d", c.requests, c.accounts, got, c.want)
		}
	}
	for _, c := range []struct{ calls, requests, want int }{{5, 15, 1}, {2000, 1440, 2}, {1440, 1440, 1}, {0, 15, 0}} {
		if got := Windows(c.calls, c.requests); got != c.want {
			t.Errorf("Windows(%d, %d) = %d, want %d", c.calls, c.requests, got, c.want)
		}
	}
}

func TestDailyCapWithinBudget(t *testing.T) {
	var d Day
	c := DailyCap{Limit: 2000}.Within(1440).Within(480)
	if c.On(d) != 480 || !c.Full(d, 480) || c.Full(d, 479) || !c.BudgetBinds(d) {
		t.Errorf("cap 2000 within 1440 and 480: On = %d, want 480 and the budget binding", c.On(d))
	}
	if c := (DailyCap{Limit: 50}).Within(480); c.On(d) != 50 || c.BudgetBinds(d) {
		t.Errorf("cap 50 within 480: On = %d, want 50, the account's own cap binding", c.On(d))
	}
	if c := (DailyCap{}).Within(1440); c.On(d) != 1440 || !c.Full(d, 1440) {
		t.Errorf("no cap within 1440: On = %d, want 1440", c.On(d))
	}
	if c := (DailyCap{}); c.Full(d, 1_000_000) {
		t.Error("no cap and no budget is never full")
	}
}
