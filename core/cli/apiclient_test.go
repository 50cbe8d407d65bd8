package cli

import "testing"

func TestReachable(t *testing.T) {
	for announced, want := range map[string]string{
		"http://127.0.0.1:8080": "http://127.0.0.1:8080",
		"http://[::]:8080":      "http://127.0.0.1:8080",
		"http://0.0.0.0:9000":   "http://127.0.0.1:9000",
		"http://10.1.2.3:8080":  "http://10.1.2.3:8080",
		"http://[::1]:8080":     "http://[::1]:8080",
	} {
		if got := reachable(announced); got != want {
			t.Errorf("reachable(%s) = %s, want %s", announced, got, want)
		}
	}
}
