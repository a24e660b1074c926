module flowsconsole/compat/go/sdk

go 1.19

// github.com/formancehq/formance-sdk-go v2.0.0-beta.10: the go command refuses this release from
// any module proxy (its version is v2 while its module path has no /v2 suffix), so its source is
// kept unmodified in ../third_party; its own dependencies come from the proxy (go.sum).
require github.com/formancehq/formance-sdk-go v0.0.0

// The helpers both Go suites share (../testkit).
require flowsconsole/compat/go/testkit v0.0.0

require (
	github.com/cenkalti/backoff/v4 v4.2.0 // indirect
	github.com/ericlagergren/decimal v0.0.0-20221120152707-495c53812d05 // indirect
)

replace github.com/formancehq/formance-sdk-go => ../third_party/formance-sdk-go

replace flowsconsole/compat/go/testkit => ../testkit
