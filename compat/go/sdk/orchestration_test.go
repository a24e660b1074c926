// Every orchestration operation of the Go SDK (github.com/formancehq/formance-sdk-go
// v2.0.0-beta.10), v1 and v2, against a running server (FLOWS_URL). Each subtest is one SDK
// method; it fails on any error the SDK returns, decoding errors included, and on a non-2xx status.
package compat

import (
	"context"
	"fmt"
	"os"
	"testing"

	sdk "github.com/formancehq/formance-sdk-go"
	"github.com/formancehq/formance-sdk-go/pkg/models/operations"
	"github.com/formancehq/formance-sdk-go/pkg/models/shared"
)

var (
	ctx = context.Background()
	api *sdk.Formance
)

func TestMain(m *testing.M) {
	if baseURL == "" {
		fmt.Fprintln(os.Stderr, "FLOWS_URL is not set; run these tests with `node scripts/test.mjs go`")
		os.Exit(2)
	}
	api = sdk.New(sdk.WithServerURL(baseURL))
	os.Exit(m.Run())
}

func TestV1(t *testing.T) {
	o := api.Orchestration
	f := newFixture(t, "v1")
	var workflowID, instanceID, abortedID, triggerID string

	t.Run("OrchestrationgetServerInfo", func(t *testing.T) {
		r, err := o.OrchestrationgetServerInfo(ctx)
		must(t, err)
		ok(t, r.StatusCode, r.ServerInfo)
	})
	t.Run("CreateWorkflow", func(t *testing.T) {
		r, err := o.CreateWorkflow(ctx, &shared.CreateWorkflowRequest{Name: sdk.String(f.name), Stages: f.stages})
		must(t, err)
		ok(t, r.StatusCode, r.CreateWorkflowResponse)
		workflowID = r.CreateWorkflowResponse.Data.ID
	})
	t.Run("ListWorkflows", func(t *testing.T) {
		r, err := o.ListWorkflows(ctx)
		must(t, err)
		ok(t, r.StatusCode, r.ListWorkflowsResponse)
	})
	t.Run("GetWorkflow", func(t *testing.T) {
		r, err := o.GetWorkflow(ctx, operations.GetWorkflowRequest{FlowID: workflowID})
		must(t, err)
		ok(t, r.StatusCode, r.GetWorkflowResponse)
	})
	t.Run("RunWorkflow", func(t *testing.T) {
		r, err := o.RunWorkflow(ctx, operations.RunWorkflowRequest{WorkflowID: workflowID, RequestBody: map[string]string{}})
		must(t, err)
		ok(t, r.StatusCode, r.RunWorkflowResponse)
		instanceID = r.RunWorkflowResponse.Data.ID
	})
	t.Run("ListInstances", func(t *testing.T) {
		r, err := o.ListInstances(ctx, operations.ListInstancesRequest{WorkflowID: sdk.String(workflowID)})
		must(t, err)
		ok(t, r.StatusCode, r.ListRunsResponse)
	})
	t.Run("GetInstance", func(t *testing.T) {
		eventually(t, "the instance waits for its event", func() bool {
			r, err := o.GetInstance(ctx, operations.GetInstanceRequest{InstanceID: instanceID})
			must(t, err)
			ok(t, r.StatusCode, r.GetWorkflowInstanceResponse)
			return len(r.GetWorkflowInstanceResponse.Data.Status) == waitStage+1
		})
	})
	t.Run("SendEvent", func(t *testing.T) {
		r, err := o.SendEvent(ctx, operations.SendEventRequest{InstanceID: instanceID, RequestBody: &operations.SendEventRequestBody{Name: f.event}})
		must(t, err)
		ok(t, r.StatusCode, r)
		eventually(t, "the instance ends", func() bool {
			r, err := o.GetInstance(ctx, operations.GetInstanceRequest{InstanceID: instanceID})
			must(t, err)
			ok(t, r.StatusCode, r.GetWorkflowInstanceResponse)
			d := r.GetWorkflowInstanceResponse.Data
			if d.Terminated && d.Error != nil {
				t.Fatalf("instance failed: %s", *d.Error)
			}
			return d.Terminated
		})
	})
	t.Run("GetInstanceHistory", func(t *testing.T) {
		r, err := o.GetInstanceHistory(ctx, operations.GetInstanceHistoryRequest{InstanceID: instanceID})
		must(t, err)
		ok(t, r.StatusCode, r.GetWorkflowInstanceHistoryResponse)
		expectLen(t, len(r.GetWorkflowInstanceHistoryResponse.Data), len(f.stages))
	})
	t.Run("GetInstanceStageHistory", func(t *testing.T) {
		for n := range f.stages {
			r, err := o.GetInstanceStageHistory(ctx, operations.GetInstanceStageHistoryRequest{InstanceID: instanceID, Number: int64(n)})
			must(t, err)
			ok(t, r.StatusCode, r.GetWorkflowInstanceHistoryStageResponse)
		}
	})
	t.Run("CancelEvent", func(t *testing.T) {
		run, err := o.RunWorkflow(ctx, operations.RunWorkflowRequest{WorkflowID: workflowID, RequestBody: map[string]string{}})
		must(t, err)
		ok(t, run.StatusCode, run.RunWorkflowResponse)
		abortedID = run.RunWorkflowResponse.Data.ID
		r, err := o.CancelEvent(ctx, operations.CancelEventRequest{InstanceID: abortedID})
		must(t, err)
		ok(t, r.StatusCode, r)
	})
	t.Run("CreateTrigger", func(t *testing.T) {
		r, err := o.CreateTrigger(ctx, &shared.TriggerData{Event: "COMMITTED_TRANSACTIONS", WorkflowID: f.triggeredWorkflow, Filter: sdk.String(f.filter), Vars: f.vars})
		must(t, err)
		ok(t, r.StatusCode, r.CreateTriggerResponse)
		triggerID = r.CreateTriggerResponse.Data.ID
	})
	t.Run("ListTriggers", func(t *testing.T) {
		r, err := o.ListTriggers(ctx)
		must(t, err)
		ok(t, r.StatusCode, r.ListTriggersResponse)
	})
	t.Run("ReadTrigger", func(t *testing.T) {
		r, err := o.ReadTrigger(ctx, operations.ReadTriggerRequest{TriggerID: triggerID})
		must(t, err)
		ok(t, r.StatusCode, r.ReadTriggerResponse)
	})
	t.Run("ListTriggersOccurrences", func(t *testing.T) {
		f.commitTransaction(t)
		eventually(t, "the trigger fires", func() bool {
			r, err := o.ListTriggersOccurrences(ctx, operations.ListTriggersOccurrencesRequest{TriggerID: triggerID})
			must(t, err)
			ok(t, r.StatusCode, r.ListTriggersOccurrencesResponse)
			return len(r.ListTriggersOccurrencesResponse.Data) > 0
		})
	})
	t.Run("DeleteTrigger", func(t *testing.T) {
		r, err := o.DeleteTrigger(ctx, operations.DeleteTriggerRequest{TriggerID: triggerID})
		must(t, err)
		ok(t, r.StatusCode, r)
	})
	t.Run("DeleteWorkflow", func(t *testing.T) {
		r, err := o.DeleteWorkflow(ctx, operations.DeleteWorkflowRequest{FlowID: workflowID})
		must(t, err)
		ok(t, r.StatusCode, r)
	})
}

func TestV2(t *testing.T) {
	o := api.Orchestration
	f := newFixture(t, "v2")
	var workflowID, instanceID, abortedID, triggerID string

	t.Run("V2GetServerInfo", func(t *testing.T) {
		r, err := o.V2GetServerInfo(ctx)
		must(t, err)
		ok(t, r.StatusCode, r.V2ServerInfo)
	})
	t.Run("V2CreateWorkflow", func(t *testing.T) {
		r, err := o.V2CreateWorkflow(ctx, &shared.V2CreateWorkflowRequest{Name: sdk.String(f.name), Stages: f.stages})
		must(t, err)
		ok(t, r.StatusCode, r.V2CreateWorkflowResponse)
		workflowID = r.V2CreateWorkflowResponse.Data.ID
	})
	t.Run("V2ListWorkflows", func(t *testing.T) {
		r, err := o.V2ListWorkflows(ctx)
		must(t, err)
		ok(t, r.StatusCode, r.V2ListWorkflowsResponse)
	})
	t.Run("V2GetWorkflow", func(t *testing.T) {
		r, err := o.V2GetWorkflow(ctx, operations.V2GetWorkflowRequest{FlowID: workflowID})
		must(t, err)
		ok(t, r.StatusCode, r.V2GetWorkflowResponse)
	})
	t.Run("V2RunWorkflow", func(t *testing.T) {
		r, err := o.V2RunWorkflow(ctx, operations.V2RunWorkflowRequest{WorkflowID: workflowID, RequestBody: map[string]string{}})
		must(t, err)
		ok(t, r.StatusCode, r.V2RunWorkflowResponse)
		instanceID = r.V2RunWorkflowResponse.Data.ID
	})
	t.Run("V2ListInstances", func(t *testing.T) {
		r, err := o.V2ListInstances(ctx, operations.V2ListInstancesRequest{WorkflowID: sdk.String(workflowID)})
		must(t, err)
		ok(t, r.StatusCode, r.V2ListRunsResponse)
	})
	t.Run("V2GetInstance", func(t *testing.T) {
		eventually(t, "the instance waits for its event", func() bool {
			r, err := o.V2GetInstance(ctx, operations.V2GetInstanceRequest{InstanceID: instanceID})
			must(t, err)
			ok(t, r.StatusCode, r.V2GetWorkflowInstanceResponse)
			return len(r.V2GetWorkflowInstanceResponse.Data.Status) == waitStage+1
		})
	})
	t.Run("V2SendEvent", func(t *testing.T) {
		r, err := o.V2SendEvent(ctx, operations.V2SendEventRequest{InstanceID: instanceID, RequestBody: &operations.V2SendEventRequestBody{Name: f.event}})
		must(t, err)
		ok(t, r.StatusCode, r)
		eventually(t, "the instance ends", func() bool {
			r, err := o.V2GetInstance(ctx, operations.V2GetInstanceRequest{InstanceID: instanceID})
			must(t, err)
			ok(t, r.StatusCode, r.V2GetWorkflowInstanceResponse)
			d := r.V2GetWorkflowInstanceResponse.Data
			if d.Terminated && d.Error != nil {
				t.Fatalf("instance failed: %s", *d.Error)
			}
			return d.Terminated
		})
	})
	t.Run("V2GetInstanceHistory", func(t *testing.T) {
		r, err := o.V2GetInstanceHistory(ctx, operations.V2GetInstanceHistoryRequest{InstanceID: instanceID})
		must(t, err)
		ok(t, r.StatusCode, r.V2GetWorkflowInstanceHistoryResponse)
		expectLen(t, len(r.V2GetWorkflowInstanceHistoryResponse.Data), len(f.stages))
	})
	t.Run("V2GetInstanceStageHistory", func(t *testing.T) {
		for n := range f.stages {
			r, err := o.V2GetInstanceStageHistory(ctx, operations.V2GetInstanceStageHistoryRequest{InstanceID: instanceID, Number: int64(n)})
			must(t, err)
			ok(t, r.StatusCode, r.V2GetWorkflowInstanceHistoryStageResponse)
		}
	})
	t.Run("V2CancelEvent", func(t *testing.T) {
		run, err := o.V2RunWorkflow(ctx, operations.V2RunWorkflowRequest{WorkflowID: workflowID, RequestBody: map[string]string{}})
		must(t, err)
		ok(t, run.StatusCode, run.V2RunWorkflowResponse)
		abortedID = run.V2RunWorkflowResponse.Data.ID
		r, err := o.V2CancelEvent(ctx, operations.V2CancelEventRequest{InstanceID: abortedID})
		must(t, err)
		ok(t, r.StatusCode, r)
	})
	t.Run("V2CreateTrigger", func(t *testing.T) {
		r, err := o.V2CreateTrigger(ctx, &shared.V2TriggerData{Event: "COMMITTED_TRANSACTIONS", WorkflowID: f.triggeredWorkflow, Filter: sdk.String(f.filter), Vars: f.vars})
		must(t, err)
		ok(t, r.StatusCode, r.V2CreateTriggerResponse)
		triggerID = r.V2CreateTriggerResponse.Data.ID
	})
	t.Run("V2ListTriggers", func(t *testing.T) {
		r, err := o.V2ListTriggers(ctx)
		must(t, err)
		ok(t, r.StatusCode, r.V2ListTriggersResponse)
	})
	t.Run("V2ReadTrigger", func(t *testing.T) {
		r, err := o.V2ReadTrigger(ctx, operations.V2ReadTriggerRequest{TriggerID: triggerID})
		must(t, err)
		ok(t, r.StatusCode, r.V2ReadTriggerResponse)
	})
	t.Run("TestTrigger", func(t *testing.T) {
		r, err := o.TestTrigger(ctx, operations.TestTriggerRequest{TriggerID: triggerID, RequestBody: f.samplePayload()})
		must(t, err)
		ok(t, r.StatusCode, r.V2TestTriggerResponse)
	})
	t.Run("V2ListTriggersOccurrences", func(t *testing.T) {
		f.commitTransaction(t)
		eventually(t, "the trigger fires", func() bool {
			r, err := o.V2ListTriggersOccurrences(ctx, operations.V2ListTriggersOccurrencesRequest{TriggerID: triggerID})
			must(t, err)
			ok(t, r.StatusCode, r.V2ListTriggersOccurrencesResponse)
			return len(r.V2ListTriggersOccurrencesResponse.Cursor.Data) > 0
		})
	})
	t.Run("V2DeleteTrigger", func(t *testing.T) {
		r, err := o.V2DeleteTrigger(ctx, operations.V2DeleteTriggerRequest{TriggerID: triggerID})
		must(t, err)
		ok(t, r.StatusCode, r)
	})
	t.Run("V2DeleteWorkflow", func(t *testing.T) {
		r, err := o.V2DeleteWorkflow(ctx, operations.V2DeleteWorkflowRequest{FlowID: workflowID})
		must(t, err)
		ok(t, r.StatusCode, r)
	})
}
