module github.com/werun-dev/werun/tests/soak/go

go 1.19

require github.com/werun-dev/werun/bindings/go v0.0.0

replace github.com/werun-dev/werun/bindings/go => ../../../bindings/go
