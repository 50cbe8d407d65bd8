// Command faultplugin is the misbehaving plugin of package pluginhosttest,
// as a binary of its own: tests build it (pluginhosttest.Build) and load it
// as an external plugin.
package main
