package plugintest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/sdk"
)

// knownOperations are the operations this version of the SDK names. A
// budget for another is allowed (the host ignores it) but logged, since it
// is more often a typo than a new operation.
var knownOperations = []string{
	sdk.OpCheckSession, sdk.OpLookupUsers, sdk.OpScrape, sdk.OpSendDM, sdk.OpDMEvents,
	sdk.OpFollow, sdk.OpLike, sdk.OpComment, sdk.OpTweet, sdk.OpUserPosts,
}

// testRateBudgets checks the budgets a network plugin declares, if it
// implements sdk.RateBudgeter: the host divides windows by requests to
// space its calls, so a zero, a negative or a duplicate would make it poll
// flat out or pick one of two numbers at random.
func testRateBudgets(t *testing.T, c *Conn) {
	rb, ok := c.Network.(sdk.RateBudgeter)
	if !ok {
		t.Fatalf("the host's network client %T does not implement sdk.RateBudgeter", c.Network)
	}
	budgets, err := rb.RateBudgets(context.Background())
	if sdk.KindOf(err) == sdk.Permanent {
		t.Skipf("the plugin declares no rate budgets: %v", err)
	}
	if err != nil {
		t.Fatalf("RateBudgets: %v; want the budgets, or a Permanent error from a plugin without them", err)
	}
	for _, p := range budgetProblems(budgets) {
		t.Error(p)
	}
	for _, b := range budgets {
		if b.Operation != "" && !slices.Contains(knownOperations, b.Operation) {
			t.Logf("budget for operation %q, which this SDK does not know (known: %v); the host ignores it", b.Operation, knownOperations)
		}
	}
}

// budgetProblems lists what is wrong with a plugin's budgets.
func budgetProblems(budgets []sdk.Budget) []string {
	var problems []string
	seen := map[string]bool{}
	for i, b := range budgets {
		name := fmt.Sprintf("budget %d (%q)", i, b.Operation)
		switch {
		case b.Operation == "":
			problems = append(problems, name+" names no operation")
		case strings.TrimSpace(b.Operation) != b.Operation:
			problems = append(problems, name+" has spaces around its operation name")
		case seen[b.Operation]:
			problems = append(problems, name+" repeats an operation: declare one budget per operation, the tightest")
		}
		seen[b.Operation] = true
		if b.Requests <= 0 {
			problems = append(problems, fmt.Sprintf("%s allows %d requests: want at least 1", name, b.Requests))
		}
		if b.Window.Milliseconds() <= 0 {
			problems = append(problems, fmt.Sprintf("%s has window %s: want at least a millisecond (windows cross the boundary in milliseconds)", name, b.Window))
		}
	}
	return problems
}
