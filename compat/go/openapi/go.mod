module flowsconsole/compat/go/openapi

go 1.19

// github.com/formancehq/formance-sdk-go v1.0.20230302 (the openapi-generator client of early
// 2023): the Go module proxy refuses this module, so its source is kept unmodified in
// ../third_party; its own dependency (golang.org/x/oauth2) comes from the proxy (go.sum).
require github.com/formancehq/formance-sdk-go v0.0.0

// The helpers both Go suites share (../testkit).
require flowsconsole/compat/go/testkit v0.0.0

require (
	github.com/golang/protobuf v1.4.2 // indirect
	golang.org/x/net v0.0.0-20200822124328-c89045814202 // indirect
	golang.org/x/oauth2 v0.0.0-20210323180902-22b0adad7558 // indirect
	google.golang.org/appengine v1.6.6 // indirect
	google.golang.org/protobuf v1.25.0 // indirect
)

replace github.com/formancehq/formance-sdk-go => ../third_party/formance-sdk-go-openapi-v1.0.20230302

replace flowsconsole/compat/go/testkit => ../testkit
