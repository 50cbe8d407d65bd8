package storetest

import (
	"testing"

	"github.com/outreachhq/outreach/core/store"
)

// Run runs the conformance suite against the store open returns. open is
// called once per subtest and must return a fresh, empty store whose
// cleanup it registers on the t it is given.
func Run(t *testing.T, open func(t *testing.T) store.Transactor[Tx]) {
	areas := []struct {
		name string
		test func(*testing.T, Opener)
	}{
		{"Workspaces", testWorkspaces},
		{"Accounts", testAccounts},
		{"AccountState", testAccountState},
		{"Objects", testObjects},
		{"Leads", testLeads},
		{"Jobs", testJobs},
		{"Queues", testQueues},
		{"Tallies", testTallies},
		{"Intents", testIntents},
		{"Engagements", testEngagements},
		{"Conversations", testConversations},
		{"Messages", testMessages},
		{"Outbox", testOutbox},
		{"Keys", testKeys},
		{"Sessions", testSessions},
		{"Settings", testSettings},
		{"Spends", testSpends},
		{"Export", testExport},
		{"Isolation", testIsolation},
		{"Transactions", testTransactions},
		{"ReadAhead", testReadAhead},
	}
	for _, a := range areas {
		t.Run(a.name, func(t *testing.T) { a.test(t, open) })
	}
}
