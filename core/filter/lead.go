package filter

// Lead is what a filter sees of a scraped profile. The expr tags are the names
// a `where` expression uses, e.g. `followers > 1000 && !protected`.
type Lead struct {
	Username string `expr:"username"`
	Name     string `expr:"name"`
	Bio      string `expr:"bio"`
	Location string `expr:"location"`
	Website  string `expr:"website"`

	Followers int `expr:"followers"`
	Following int `expr:"following"`

	Verified  bool `expr:"verified"`
	Protected bool `expr:"protected"`
}

// env is what a compiled program runs against: the lead as given, plus
// lower-cased copies of the fields keyword rules search. Lowering is most of
// the cost of a filter, so it happens once per lead rather than once per
// keyword. A `where` expression may use bio_lower and location_lower too.
type env struct {
	Lead
	BioLower      string `expr:"bio_lower"`
	LocationLower string `expr:"location_lower"`
}
