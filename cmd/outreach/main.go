// Command outreach is self-hosted outreach automation for X. See the README.
package main

import (
	"os"

	"github.com/outreachhq/outreach/core/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:])) }
