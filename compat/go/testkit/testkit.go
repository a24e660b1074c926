// Package testkit holds the helpers both Go client suites share (compat/go/sdk and
// compat/go/openapi). Those are two modules because each replaces the same module path,
// github.com/formancehq/formance-sdk-go, with another release of the SDK; this one is
// required by both through a replace directive to ../testkit, a path inside the repository.
package testkit

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"
)

// BaseURL is the server under test (FLOWS_URL, set by `node scripts/test.mjs go`).
var BaseURL = os.Getenv("FLOWS_URL")

// Obj is a JSON object.
type Obj = map[string]interface{}

// Call sends a JSON request to the server outside the client under test (fixtures only) and
// decodes the answer; any failure or a status of 300 and above fails the test.
func Call(t *testing.T, method, path string, body interface{}) Obj {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, BaseURL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	var out Obj
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode >= 300 {
		t.Fatalf("%s %s: status %d, %v %v", method, path, res.StatusCode, out, err)
	}
	return out
}

// ExpectLen fails the test unless got == want.
func ExpectLen(t *testing.T, got, want int) {
	t.Helper()
	if got != want {
		t.Fatalf("got %d entries, want %d", got, want)
	}
}

// Eventually polls until done() holds (30 s at most).
func Eventually(t *testing.T, what string, done func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if done() {
			return
		}
	}
	t.Fatalf("timed out waiting until %s", what)
}
