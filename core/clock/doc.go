// Package clock gives the engine its time: it tells the time, runs the
// goroutines that wait on it, and does the waiting. Production code uses
// Real. Tests use Virtual, whose time moves only when every goroutine it
// runs is waiting, so that work spread over many goroutines with hour-long
// waits runs in milliseconds, each goroutine waking exactly at its
// deadlines.
//
// It is not a scheduler: it keeps no queue of work, runs nothing at a time
// of its own choosing, and starts no goroutine but those handed to Go.
package clock
