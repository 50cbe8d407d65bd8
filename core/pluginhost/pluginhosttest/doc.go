// Package pluginhosttest is test tooling for the plugin host and its users:
// a plugin that misbehaves on request (Faulty: it panics, exits, hangs or
// answers garbage in a chosen call, a chosen number of times, even across
// relaunches), a main that serves it with a right or a wrong handshake
// (Main, built as the binary in faultplugin/), and helpers to build that
// binary for a test and to check that no plugin process outlives one.
//
// It also runs a built binary as a person would, for the tests that crash
// it or serve from it: Start runs it in a process group of its own (so
// that its plugins end with it) and keeps its output as Lines a test waits
// on instead of sleeping; Stop and Shutdown end it by SIGTERM, as Ctrl-C
// would, Kill as a crash would, and the test's end kills whatever of its
// group is left and checks that nothing is.
//
// Faulty is a network plugin (the X connector, pointed at a simulated X,
// plus the faults) and a sink, so a test can run the real engine against
// it. It is not a fake of X: the effects it lets through are real effects
// on the simulated X, which is what lets a test tell whether a DM was sent
// twice.
package pluginhosttest
