module github.com/formancehq/formance-sdk-go

go 1.18

require (
	golang.org/x/oauth2 v0.0.0-20210323180902-22b0adad7558
)
