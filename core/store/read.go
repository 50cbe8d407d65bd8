package store

// Read names a record for a transaction to read ahead: a hint, for a store
// whose every read is a round trip to a server, that the caller is about
// to read these records one by one, so that it may read them all in one
// round trip now (Postgres does; buntdb, in memory, has nothing to gain).
// The reads still go through the transaction's methods and answer exactly
// as they would without the hint; a write in between voids what was read
// ahead.
type Read struct {
	Kind      ReadKind
	Workspace string
	// ID names the record: a job's, campaign's, account's or
	// conversation's id, the job's for an intent, a lead's user id (Lead,
	// DoNotContact), the account's (AccountState, QueueHeads, SentOn).
	ID string
	// Day is SentOn's day key.
	Day string
	// Except is, for QueueHeads, a job to leave out: it reads ahead
	// QueueHeadsAfter's answer.
	Except string
}

// ReadKind is the transaction method a Read stands for.
type ReadKind uint8

// The reads a transaction may be asked to read ahead.
const (
	ReadJob ReadKind = iota + 1
	ReadCampaign
	ReadAccount
	ReadAccountState
	ReadQueueHeads
	ReadConversation
	ReadIntent
	ReadLead
	ReadDoNotContact
	ReadSentOn
)
