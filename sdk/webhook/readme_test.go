package webhook_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeQuotesTheExample: the Go receiver in the README's Webhooks
// section is example_test.go's, which compiles and runs, word for word.
func TestReadmeQuotesTheExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Webhooks\n")
	if !ok {
		t.Fatal("README.md has no Webhooks section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	example, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)\n```").FindAllStringSubmatch(section, -1)
	if len(blocks) == 0 {
		t.Fatal("the README's Webhooks section has no Go receiver")
	}
	for _, b := range blocks {
		if !strings.Contains(string(example), b[1]+"\n") {
			t.Errorf("the README's Go block is not in sdk/webhook/example_test.go; quote the file:\n%s", b[1])
		}
	}
}
