package plugintest

import (
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

func TestBudgetProblems(t *testing.T) {
	ok := sdk.Budget{Operation: sdk.OpDMEvents, Requests: 15, Window: 15 * time.Minute}
	tests := []struct {
		name    string
		budgets []sdk.Budget
		want    []string // a substring of each problem, in order
	}{
		{"none", nil, nil},
		{"sane", []sdk.Budget{ok, {Operation: sdk.OpSendDM, Requests: 1440, Window: 24 * time.Hour}, {Operation: "custom", Requests: 1, Window: time.Second}}, nil},
		{"no operation", []sdk.Budget{{Requests: 1, Window: time.Minute}}, []string{"names no operation"}},
		{"spaces", []sdk.Budget{{Operation: " send_dm", Requests: 1, Window: time.Minute}}, []string{"spaces"}},
		{"duplicate", []sdk.Budget{ok, ok}, []string{"repeats"}},
		{"zero requests", []sdk.Budget{{Operation: sdk.OpLike, Window: time.Minute}}, []string{"allows 0 requests"}},
		{"negative requests", []sdk.Budget{{Operation: sdk.OpLike, Requests: -1, Window: time.Minute}}, []string{"allows -1 requests"}},
		{"zero window", []sdk.Budget{{Operation: sdk.OpLike, Requests: 1}}, []string{"window 0s"}},
		{"sub-millisecond window", []sdk.Budget{{Operation: sdk.OpLike, Requests: 1, Window: time.Microsecond}}, []string{"window 1µs"}},
		{"several", []sdk.Budget{{Requests: 0, Window: -time.Second}}, []string{"names no operation", "allows 0", "window -1s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := budgetProblems(tt.budgets)
			if len(got) != len(tt.want) {
				t.Fatalf("problems %q; want %d matching %q", got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d is %q; want it to say %q", i, got[i], w)
				}
			}
		})
	}
}
