// Package schedule is the calendar arithmetic of sending: when a daily
// window (an account's active hours, a campaign's sending window) is open,
// when several are open together, which day a send counts against for a
// daily cap, what a warmup ramp allows on a day, and how long an account
// waits between two sends.
//
// Both the engine, which sends, and the plan's estimate of when a campaign
// finishes call these functions, so the two cannot disagree about any of
// it. The package knows nothing of config or store types: each caller
// converts its own at its edge (NewWindow takes plain values).
//
// It is not a scheduler: it keeps no state, reads no clock and runs
// nothing.
package schedule
