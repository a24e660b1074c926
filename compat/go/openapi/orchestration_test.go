// Every operation of the OrchestrationApi of the Go OpenAPI client of early 2023
// (github.com/formancehq/formance-sdk-go v1.0.20230302, openapi-generator) against a running
// server (FLOWS_URL). Each subtest is one client method; it fails on any error the client
// returns, decoding errors included, and on a non-2xx status.
package compat

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"flowsconsole/compat/go/testkit"
	client "github.com/formancehq/formance-sdk-go"
)

var (
	baseURL = testkit.BaseURL
	ctx     = context.Background()
	api     *client.APIClient
)

// createTransactionAsArray is the decoding error of this client on a send stage's history.
const createTransactionAsArray = "CreateTransaction.data of type []formance.Transaction"

// waitStage is the index of the wait_event stage in the workflow below.
const waitStage = 3

func TestMain(m *testing.M) {
	if baseURL == "" {
		fmt.Fprintln(os.Stderr, "FLOWS_URL is not set; run these tests with `node scripts/test.mjs go`")
		os.Exit(2)
	}
	cfg := client.NewConfiguration()
	cfg.Servers = client.ServerConfigurations{{URL: baseURL}}
	api = client.NewAPIClient(cfg)
	os.Exit(m.Run())
}

func TestOpenAPIClient2023(t *testing.T) {
	o := api.OrchestrationApi
	tag := fmt.Sprintf("go-openapi-%d", time.Now().UnixNano())
	event := tag + "-ready"
	wallet := call(t, "POST", "/api/wallets/wallets", obj{"name": tag, "metadata": obj{}})
	walletID := wallet["data"].(obj)["id"].(string)
	usd := func(n int) obj { return obj{"asset": "USD/2", "amount": n} }
	account := func(id string) obj { return obj{"account": obj{"id": id}} }
	// Every stage kind this client models (send, delay, wait_event), send between accounts and a wallet.
	stages := []map[string]interface{}{
		{"send": obj{"source": account("world"), "destination": account("users:" + tag), "amount": usd(1000)}},
		{"send": obj{"source": account("users:" + tag), "destination": obj{"wallet": obj{"id": walletID}}, "amount": usd(500)}},
		{"delay": obj{"duration": "10ms"}},
		{"wait_event": obj{"event": event}},
		{"send": obj{"source": obj{"wallet": obj{"id": walletID}}, "destination": account("merchants:" + tag), "amount": usd(200)}},
	}
	var workflowID, instanceID string

	t.Run("OrchestrationgetServerInfo", func(t *testing.T) {
		r, res, err := o.OrchestrationgetServerInfo(ctx).Execute()
		ok(t, res, err)
		if r.Version == "" {
			t.Fatalf("no version in %+v", r)
		}
	})
	t.Run("CreateWorkflow", func(t *testing.T) {
		r, res, err := o.CreateWorkflow(ctx).Body(client.WorkflowConfig{Name: client.PtrString(tag), Stages: stages}).Execute()
		ok(t, res, err)
		workflowID = r.Data.Id
	})
	t.Run("ListWorkflows", func(t *testing.T) {
		r, res, err := o.ListWorkflows(ctx).Execute()
		ok(t, res, err)
		if !contains(len(r.Data), func(i int) bool { return r.Data[i].Id == workflowID }) {
			t.Fatalf("workflow %s not listed", workflowID)
		}
	})
	t.Run("GetWorkflow", func(t *testing.T) {
		r, res, err := o.GetWorkflow(ctx, workflowID).Execute()
		ok(t, res, err)
		expectLen(t, len(r.Data.Config.Stages), len(stages))
	})
	t.Run("RunWorkflow", func(t *testing.T) {
		r, res, err := o.RunWorkflow(ctx, workflowID).RequestBody(map[string]string{}).Execute()
		ok(t, res, err)
		instanceID = r.Data.Id
	})
	t.Run("ListInstances", func(t *testing.T) {
		r, res, err := o.ListInstances(ctx).WorkflowID(workflowID).Execute()
		ok(t, res, err)
		if !contains(len(r.Data), func(i int) bool { return r.Data[i].Id == instanceID }) {
			t.Fatalf("instance %s not listed", instanceID)
		}
	})
	t.Run("GetInstance", func(t *testing.T) {
		eventually(t, "the instance waits for its event", func() bool {
			r, res, err := o.GetInstance(ctx, instanceID).Execute()
			ok(t, res, err)
			return len(r.Data.Status) == waitStage+1
		})
	})
	t.Run("SendEvent", func(t *testing.T) {
		res, err := o.SendEvent(ctx, instanceID).SendEventRequest(client.SendEventRequest{Name: event}).Execute()
		ok(t, res, err)
		eventually(t, "the instance ends", func() bool {
			r, res, err := o.GetInstance(ctx, instanceID).Execute()
			ok(t, res, err)
			if r.Data.Terminated && r.Data.Error != nil {
				t.Fatalf("instance failed: %s", *r.Data.Error)
			}
			return r.Data.Terminated
		})
	})
	t.Run("GetInstanceHistory", func(t *testing.T) {
		r, res, err := o.GetInstanceHistory(ctx, instanceID).Execute()
		ok(t, res, err)
		expectLen(t, len(r.Data), len(stages))
	})
	t.Run("GetInstanceStageHistory", func(t *testing.T) {
		for n, stage := range stages {
			_, res, err := o.GetInstanceStageHistory(ctx, instanceID, int32(n)).Execute()
			if _, send := stage["send"]; send && err != nil && strings.Contains(err.Error(), createTransactionAsArray) {
				// Known deviation (docs/compatibility.md, "Go OpenAPI client (early 2023)"): this
				// client wants a ledger CreateTransaction output as an array, the newer SDKs as
				// one object; the server answers the object. Anything else fails.
				t.Logf("stage %d (send): CreateTransaction output not decodable as an array (documented)", n)
				continue
			}
			ok(t, res, err)
		}
	})
	t.Run("CancelEvent", func(t *testing.T) {
		run, res, err := o.RunWorkflow(ctx, workflowID).RequestBody(map[string]string{}).Execute()
		ok(t, res, err)
		res, err = o.CancelEvent(ctx, run.Data.Id).Execute()
		ok(t, res, err)
	})
}

type obj = testkit.Obj

// The helpers both Go suites share (compat/go/testkit).
var (
	call       = testkit.Call
	expectLen  = testkit.ExpectLen
	eventually = testkit.Eventually
)

// ok fails the test on any error the client returned (HTTP and decoding errors alike) and on a
// non-2xx status.
func ok(t *testing.T, res *http.Response, err error) {
	t.Helper()
	if err != nil {
		if oe, is := err.(*client.GenericOpenAPIError); is {
			t.Fatalf("client error: %v: %s", err, oe.Body())
		}
		t.Fatalf("client error: %v", err)
	}
	if res == nil || res.StatusCode < 200 || res.StatusCode > 299 {
		t.Fatalf("status %v", res)
	}
}

func contains(n int, match func(i int) bool) bool {
	for i := 0; i < n; i++ {
		if match(i) {
			return true
		}
	}
	return false
}
