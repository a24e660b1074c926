module flowsconsole/compat/go/testkit

go 1.19
