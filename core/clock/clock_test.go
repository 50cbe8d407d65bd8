package clock

import (
	"testing"
	"time"
)

func TestVirtualAfterAdvances(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	v := NewVirtual(start)
	got := <-v.After(time.Hour)
	if want := start.Add(time.Hour); !got.Equal(want) || !v.Now().Equal(want) {
		t.Fatalf("After(1h) fired at %v, Now %v; want %v", got, v.Now(), want)
	}
	if v.Advance(-time.Minute); !v.Now().Equal(start.Add(time.Hour)) {
		t.Fatalf("Advance with a negative duration moved the clock back to %v", v.Now())
	}
}
