// Package filter decides which scraped leads a lead source keeps.
//
// A filter is the hosted API's Filters Object (keyword groups with AND/OR
// logic, location exclusions, follower and following ranges, has-website)
// plus an optional raw expr-lang `where` expression. [Compile] turns a [Spec]
// into one expr program, once; [Program.Match] then runs it per [Lead].
//
// It is not the HCL side of filters: package config decodes `filter` blocks
// into a [Spec] and reports errors with file positions. Nor does it fetch or
// store leads; it only answers "does this lead pass".
package filter
