//go:build !race

package pluginhosttest

const raceEnabled = false
