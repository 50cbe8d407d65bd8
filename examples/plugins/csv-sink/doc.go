// Command outreach-plugin-csv-sink is an example of a third-party outreach
// plugin: a sink that appends every event to a CSV file, one row an event
// (id, type, timestamp, workspace, data as JSON).
//
// It imports nothing of outreach but its SDK (github.com/outreachhq/outreach/sdk),
// which is all a plugin needs. Build it, name it in a plugin block, and the
// host runs it out of process:
//
//	go build -o ./plugins/outreach-plugin-csv-sink ./examples/plugins/csv-sink
//
//	plugin "csv" {
//	  source = "./plugins/outreach-plugin-csv-sink"
//	  config {
//	    path = "/var/lib/outreach/events.csv"
//	  }
//	}
package main
