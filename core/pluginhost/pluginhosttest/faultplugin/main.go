package main

import (
	"os"

	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
)

func main() { os.Exit(pluginhosttest.Main(os.Args[1:])) }
