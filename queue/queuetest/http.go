package queuetest

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// Send is the one request helper of the tests: it sends body (as JSON) to url
// with the bearer token (if any, as the counter and admin pages send theirs)
// and reads the whole answer. A request that gets no answer fails the test.
func Send(t testing.TB, method, url, token string, body io.Reader) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json") // antrid takes JSON only (415 otherwise)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, url, err)
	}
	return res.StatusCode, b, res.Header
}

// Call is Send that decodes the JSON answer into out (when not nil) and
// returns the status.
func Call(t testing.TB, method, url, token string, body io.Reader, out any) int {
	t.Helper()
	code, answer, _ := Send(t, method, url, token, body)
	if out != nil {
		if err := json.Unmarshal(answer, out); err != nil {
			t.Fatalf("%s %s: decoding the answer: %v in %s", method, url, err, answer)
		}
	}
	return code
}
