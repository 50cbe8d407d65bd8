//go:build race

package pluginhosttest

// raceEnabled is true when the race detector is built in: binaries built
// for a test are built the same way, so they share its build cache and are
// checked for races too.
const raceEnabled = true
