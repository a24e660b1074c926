package compat

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"flowsconsole/compat/go/testkit"
)

var baseURL = testkit.BaseURL

// waitStage is the index of the wait_event stage in fixture.stages.
const waitStage = 3

// fixture: what one API version's checklist works on, with names of its own.
type fixture struct {
	tag, name, event, ledger, filter string
	stages                           []map[string]interface{}
	vars                             map[string]interface{}
	triggeredWorkflow                string
}

// newFixture creates, through the sandbox and the plain HTTP API, a wallet for the send stages
// and a no-op workflow for the triggers to start.
func newFixture(t *testing.T, version string) *fixture {
	tag := fmt.Sprintf("go-%s-%d", version, time.Now().UnixNano())
	f := &fixture{tag: tag, name: tag, event: tag + "-ready", ledger: tag}
	f.filter = fmt.Sprintf("event.ledger == %q", f.ledger)
	f.vars = map[string]interface{}{"txid": "event.transactions[0].id"}
	wallet := call(t, "POST", "/api/wallets/wallets", obj{"name": tag, "metadata": obj{}})
	walletID := wallet["data"].(obj)["id"].(string)
	usd := func(n int) obj { return obj{"asset": "USD/2", "amount": n} }
	account := func(id string) obj { return obj{"account": obj{"id": id}} }
	// Every stage kind the SDK models (send, delay, wait_event), send between accounts and a wallet.
	f.stages = []map[string]interface{}{
		{"send": obj{"source": account("world"), "destination": account("users:" + tag), "amount": usd(1000)}},
		{"send": obj{"source": account("users:" + tag), "destination": obj{"wallet": obj{"id": walletID}}, "amount": usd(500), "metadata": obj{"k": "v"}}},
		{"delay": obj{"duration": "10ms"}},
		{"wait_event": obj{"event": f.event}},
		{"send": obj{"source": obj{"wallet": obj{"id": walletID}}, "destination": account("merchants:" + tag), "amount": usd(200)}},
	}
	noop := call(t, "POST", "/api/orchestration/v2/workflows", obj{"name": tag + "-triggered", "stages": []obj{{"noop": obj{}}}})
	f.triggeredWorkflow = noop["data"].(obj)["id"].(string)
	return f
}

// commitTransaction commits a ledger transaction on the fixture's ledger: the triggers fire on it.
func (f *fixture) commitTransaction(t *testing.T) {
	posting := obj{"source": "world", "destination": "users:" + f.tag, "amount": 1, "asset": "USD/2"}
	call(t, "POST", "/api/ledger/v2/"+f.ledger+"/transactions", obj{"postings": []obj{posting}})
}

// samplePayload is a COMMITTED_TRANSACTIONS payload the trigger's filter accepts.
func (f *fixture) samplePayload() map[string]interface{} {
	return obj{"ledger": f.ledger, "transactions": []obj{{"id": 1, "postings": []obj{}}}}
}

type obj = testkit.Obj

// The helpers both Go suites share (compat/go/testkit).
var (
	call       = testkit.Call
	expectLen  = testkit.ExpectLen
	eventually = testkit.Eventually
)

// must fails the test on any error the SDK returned (HTTP errors and decoding errors alike).
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("SDK error: %v", err)
	}
}

// ok checks a 2xx status and, for operations with a response body, a decoded payload.
func ok(t *testing.T, status int, payload interface{}) {
	t.Helper()
	if status < 200 || status > 299 {
		t.Fatalf("status %d", status)
	}
	if v := reflect.ValueOf(payload); payload == nil || (v.Kind() == reflect.Ptr && v.IsNil()) {
		t.Fatalf("status %d without a decoded response body", status)
	}
}
