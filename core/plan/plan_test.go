package plan

import (
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	obj := func(kind, name string, kv ...string) Object {
		o := Object{Kind: kind, Name: name}
		for i := 0; i < len(kv); i += 2 {
			o.Attrs = append(o.Attrs, Attr{Name: kv[i], Value: kv[i+1]})
		}
		return o
	}
	desired := []Object{
		obj("campaign", "c", "max_leads", "30"),
		obj("account", "a", "handle", `"a"`, "proxy", "null"),
		obj("account", "new", "handle", `"n"`),
	}
	current := []Object{
		obj("account", "a", "handle", `"a"`),
		obj("campaign", "c", "max_leads", "24"),
		obj("tweet", "old", "text", `"bye"`),
	}
	changes := Diff(desired, current)
	var got []string
	for _, c := range changes {
		got = append(got, string(c.Action)+" "+c.Address()+" "+strings.Join(c.Changed, ","))
	}
	want := []string{"create account.new ", "update campaign.c max_leads", "delete tweet.old "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("changes = %q, want %q (an attribute null on one side and absent on the other is no change)", got, want)
	}
}
