package docsui

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPageAndAssetsAreServedLocally(t *testing.T) {
	srv := httptest.NewServer(Handler("/docs", "outreach API", "/openapi.json"))
	t.Cleanup(srv.Close)
	get := func(path string) (int, string, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}
	code, ctype, body := get("/docs")
	if code != 200 || !strings.HasPrefix(ctype, "text/html") || !strings.Contains(body, `"/openapi.json"`) {
		t.Fatalf("/docs: %d %s\n%s", code, ctype, body)
	}
	if strings.Contains(body, "https://") || strings.Contains(body, "http://") {
		t.Errorf("the docs page loads something from another host:\n%s", body)
	}
	for _, asset := range []string{"/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"} {
		if code, _, body := get(asset); code != 200 || len(body) < 10000 {
			t.Errorf("%s: status %d, %d bytes", asset, code, len(body))
		}
	}
}
