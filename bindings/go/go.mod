module github.com/werun-dev/werun/bindings/go

go 1.19
