package xsim_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/outreachhq/outreach/plugins/x/xsim"
)

// manualClock is a clock the example moves by hand.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// A prospect scripted to ask a question, show interest and ask for a call
// answers three messages, then stays silent; ProspectReplies shows what it
// said and whether the account wrote after each reply.
func ExampleSim_ProspectReplies() {
	clock := &manualClock{t: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}
	sim := xsim.New(xsim.Options{Clock: clock, Faults: xsim.Faults{Prospects: map[string]xsim.ProspectScript{
		"ana_lead": {Intents: []xsim.Intent{xsim.IntentQuestion, xsim.IntentInterested, xsim.IntentAskCall}, Delay: time.Minute},
	}}})
	token, _ := sim.Login("acme_sales")
	ana, _ := sim.UserByUsername("ana_lead")
	for range 4 {
		req := httptest.NewRequest("POST", "/2/dm_conversations/with/"+ana.ID+"/messages", strings.NewReader(`{"text": "Hi Ana"}`))
		req.Header.Set("Authorization", "Bearer "+token)
		sim.Handler().ServeHTTP(httptest.NewRecorder(), req)
		clock.Advance(time.Hour)
	}
	for _, r := range sim.ProspectReplies() {
		fmt.Printf("turn %d: @%s to @%s: %s (messages after it: %d)\n", r.Turn, r.ProspectUsername, r.AccountUsername, r.Intent, r.LaterMessagesFromAccount)
	}
	// Output:
	// turn 1: @ana_lead to @acme_sales: question (messages after it: 3)
	// turn 2: @ana_lead to @acme_sales: interested (messages after it: 2)
	// turn 3: @ana_lead to @acme_sales: ask_call (messages after it: 1)
}
